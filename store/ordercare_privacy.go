package store

import (
	"context"
	"encoding/json"

	"github.com/jmoiron/sqlx"

	"github.com/redress-hq/redress/cases"
)

// Order care's personal data is sealed with its buyer's data key, as a
// case's is (docs/privacy.md): the messages sent to the buyer, what a risk
// quotes (their message, a carrier's account of a failed delivery, a
// claim's reason), tracking numbers and agents' notes. Statuses, carriers,
// times, signals and outcomes stay in clear for the reports and the
// console. Values are bound to their order key (a touchpoint's: the key and
// the touchpoint; a pre-emptive task's: its id).

// jsonShape says which members of a JSON object stay in clear and which are
// objects (or maps of objects) sealed member by member themselves; every
// other member is sealed, so a member added later is private until listed.
type jsonShape struct {
	clear   map[string]bool
	objects map[string]jsonShape // a member that is an object
	each    map[string]jsonShape // a member that is a map of objects
}

func memberSet(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

var (
	// careStateShape is ordercare.State's: its input (the buyer's time zone
	// and the starting shipment are sealed), shipment (tracking number,
	// exception, claims), touchpoints (text, reason) and risks (summary,
	// evidence).
	careStateShape = jsonShape{
		clear: memberSet("done", "end_reason", "version", "started_at", "updated_at"),
		objects: map[string]jsonShape{
			"input":    {clear: memberSet("marketplace", "shop_id", "order_id", "buyer_id", "language", "shop_time_zone", "settings", "source")},
			"shipment": {clear: memberSet("status", "carrier", "shipment_id", "expected_at", "shipped_at", "delivered_at", "last_movement_at")},
		},
		each: map[string]jsonShape{
			"touchpoints": {clear: memberSet("touchpoint", "outcome", "channel", "platform_ref", "replayed", "at")},
			"risks":       {clear: memberSet("signal", "at")},
		},
	}
	// evidenceShape is a pre-emptive task's evidence.
	evidenceShape = jsonShape{clear: memberSet("status", "carrier", "expected_at", "shipped_at", "last_movement_at",
		"delivered_at", "message_id", "language", "issue", "escalated_by")}
)

// walk applies f to raw's objects of shape sh, innermost first; keep is
// what f must leave in clear at that level.
func (sh jsonShape) walk(raw json.RawMessage, f func(raw json.RawMessage, keep map[string]bool) (json.RawMessage, error)) (json.RawMessage, error) {
	if len(raw) == 0 || raw[0] != '{' {
		return raw, nil
	}
	if len(sh.objects)+len(sh.each) == 0 {
		return f(raw, sh.clear)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, invalid("order care data is not a JSON object: %v", err)
	}
	keep := map[string]bool{}
	for n := range sh.clear {
		keep[n] = true
	}
	var err error
	for name, sub := range sh.objects {
		keep[name] = true
		if v, ok := m[name]; ok {
			if m[name], err = sub.walk(v, f); err != nil {
				return nil, err
			}
		}
	}
	for name, sub := range sh.each {
		keep[name] = true
		v, ok := m[name]
		if !ok || len(v) == 0 || v[0] != '{' {
			continue
		}
		var items map[string]json.RawMessage
		if err := json.Unmarshal(v, &items); err != nil {
			return nil, invalid("order care data: %s is not an object: %v", name, err)
		}
		for k, item := range items {
			if items[k], err = sub.walk(item, f); err != nil {
				return nil, err
			}
		}
		m[name], _ = json.Marshal(items)
	}
	out, _ := json.Marshal(m)
	return f(out, keep)
}

func (k *sealer) sealShaped(raw json.RawMessage, aad string, sh jsonShape) (json.RawMessage, error) {
	if k == nil {
		return raw, nil
	}
	return sh.walk(raw, func(v json.RawMessage, keep map[string]bool) (json.RawMessage, error) {
		return k.sealObject(v, aad, keep)
	})
}

// openShaped opens outermost first: an object's sealed box holds only its
// own members.
func (o *opener) openShaped(ctx context.Context, raw json.RawMessage, aad string, sh jsonShape) (json.RawMessage, error) {
	if len(raw) == 0 || raw[0] != '{' {
		return raw, nil
	}
	raw, err := o.openObject(ctx, raw, aad)
	if err != nil || len(sh.objects)+len(sh.each) == 0 {
		return raw, err
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, err
	}
	for name, sub := range sh.objects {
		if v, ok := m[name]; ok {
			if m[name], err = o.openShaped(ctx, v, aad, sub); err != nil {
				return nil, err
			}
		}
	}
	for name, sub := range sh.each {
		var items map[string]json.RawMessage
		if v, ok := m[name]; !ok || json.Unmarshal(v, &items) != nil || items == nil {
			continue
		}
		for k, item := range items {
			if items[k], err = o.openShaped(ctx, item, aad, sub); err != nil {
				return nil, err
			}
		}
		m[name], _ = json.Marshal(items)
	}
	return json.Marshal(m)
}

// eraseShaped overwrites the personal members of raw, plain or sealed, as
// an erased buyer's sealed data reads: texts become Erased, other values go,
// and "erased": true says so.
func eraseShaped(raw json.RawMessage, sh jsonShape) (json.RawMessage, error) {
	return sh.walk(raw, func(v json.RawMessage, keep map[string]bool) (json.RawMessage, error) {
		var m map[string]json.RawMessage
		if err := json.Unmarshal(v, &m); err != nil {
			return nil, invalid("order care data is not a JSON object: %v", err)
		}
		var fields map[string]string
		_ = json.Unmarshal(m[fieldsMember], &fields)
		changed := m[personalMember] != nil
		delete(m, personalMember)
		delete(m, fieldsMember)
		for name, kind := range fields {
			if kind == "text" {
				m[name], _ = json.Marshal(Erased)
			}
		}
		for name, val := range m {
			if keep[name] || fields[name] != "" || name == "erased" || isEmptyJSON(val) {
				continue
			}
			changed = true
			if val[0] == '"' {
				m[name], _ = json.Marshal(Erased)
			} else {
				delete(m, name)
			}
		}
		if !changed {
			return v, nil
		}
		m["erased"] = json.RawMessage("true")
		return json.Marshal(m)
	})
}

// orderSubject is whose data an order holds: its buyer, or the order itself
// when the platform did not name the buyer.
func orderSubject(m cases.Marketplace, shopID, orderKey, buyerID string) cases.Case {
	if buyerID == "" {
		buyerID = "order:" + orderKey
	}
	return cases.Case{ID: orderKey, Marketplace: m, ShopID: shopID, BuyerID: buyerID}
}

func touchpointAAD(orderKey, touchpoint string) string { return orderKey + "/" + touchpoint }

func (k *sealer) sealCareOrder(o CareOrder) (CareOrder, error) {
	o.TrackingNumber = k.sealString(o.TrackingNumber, o.Key)
	var err error
	o.State, err = k.sealShaped(o.State, o.Key, careStateShape)
	return o, err
}

func (k *sealer) sealTouchpoint(t TouchpointRow) TouchpointRow {
	aad := touchpointAAD(t.OrderKey, t.Touchpoint)
	t.Text = k.sealString(t.Text, aad)
	t.Reason = k.sealString(t.Reason, aad)
	return t
}

func (k *sealer) sealPreemptiveTask(t PreemptiveTask) (PreemptiveTask, error) {
	t.Summary = k.sealString(t.Summary, t.ID)
	t.Note = k.sealString(t.Note, t.ID)
	var err error
	t.Evidence, err = k.sealShaped(t.Evidence, t.ID, evidenceShape)
	return t, err
}

func (o *opener) openCareOrders(ctx context.Context, rows []CareOrder) (err error) {
	ids := map[string]bool{}
	for _, c := range rows {
		keyIDOf(c.TrackingNumber, ids)
		keyIDInJSON(c.State, ids)
	}
	if err := o.prefetch(ctx, ids); err != nil {
		return err
	}
	for i := range rows {
		c := &rows[i]
		if c.TrackingNumber, err = o.openString(ctx, c.TrackingNumber, c.Key); err != nil {
			return err
		}
		if c.State, err = o.openShaped(ctx, c.State, c.Key, careStateShape); err != nil {
			return err
		}
	}
	return nil
}

func (o *opener) openTouchpoints(ctx context.Context, ts []TouchpointRow) (err error) {
	ids := map[string]bool{}
	for _, t := range ts {
		keyIDOf(t.Text, ids)
		keyIDOf(t.Reason, ids)
	}
	if err := o.prefetch(ctx, ids); err != nil {
		return err
	}
	for i := range ts {
		t := &ts[i]
		aad := touchpointAAD(t.OrderKey, t.Touchpoint)
		if t.Text, err = o.openString(ctx, t.Text, aad); err != nil {
			return err
		}
		if t.Reason, err = o.openString(ctx, t.Reason, aad); err != nil {
			return err
		}
	}
	return nil
}

func (o *opener) openPreemptiveTasks(ctx context.Context, ts []PreemptiveTask) (err error) {
	ids := map[string]bool{}
	for _, t := range ts {
		keyIDOf(t.Summary, ids)
		keyIDOf(t.Note, ids)
		keyIDInJSON(t.Evidence, ids)
	}
	if err := o.prefetch(ctx, ids); err != nil {
		return err
	}
	for i := range ts {
		t := &ts[i]
		if t.Summary, err = o.openString(ctx, t.Summary, t.ID); err != nil {
			return err
		}
		if t.Note, err = o.openString(ctx, t.Note, t.ID); err != nil {
			return err
		}
		if t.Evidence, err = o.openShaped(ctx, t.Evidence, t.ID, evidenceShape); err != nil {
			return err
		}
	}
	return nil
}

// openOne opens a single row read with err by open (one of the opener's
// list methods).
func openOne[T any](ctx context.Context, s *Store, v T, err error, open func(*opener, context.Context, []T) error) (T, error) {
	if err != nil {
		return v, err
	}
	vs := []T{v}
	err = open(s.opener(nil), ctx, vs)
	return vs[0], err
}

// eraseOrderCare overwrites what order care holds of a buyer in clear (rows
// written before sealing) and the sealed boxes, which their destroyed key
// no longer opens anyway; the rows stay, with their statuses and times.
func eraseOrderCare(ctx context.Context, tx *sqlx.Tx, m cases.Marketplace, buyerID string) error {
	var orders []struct {
		Key   string          `db:"key"`
		State json.RawMessage `db:"state"`
	}
	if err := tx.SelectContext(ctx, &orders, `
SELECT key, state FROM care_orders WHERE marketplace = $1 AND buyer_id = $2 FOR UPDATE`, m, buyerID); err != nil {
		return err
	}
	for _, o := range orders {
		state, err := eraseShaped(o.State, careStateShape)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `
UPDATE care_orders SET state = $2, tracking_number = CASE WHEN tracking_number = '' THEN '' ELSE $3 END
WHERE key = $1`, o.Key, state, Erased); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, `
UPDATE order_touchpoints SET text = CASE WHEN text = '' THEN '' ELSE $3 END,
       reason = CASE WHEN reason = '' THEN '' ELSE $3 END
WHERE marketplace = $1 AND buyer_id = $2`, m, buyerID, Erased); err != nil {
		return err
	}
	var tasks []struct {
		ID       string          `db:"id"`
		Evidence json.RawMessage `db:"evidence"`
	}
	if err := tx.SelectContext(ctx, &tasks, `
SELECT id, evidence FROM preemptive_tasks WHERE marketplace = $1 AND buyer_id = $2 FOR UPDATE`, m, buyerID); err != nil {
		return err
	}
	for _, t := range tasks {
		ev, err := eraseShaped(t.Evidence, evidenceShape)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `
UPDATE preemptive_tasks SET evidence = $2, summary = CASE WHEN summary = '' THEN '' ELSE $3 END,
       note = CASE WHEN note = '' THEN '' ELSE $3 END
WHERE id = $1`, t.ID, ev, Erased); err != nil {
			return err
		}
	}
	return nil
}

// exportOrderCare adds to out the buyer's orders under care, the
// touchpoints sent to them and the pre-emptive tasks about them, opened.
func exportOrderCare(ctx context.Context, tx *sqlx.Tx, open *opener, out *BuyerExport) error {
	m, buyer := out.Marketplace, out.BuyerID
	out.CareOrders, out.Touchpoints, out.PreemptiveTasks = []CareOrder{}, []TouchpointRow{}, []PreemptiveTask{}
	if err := tx.SelectContext(ctx, &out.CareOrders, `
SELECT * FROM care_orders WHERE marketplace = $1 AND buyer_id = $2 ORDER BY started_at, key`, m, buyer); err != nil {
		return err
	}
	if err := open.openCareOrders(ctx, out.CareOrders); err != nil {
		return err
	}
	if err := tx.SelectContext(ctx, &out.Touchpoints, `
SELECT * FROM order_touchpoints WHERE marketplace = $1 AND buyer_id = $2 ORDER BY at, order_key, touchpoint`, m, buyer); err != nil {
		return err
	}
	if err := open.openTouchpoints(ctx, out.Touchpoints); err != nil {
		return err
	}
	if err := tx.SelectContext(ctx, &out.PreemptiveTasks, `
SELECT * FROM preemptive_tasks WHERE marketplace = $1 AND buyer_id = $2 ORDER BY raised_at, id`, m, buyer); err != nil {
		return err
	}
	return open.openPreemptiveTasks(ctx, out.PreemptiveTasks)
}
