package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/redress-hq/redress/cases"
)

// Shop is one seller account on one marketplace, owned by an organisation.
// The platform's shop id is unique per marketplace.
type Shop struct {
	OrgID         string            `db:"org_id" json:"org_id"`
	Marketplace   cases.Marketplace `db:"marketplace" json:"marketplace"`
	ShopID        string            `db:"shop_id" json:"shop_id"`
	DisplayName   string            `db:"display_name" json:"display_name"`
	Site          string            `db:"site" json:"site"`
	Currency      string            `db:"currency" json:"currency"`
	TimeZone      string            `db:"time_zone" json:"time_zone"` // "" = the deployment's SHOP_TIME_ZONE
	BusinessHours Calendar          `db:"business_hours" json:"business_hours"`
	Enabled       bool              `db:"enabled" json:"enabled"`
	// Poll: Redress polls the shop for reviews (while enabled).
	Poll      bool `db:"poll" json:"poll"`
	Connected bool `db:"connected" json:"connected"` // credentials are stored
	Policy
	CreatedAt time.Time `db:"created_at" json:"created_at"`
	UpdatedAt time.Time `db:"updated_at" json:"updated_at"`
}

// Key names the shop in scopes and users' shop sets.
func (s Shop) Key() string { return ShopKey(string(s.Marketplace), s.ShopID) }

// Calendar is a shop's business hours with its holidays (local dates,
// "2006-01-02") on which no SLA time runs. Zero hours = the platform's.
type Calendar struct {
	StartHour int      `json:"start_hour,omitempty"`
	EndHour   int      `json:"end_hour,omitempty"`
	Holidays  []string `json:"holidays,omitempty"`
}

// Scan reads the jsonb column.
func (c *Calendar) Scan(src any) error { return scanJSON(src, c) }

// Policy is a shop's own rules; nil fields take the deployment's defaults.
// A case copies the values in force when it opens.
type Policy struct {
	// ApprovalLimit is in minor units of the shop's currency.
	ApprovalLimit     *int64       `db:"approval_limit" json:"approval_limit,omitempty"`
	AutoFirstContact  *bool        `db:"auto_first_contact" json:"auto_first_contact,omitempty"`
	NoReplyWaitS      *int64       `db:"no_reply_wait_s" json:"no_reply_wait_seconds,omitempty"`
	FollowUpDelayS    *int64       `db:"follow_up_delay_s" json:"follow_up_delay_seconds,omitempty"`
	ReviewCheckDelayS *int64       `db:"review_check_delay_s" json:"review_check_delay_seconds,omitempty"`
	SLAOverrides      SLAOverrides `db:"sla_overrides" json:"sla_overrides,omitempty"`
}

// SLAOverrides maps a deadline kind to its duration in seconds, over the
// platform's SLA policy.
type SLAOverrides map[string]int64

// Scan reads the jsonb column.
func (o *SLAOverrides) Scan(src any) error { return scanJSON(src, o) }

func scanJSON(src, dst any) error {
	switch v := src.(type) {
	case nil:
		return nil
	case []byte:
		return json.Unmarshal(v, dst)
	case string:
		return json.Unmarshal([]byte(v), dst)
	}
	return fmt.Errorf("scan json: unexpected %T", src)
}

// ShopPatch changes some of a shop's fields; nil leaves one as it is. A
// policy field set to a negative number goes back to the default.
type ShopPatch struct {
	DisplayName   *string
	Site          *string
	Currency      *string
	TimeZone      *string
	BusinessHours *Calendar
	Enabled       *bool
	Poll          *bool
	Policy        *Policy
}

const shopColumns = `org_id, marketplace, shop_id, display_name, site, currency, time_zone, business_hours,
    enabled, poll, credentials IS NOT NULL AS connected, approval_limit, auto_first_contact, no_reply_wait_s,
    follow_up_delay_s, review_check_delay_s, sla_overrides, created_at, updated_at`

func validShop(sh Shop) error {
	switch {
	case !sh.Marketplace.Valid():
		return invalid("unknown marketplace %q", sh.Marketplace)
	case sh.ShopID == "" || len(sh.ShopID) > 100:
		return invalid("shop id must have 1 to 100 characters")
	case sh.Currency != "" && len(sh.Currency) != 3:
		return invalid("currency %q is not an ISO 4217 code", sh.Currency)
	}
	if sh.TimeZone != "" {
		if _, err := cases.LoadZone(sh.TimeZone); err != nil {
			return invalid("time zone %q: %v", sh.TimeZone, err)
		}
	}
	return validCalendar(sh.BusinessHours)
}

func validCalendar(c Calendar) error {
	if c.StartHour < 0 || c.EndHour > 24 || (c.EndHour != 0 && c.StartHour >= c.EndHour) {
		return invalid("business hours %d-%d: need 0 <= start < end <= 24", c.StartHour, c.EndHour)
	}
	for _, d := range c.Holidays {
		if _, err := time.Parse(time.DateOnly, d); err != nil {
			return invalid("holiday %q is not a date (2006-01-02)", d)
		}
	}
	return nil
}

// slaKinds are the deadlines a shop may override.
var slaKinds = map[cases.DeadlineKind]bool{
	cases.DeadlineFirstContact: true, cases.DeadlineSolution: true, cases.DeadlinePublicReply: true,
	cases.DeadlineAppeal: true, cases.DeadlineResolution: true, cases.DeadlineReship: true,
}

func validPolicy(p Policy) error {
	for _, v := range []*int64{p.ApprovalLimit, p.NoReplyWaitS, p.FollowUpDelayS, p.ReviewCheckDelayS} {
		if v != nil && *v < 0 {
			return invalid("policy values are not negative")
		}
	}
	for k, v := range p.SLAOverrides {
		if !slaKinds[cases.DeadlineKind(k)] || v <= 0 {
			return invalid("SLA override %s=%d: a known deadline kind and a positive number of seconds", k, v)
		}
	}
	return nil
}

// CreateShop registers a shop in the caller's organisation (the system
// names it in sh.OrgID). ErrConflict if the platform shop is registered.
func (s *Store) CreateShop(ctx context.Context, sh Shop) (Shop, error) {
	if err := validShop(sh); err != nil {
		return Shop{}, err
	}
	if err := validPolicy(sh.Policy); err != nil {
		return Shop{}, err
	}
	org, err := s.orgForWrite(ctx, sh.OrgID)
	if err != nil {
		return Shop{}, err
	}
	cal, _ := json.Marshal(sh.BusinessHours)
	sla, _ := json.Marshal(nonNil(sh.SLAOverrides))
	var out Shop
	err = s.db.GetContext(ctx, &out, `
INSERT INTO shops (org_id, marketplace, shop_id, display_name, site, currency, time_zone, business_hours, enabled,
    approval_limit, auto_first_contact, no_reply_wait_s, follow_up_delay_s, review_check_delay_s, sla_overrides, poll)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
RETURNING `+shopColumns,
		org, sh.Marketplace, sh.ShopID, sh.DisplayName, sh.Site, sh.Currency, sh.TimeZone, cal, sh.Enabled,
		sh.ApprovalLimit, sh.AutoFirstContact, sh.NoReplyWaitS, sh.FollowUpDelayS, sh.ReviewCheckDelayS, sla, sh.Poll)
	return out, wrap("create shop "+sh.Key(), err)
}

func nonNil(o SLAOverrides) SLAOverrides {
	if o == nil {
		return SLAOverrides{}
	}
	return o
}

// GetShop returns a shop in the caller's scope, else ErrNotFound.
func (s *Store) GetShop(ctx context.Context, m cases.Marketplace, shopID string) (Shop, error) {
	if !storableText(shopID) {
		return Shop{}, fmt.Errorf("get shop: %w", ErrNotFound) // no shop can have such an id
	}
	var out Shop
	err := s.db.GetContext(ctx, &out, `SELECT `+shopColumns+` FROM shops WHERE marketplace = $1 AND shop_id = $2`, m, shopID)
	return out, wrap("get shop "+ShopKey(string(m), shopID), err)
}

// ShopForCase returns a registered shop whatever the caller's scope: a case
// opening (from a poll, a webhook or the API, after the caller's scope was
// checked) copies its shop's settings. ErrNotFound for an unregistered shop.
func (s *Store) ShopForCase(ctx context.Context, m cases.Marketplace, shopID string) (Shop, error) {
	return s.GetShop(WithScope(ctx, SystemScope()), m, shopID)
}

// ListShops lists the shops in the caller's scope.
func (s *Store) ListShops(ctx context.Context) ([]Shop, error) {
	out := []Shop{}
	err := s.db.SelectContext(ctx, &out, `SELECT `+shopColumns+` FROM shops ORDER BY org_id, marketplace, shop_id LIMIT 10000`)
	return out, wrap("list shops", err)
}

// ShopsToPoll lists every enabled shop marked for polling, of every
// organisation: the poll schedules follow it.
func (s *Store) ShopsToPoll(ctx context.Context) ([]Shop, error) {
	ctx = WithScope(ctx, SystemScope())
	out := []Shop{}
	err := s.db.SelectContext(ctx, &out, `SELECT `+shopColumns+` FROM shops WHERE enabled AND poll ORDER BY marketplace, shop_id`)
	return out, wrap("shops to poll", err)
}

// UpdateShop applies p to a shop in the caller's scope.
func (s *Store) UpdateShop(ctx context.Context, m cases.Marketplace, shopID string, p ShopPatch) (Shop, error) {
	cur, err := s.GetShop(ctx, m, shopID)
	if err != nil {
		return Shop{}, err
	}
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = *v
		}
	}
	set(&cur.DisplayName, p.DisplayName)
	set(&cur.Site, p.Site)
	set(&cur.Currency, p.Currency)
	set(&cur.TimeZone, p.TimeZone)
	if p.BusinessHours != nil {
		cur.BusinessHours = *p.BusinessHours
	}
	if p.Enabled != nil {
		cur.Enabled = *p.Enabled
	}
	if p.Poll != nil {
		cur.Poll = *p.Poll
	}
	if p.Policy != nil {
		cur.Policy = mergePolicy(cur.Policy, *p.Policy)
	}
	if err := validShop(cur); err != nil {
		return Shop{}, err
	}
	if err := validPolicy(cur.Policy); err != nil {
		return Shop{}, err
	}
	cal, _ := json.Marshal(cur.BusinessHours)
	sla, _ := json.Marshal(nonNil(cur.SLAOverrides))
	var out Shop
	err = s.db.GetContext(ctx, &out, `
UPDATE shops SET display_name = $3, site = $4, currency = $5, time_zone = $6, business_hours = $7, enabled = $8,
    approval_limit = $9, auto_first_contact = $10, no_reply_wait_s = $11, follow_up_delay_s = $12,
    review_check_delay_s = $13, sla_overrides = $14, poll = $15, updated_at = now()
WHERE marketplace = $1 AND shop_id = $2
RETURNING `+shopColumns,
		m, shopID, cur.DisplayName, cur.Site, cur.Currency, cur.TimeZone, cal, cur.Enabled,
		cur.ApprovalLimit, cur.AutoFirstContact, cur.NoReplyWaitS, cur.FollowUpDelayS, cur.ReviewCheckDelayS, sla, cur.Poll)
	return out, wrap("update shop "+ShopKey(string(m), shopID), err)
}

// mergePolicy lays p over cur: nil keeps, negative resets to the default.
func mergePolicy(cur, p Policy) Policy {
	pick := func(c, n *int64) *int64 {
		switch {
		case n == nil:
			return c
		case *n < 0:
			return nil
		}
		return n
	}
	cur.ApprovalLimit = pick(cur.ApprovalLimit, p.ApprovalLimit)
	cur.NoReplyWaitS = pick(cur.NoReplyWaitS, p.NoReplyWaitS)
	cur.FollowUpDelayS = pick(cur.FollowUpDelayS, p.FollowUpDelayS)
	cur.ReviewCheckDelayS = pick(cur.ReviewCheckDelayS, p.ReviewCheckDelayS)
	if p.AutoFirstContact != nil {
		cur.AutoFirstContact = p.AutoFirstContact
	}
	if p.SLAOverrides != nil {
		cur.SLAOverrides = p.SLAOverrides
	}
	return cur
}

// EnsureShops registers shops the environment names in DefaultOrg, so a
// single-seller deployment keeps working as it did: POLL_SHOPS' shops
// (poll true) are marked for polling, MARKETPLACE_SHOP_TOKENS' only
// registered. A registered shop keeps its organisation and settings.
func (s *Store) EnsureShops(ctx context.Context, keys []ShopRef, poll bool) error {
	ctx = WithScope(ctx, SystemScope())
	for _, k := range keys {
		if _, err := s.db.ExecContext(ctx, `INSERT INTO shops (org_id, marketplace, shop_id, poll) VALUES ($1, $2, $3, $4)
ON CONFLICT (marketplace, shop_id) DO UPDATE SET poll = shops.poll OR EXCLUDED.poll`, DefaultOrg, k.Marketplace, k.ShopID, poll); err != nil {
			return wrap("ensure shop "+ShopKey(string(k.Marketplace), k.ShopID), err)
		}
	}
	return nil
}

// ShopRef names a shop by its platform identifiers.
type ShopRef struct {
	Marketplace cases.Marketplace
	ShopID      string
}
