package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/redress-hq/redress/cases"
)

// OrderCareShop is one shop's order-care setting.
type OrderCareShop struct {
	OrgID       string            `db:"org_id" json:"-"` // the owning organisation (migration 00042)
	Marketplace cases.Marketplace `db:"marketplace" json:"marketplace"`
	ShopID      string            `db:"shop_id" json:"shop_id"`
	Enabled     bool              `db:"enabled" json:"enabled"`
	TimeZone    string            `db:"time_zone" json:"time_zone"`
	Language    string            `db:"language" json:"language"`
	QuietStart  int               `db:"quiet_start" json:"quiet_start"`
	QuietEnd    int               `db:"quiet_end" json:"quiet_end"`
	UpdatedAt   time.Time         `db:"updated_at" json:"updated_at"`
	UpdatedBy   string            `db:"updated_by" json:"updated_by"`
	// Timing in seconds; 0 takes the built-in default.
	StallAfterSeconds         int64 `db:"stall_after_seconds" json:"stall_after_seconds"`
	LateGraceSeconds          int64 `db:"late_grace_seconds" json:"late_grace_seconds"`
	PollEverySeconds          int64 `db:"poll_every_seconds" json:"poll_every_seconds"`
	WatchAfterDeliverySeconds int64 `db:"watch_after_delivery_seconds" json:"watch_after_delivery_seconds"`
	// OrdersCursor is where the shop poll resumes (SetOrdersCursor).
	OrdersCursor *time.Time `db:"orders_cursor" json:"orders_cursor,omitempty"`
}

// SetOrdersCursor saves where the shop's order poll resumes.
func (s *Store) SetOrdersCursor(ctx context.Context, m cases.Marketplace, shopID string, at time.Time) error {
	_, err := s.db.ExecContext(ctx, `UPDATE order_care_shops SET orders_cursor = $3 WHERE marketplace = $1 AND shop_id = $2`, m, shopID, at)
	return wrap("set orders cursor", err)
}

// GetOrderCareShop returns a shop's setting; a shop never set is disabled (ErrNotFound).
func (s *Store) GetOrderCareShop(ctx context.Context, m cases.Marketplace, shopID string) (OrderCareShop, error) {
	var o OrderCareShop
	err := s.db.GetContext(ctx, &o, `SELECT * FROM order_care_shops WHERE marketplace = $1 AND shop_id = $2`, m, shopID)
	if err != nil {
		return OrderCareShop{}, wrap("get order care shop", err)
	}
	return o, nil
}

// PutOrderCareShop saves a shop's setting.
func (s *Store) PutOrderCareShop(ctx context.Context, o OrderCareShop) (OrderCareShop, error) {
	err := s.db.GetContext(ctx, &o, `
INSERT INTO order_care_shops (marketplace, shop_id, enabled, time_zone, language, quiet_start, quiet_end, updated_at, updated_by,
    stall_after_seconds, late_grace_seconds, poll_every_seconds, watch_after_delivery_seconds)
VALUES ($1, $2, $3, $4, $5, $6, $7, now(), $8, $9, $10, $11, $12)
ON CONFLICT (marketplace, shop_id) DO UPDATE SET
    enabled = EXCLUDED.enabled, time_zone = EXCLUDED.time_zone, language = EXCLUDED.language,
    quiet_start = EXCLUDED.quiet_start, quiet_end = EXCLUDED.quiet_end,
    updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by,
    stall_after_seconds = EXCLUDED.stall_after_seconds, late_grace_seconds = EXCLUDED.late_grace_seconds,
    poll_every_seconds = EXCLUDED.poll_every_seconds, watch_after_delivery_seconds = EXCLUDED.watch_after_delivery_seconds
RETURNING *`, o.Marketplace, o.ShopID, o.Enabled, o.TimeZone, o.Language, o.QuietStart, o.QuietEnd, o.UpdatedBy,
		o.StallAfterSeconds, o.LateGraceSeconds, o.PollEverySeconds, o.WatchAfterDeliverySeconds)
	if err != nil {
		return OrderCareShop{}, wrap("put order care shop", err)
	}
	return o, nil
}

// ListOrderCareShops returns every shop with a setting.
func (s *Store) ListOrderCareShops(ctx context.Context) ([]OrderCareShop, error) {
	out := []OrderCareShop{}
	if err := s.db.SelectContext(ctx, &out, `SELECT * FROM order_care_shops ORDER BY marketplace, shop_id`); err != nil {
		return nil, wrap("list order care shops", err)
	}
	return out, nil
}

// CareOrder is the index row of an order under care; State is the workflow's state as JSON.
type CareOrder struct {
	OrgID          string            `db:"org_id" json:"-"` // the owning organisation (migration 00042)
	Key            string            `db:"key" json:"key"`
	Marketplace    cases.Marketplace `db:"marketplace" json:"marketplace"`
	ShopID         string            `db:"shop_id" json:"shop_id"`
	OrderID        string            `db:"order_id" json:"order_id"`
	WorkflowID     string            `db:"workflow_id" json:"workflow_id"`
	BuyerID        string            `db:"buyer_id" json:"buyer_id"`
	Status         string            `db:"status" json:"status"`
	TrackingNumber string            `db:"tracking_number" json:"tracking_number"`
	Carrier        string            `db:"carrier" json:"carrier"`
	ShipmentID     string            `db:"shipment_id" json:"shipment_id,omitempty"`
	ExpectedAt     *time.Time        `db:"expected_at" json:"expected_at,omitempty"`
	ShippedAt      *time.Time        `db:"shipped_at" json:"shipped_at,omitempty"`
	DeliveredAt    *time.Time        `db:"delivered_at" json:"delivered_at,omitempty"`
	Done           bool              `db:"done" json:"done"`
	State          json.RawMessage   `db:"state" json:"state"`
	StartedAt      time.Time         `db:"started_at" json:"started_at"`
	UpdatedAt      time.Time         `db:"updated_at" json:"updated_at"`
	Version        int64             `db:"version" json:"version"`
}

// SyncCareOrder writes the order's row, its personal data sealed with the
// buyer's key; an older version never overwrites a newer one.
func (s *Store) SyncCareOrder(ctx context.Context, o CareOrder) error {
	if len(o.State) == 0 {
		o.State = json.RawMessage(`{}`)
	}
	err := s.db.inTx(ctx, func(tx *sqlx.Tx) error {
		seal, err := s.sealerFor(ctx, tx, orderSubject(o.Marketplace, o.ShopID, o.Key, o.BuyerID))
		if err != nil {
			return err
		}
		if o, err = seal.sealCareOrder(o); err != nil {
			return err
		}
		_, err = tx.NamedExecContext(ctx, `
INSERT INTO care_orders (key, marketplace, shop_id, order_id, workflow_id, buyer_id, status, tracking_number, carrier,
    shipment_id, expected_at, shipped_at, delivered_at, done, state, started_at, updated_at, version)
VALUES (:key, :marketplace, :shop_id, :order_id, :workflow_id, :buyer_id, :status, :tracking_number, :carrier,
    :shipment_id, :expected_at, :shipped_at, :delivered_at, :done, :state, :started_at, :updated_at, :version)
ON CONFLICT (key) DO UPDATE SET
    buyer_id = EXCLUDED.buyer_id, status = EXCLUDED.status, tracking_number = EXCLUDED.tracking_number,
    carrier = EXCLUDED.carrier, shipment_id = EXCLUDED.shipment_id, expected_at = EXCLUDED.expected_at, shipped_at = EXCLUDED.shipped_at,
    delivered_at = EXCLUDED.delivered_at, done = EXCLUDED.done, state = EXCLUDED.state,
    updated_at = EXCLUDED.updated_at, version = EXCLUDED.version
WHERE care_orders.version <= EXCLUDED.version`, o)
		return err
	})
	return wrap("sync care order", err)
}

// GetCareOrder reads one order by marketplace, shop and order id.
func (s *Store) GetCareOrder(ctx context.Context, m cases.Marketplace, shopID, orderID string) (CareOrder, error) {
	var o CareOrder
	err := s.db.GetContext(ctx, &o, `SELECT * FROM care_orders WHERE marketplace = $1 AND shop_id = $2 AND order_id = $3`, m, shopID, orderID)
	o, err = openOne(ctx, s, o, err, (*opener).openCareOrders)
	if err != nil {
		return CareOrder{}, wrap("get care order", err)
	}
	return o, nil
}

// FindCareOrderByShipment finds the order under care a shipment belongs to.
func (s *Store) FindCareOrderByShipment(ctx context.Context, m cases.Marketplace, shopID, shipmentID string) (CareOrder, error) {
	if shipmentID == "" {
		return CareOrder{}, invalid("shipment id is empty")
	}
	var o CareOrder
	err := s.db.GetContext(ctx, &o, `SELECT * FROM care_orders WHERE marketplace = $1 AND shop_id = $2 AND shipment_id = $3
ORDER BY started_at DESC LIMIT 1`, m, shopID, shipmentID)
	o, err = openOne(ctx, s, o, err, (*opener).openCareOrders)
	if err != nil {
		return CareOrder{}, wrap("find care order by shipment", err)
	}
	return o, nil
}

// TouchpointRow is one touchpoint's record: written once per order and touchpoint.
type TouchpointRow struct {
	OrgID       string            `db:"org_id" json:"-"` // the owning organisation (migration 00042)
	OrderKey    string            `db:"order_key" json:"order_key"`
	Touchpoint  string            `db:"touchpoint" json:"touchpoint"`
	Marketplace cases.Marketplace `db:"marketplace" json:"marketplace"`
	ShopID      string            `db:"shop_id" json:"shop_id"`
	BuyerID     string            `db:"buyer_id" json:"-"` // whose key seals text and reason (migration 00071)
	Outcome     string            `db:"outcome" json:"outcome"`
	Channel     string            `db:"channel" json:"channel"`
	Reason      string            `db:"reason" json:"reason"`
	Text        string            `db:"text" json:"text"`
	PlatformRef string            `db:"platform_ref" json:"platform_ref"`
	At          time.Time         `db:"at" json:"at"`
}

// GetTouchpoint returns the record of a touchpoint, ErrNotFound when none.
func (s *Store) GetTouchpoint(ctx context.Context, orderKey, touchpoint string) (TouchpointRow, error) {
	var t TouchpointRow
	err := s.db.GetContext(ctx, &t, `SELECT * FROM order_touchpoints WHERE order_key = $1 AND touchpoint = $2`, orderKey, touchpoint)
	t, err = openOne(ctx, s, t, err, (*opener).openTouchpoints)
	if err != nil {
		return TouchpointRow{}, wrap("get touchpoint", err)
	}
	return t, nil
}

// RecordTouchpoint writes a touchpoint once, its text sealed with the key of
// the order's buyer (BuyerID, else the order's row's); a second write for
// the same order and touchpoint keeps the first and returns it.
func (s *Store) RecordTouchpoint(ctx context.Context, t TouchpointRow) (TouchpointRow, error) {
	err := s.db.inTx(ctx, func(tx *sqlx.Tx) error {
		if err := tx.GetContext(ctx, &t.BuyerID, `
SELECT coalesce(nullif($2, ''), (SELECT buyer_id FROM care_orders WHERE key = $1), '')`, t.OrderKey, t.BuyerID); err != nil {
			return err
		}
		seal, err := s.sealerFor(ctx, tx, orderSubject(t.Marketplace, t.ShopID, t.OrderKey, t.BuyerID))
		if err != nil {
			return err
		}
		_, err = tx.NamedExecContext(ctx, `
INSERT INTO order_touchpoints (order_key, touchpoint, marketplace, shop_id, buyer_id, outcome, channel, reason, text, platform_ref, at)
VALUES (:order_key, :touchpoint, :marketplace, :shop_id, :buyer_id, :outcome, :channel, :reason, :text, :platform_ref, :at)
ON CONFLICT (order_key, touchpoint) DO NOTHING`, seal.sealTouchpoint(t))
		return err
	})
	if err != nil {
		return TouchpointRow{}, wrap("record touchpoint", err)
	}
	return s.GetTouchpoint(ctx, t.OrderKey, t.Touchpoint)
}

// ListTouchpoints returns an order's touchpoints in time order.
func (s *Store) ListTouchpoints(ctx context.Context, orderKey string) ([]TouchpointRow, error) {
	out := []TouchpointRow{}
	err := s.db.SelectContext(ctx, &out, `SELECT * FROM order_touchpoints WHERE order_key = $1 ORDER BY at, touchpoint`, orderKey)
	if err == nil {
		err = s.opener(nil).openTouchpoints(ctx, out)
	}
	return out, wrap("list touchpoints", err)
}

// TouchpointTemplate returns a shop's own text for a touchpoint and
// language, "" when it has none.
func (s *Store) TouchpointTemplate(ctx context.Context, m cases.Marketplace, shopID, touchpoint, lang string) (string, error) {
	var text string
	err := s.db.GetContext(ctx, &text, `SELECT text FROM touchpoint_templates
WHERE marketplace = $1 AND shop_id = $2 AND touchpoint = $3 AND language = $4`, m, shopID, touchpoint, lang)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return text, wrap("get touchpoint template", err)
}

// PutTouchpointTemplate saves a shop's text for a touchpoint and language.
func (s *Store) PutTouchpointTemplate(ctx context.Context, m cases.Marketplace, shopID, touchpoint, lang, text string) error {
	_, err := s.db.ExecContext(ctx, `
INSERT INTO touchpoint_templates (marketplace, shop_id, touchpoint, language, text, updated_at)
VALUES ($1, $2, $3, $4, $5, now())
ON CONFLICT (marketplace, shop_id, touchpoint, language) DO UPDATE SET text = EXCLUDED.text, updated_at = EXCLUDED.updated_at`,
		m, shopID, touchpoint, lang, text)
	return wrap("put touchpoint template", err)
}
