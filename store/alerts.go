package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/mail"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/redress-hq/redress/cases"
)

// AlertChannelType is how a channel is reached.
type AlertChannelType string

const (
	ChannelWebhook  AlertChannelType = "webhook"  // JSON, HMAC-SHA256 signed
	ChannelSlack    AlertChannelType = "slack"    // Slack incoming webhook
	ChannelDingTalk AlertChannelType = "dingtalk" // DingTalk custom robot
	ChannelWeCom    AlertChannelType = "wecom"    // WeCom group robot
	ChannelEmail    AlertChannelType = "email"    // e-mail over SMTP
)

// AlertChannelTypes lists every channel type.
var AlertChannelTypes = []AlertChannelType{ChannelWebhook, ChannelSlack, ChannelDingTalk, ChannelWeCom, ChannelEmail}

// AlertKinds are the kinds a channel may subscribe to (activities.AlertKind values).
var AlertKinds = []string{"new_case", "deadline_reminder", "deadline_breached", "incident", "order_risk"}

// AlertChannel is where an organisation, or one of its shops, hears about cases.
type AlertChannel struct {
	ID          string           `db:"id" json:"id"`
	OrgID       string           `db:"org_id" json:"org_id"`
	Marketplace string           `db:"marketplace" json:"marketplace"`
	ShopID      string           `db:"shop_id" json:"shop_id"`
	Name        string           `db:"name" json:"name"`
	Type        AlertChannelType `db:"type" json:"type"`
	// Language the alerts are written in: en, es, pt or zh.
	Language string `db:"language" json:"language"`
	// URL is shown as scheme://host/… only: Slack, DingTalk and WeCom keep their keys in it.
	URL string `db:"url" json:"url,omitempty"`
	// Secret is never shown again once saved.
	Secret    string `db:"secret" json:"-"`
	HasSecret bool   `db:"-" json:"has_secret"`
	// Sealed holds URL and Secret at rest (alerts_sealed.go); read rows have them opened.
	Sealed     []byte         `db:"sealed" json:"-"`
	SealedKey  string         `db:"sealed_key" json:"-"`
	Recipients pq.StringArray `db:"recipients" json:"recipients"`
	Kinds      pq.StringArray `db:"kinds" json:"kinds"`
	Severities pq.StringArray `db:"severities" json:"severities"`
	Enabled    bool           `db:"enabled" json:"enabled"`
	CreatedAt  time.Time      `db:"created_at" json:"created_at"`
	UpdatedAt  time.Time      `db:"updated_at" json:"updated_at"`
}

// Wants reports whether the channel subscribes to an alert of this kind and severity.
func (c AlertChannel) Wants(kind string, severity cases.Severity) bool {
	if len(c.Kinds) > 0 && !slices.Contains(c.Kinds, kind) {
		return false
	}
	return len(c.Severities) == 0 || severity == "" || slices.Contains(c.Severities, string(severity))
}

// validate checks a channel before it is saved.
func (c *AlertChannel) validate() error {
	c.Name = strings.TrimSpace(c.Name)
	if c.Name == "" || len(c.Name) > 100 {
		return invalid("channel name must be 1 to 100 characters")
	}
	if c.OrgID == "" {
		c.OrgID = orgDefault
	}
	if c.Language == "" {
		c.Language = cases.LangEN
	}
	if !slices.Contains(cases.Languages, c.Language) {
		return invalid("language %q is not one of %s", c.Language, strings.Join(cases.Languages, ", "))
	}
	if c.Marketplace != "" && !cases.Marketplace(c.Marketplace).Valid() {
		return invalid("unknown marketplace %q", c.Marketplace)
	}
	for _, k := range c.Kinds {
		if !slices.Contains(AlertKinds, k) {
			return invalid("unknown alert kind %q (one of %s)", k, strings.Join(AlertKinds, ", "))
		}
	}
	for _, s := range c.Severities {
		if s != string(cases.SeverityBad) && s != string(cases.SeverityMid) {
			return invalid("unknown severity %q (bad or mid)", s)
		}
	}
	switch c.Type {
	case ChannelEmail:
		if len(c.Recipients) == 0 || len(c.Recipients) > 20 {
			return invalid("an e-mail channel needs 1 to 20 recipients")
		}
		for _, r := range c.Recipients {
			if _, err := mail.ParseAddress(r); err != nil {
				return invalid("recipient %q is not an e-mail address", r)
			}
		}
		c.URL = ""
	case ChannelWebhook, ChannelSlack, ChannelDingTalk, ChannelWeCom:
		u, err := url.Parse(c.URL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return invalid("%s channel needs an absolute http(s) url", c.Type)
		}
		if c.Type == ChannelWebhook && c.Secret == "" {
			return invalid("a webhook channel needs a secret to sign with")
		}
		c.Recipients = nil
	default:
		return invalid("unknown channel type %q", c.Type)
	}
	if c.Recipients == nil {
		c.Recipients = pq.StringArray{}
	}
	if c.Kinds == nil {
		c.Kinds = pq.StringArray{}
	}
	if c.Severities == nil {
		c.Severities = pq.StringArray{}
	}
	return nil
}

const alertChannelColumns = `id, org_id, marketplace, shop_id, name, type, language, url, secret, sealed, sealed_key, recipients, kinds, severities, enabled, created_at, updated_at`

// CreateAlertChannel saves a new channel and returns it with its id.
func (s *Store) CreateAlertChannel(ctx context.Context, c AlertChannel, by string) (AlertChannel, error) {
	if err := c.validate(); err != nil {
		return AlertChannel{}, err
	}
	id, err := randomID("ach_")
	if err != nil {
		return AlertChannel{}, err
	}
	c.ID = id
	if err := s.sealKeys(&c); err != nil {
		return AlertChannel{}, err
	}
	err = s.auditedTx(ctx, func(tx *sqlx.Tx) (AdminEvent, error) {
		err := tx.GetContext(ctx, &c, `
			INSERT INTO alert_channels (id, org_id, marketplace, shop_id, name, type, url, secret, sealed, sealed_key, recipients, kinds, severities, enabled, language)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
			RETURNING `+alertChannelColumns,
			c.ID, c.OrgID, c.Marketplace, c.ShopID, c.Name, c.Type, c.URL, c.Secret, c.Sealed, c.SealedKey, c.Recipients, c.Kinds, c.Severities, c.Enabled, c.Language)
		if err == nil {
			err = s.openKeys(&c)
		}
		return channelAudit(c, by, "alert_channel.created"), err
	})
	if err != nil {
		return AlertChannel{}, wrap("create alert channel", err)
	}
	return shown(c), nil
}

// UpdateAlertChannel replaces a channel's settings; an empty secret keeps the old one.
func (s *Store) UpdateAlertChannel(ctx context.Context, c AlertChannel, by string) (AlertChannel, error) {
	old, err := s.GetAlertChannel(ctx, c.OrgID, c.ID)
	if err != nil {
		return AlertChannel{}, err
	}
	// The secret and the URL (which carries the robots' keys) are never
	// shown; an update without them keeps the saved ones.
	saved, err := s.channelWithKeys(ctx, old.OrgID, old.ID)
	if err != nil {
		return AlertChannel{}, err
	}
	if c.Secret == "" {
		c.Secret = saved.Secret
	}
	if c.URL == "" {
		c.URL = saved.URL
	}
	if err := c.validate(); err != nil {
		return AlertChannel{}, err
	}
	if err := s.sealKeys(&c); err != nil {
		return AlertChannel{}, err
	}
	err = s.auditedTx(ctx, func(tx *sqlx.Tx) (AdminEvent, error) {
		err := tx.GetContext(ctx, &c, `
			UPDATE alert_channels SET marketplace = $3, shop_id = $4, name = $5, type = $6, url = $7, secret = $8,
				sealed = $9, sealed_key = $10, recipients = $11, kinds = $12, severities = $13, enabled = $14, language = $15, updated_at = now()
			WHERE org_id = $1 AND id = $2 AND deleted_at IS NULL
			RETURNING `+alertChannelColumns,
			c.OrgID, c.ID, c.Marketplace, c.ShopID, c.Name, c.Type, c.URL, c.Secret, c.Sealed, c.SealedKey, c.Recipients, c.Kinds, c.Severities, c.Enabled, c.Language)
		if err == nil {
			err = s.openKeys(&c)
		}
		return channelAudit(c, by, "alert_channel.changed"), err
	})
	if err != nil {
		return AlertChannel{}, wrap("update alert channel "+c.ID, err)
	}
	return shown(c), nil
}

// DeleteAlertChannel stops a channel; its delivery log stays.
func (s *Store) DeleteAlertChannel(ctx context.Context, orgID, id, by string) error {
	err := s.auditedTx(ctx, func(tx *sqlx.Tx) (AdminEvent, error) {
		res, err := tx.ExecContext(ctx, `
			UPDATE alert_channels SET deleted_at = now(), enabled = false, updated_at = now()
			WHERE org_id = $1 AND id = $2 AND deleted_at IS NULL`, orgID, id)
		if err != nil {
			return AdminEvent{}, err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return AdminEvent{}, ErrNotFound
		}
		return AdminEvent{OrgID: orgID, Actor: by, Action: "alert_channel.deleted", Target: id}, nil
	})
	return wrap("delete alert channel "+id, err)
}

// channelAudit is a channel's entry in the admin trail: what it is and
// where it goes, never its secret.
func channelAudit(c AlertChannel, by, action string) AdminEvent {
	return AdminEvent{OrgID: c.OrgID, Actor: by, Action: action, Target: c.ID, Detail: auditDetail(map[string]any{
		"name": c.Name, "type": c.Type, "language": c.Language, "marketplace": c.Marketplace, "shop_id": c.ShopID, "url": redactedURL(c.URL),
		"recipients": c.Recipients, "kinds": c.Kinds, "severities": c.Severities, "enabled": c.Enabled})}
}

// redactedURL keeps a channel URL's scheme and host only: Slack puts its
// secret in the path, DingTalk and WeCom robots their tokens in the query.
func redactedURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return ""
	}
	return u.Scheme + "://" + u.Host + "/…"
}

// GetAlertChannel returns one of the organisation's channels.
func (s *Store) GetAlertChannel(ctx context.Context, orgID, id string) (AlertChannel, error) {
	c, err := s.channelWithKeys(ctx, orgID, id)
	if err != nil {
		return AlertChannel{}, err
	}
	return shown(c), nil
}

// channelWithKeys is a channel with its URL and secret opened.
func (s *Store) channelWithKeys(ctx context.Context, orgID, id string) (AlertChannel, error) {
	var c AlertChannel
	err := s.db.GetContext(ctx, &c, `SELECT `+alertChannelColumns+` FROM alert_channels
		WHERE org_id = $1 AND id = $2 AND deleted_at IS NULL`, orgID, id)
	if err != nil {
		return AlertChannel{}, wrap("get alert channel "+id, err)
	}
	return c, s.openKeys(&c)
}

// ListAlertChannels returns the organisation's channels, oldest first.
func (s *Store) ListAlertChannels(ctx context.Context, orgID string) ([]AlertChannel, error) {
	out := []AlertChannel{}
	err := s.db.SelectContext(ctx, &out, `SELECT `+alertChannelColumns+` FROM alert_channels
		WHERE org_id = $1 AND deleted_at IS NULL ORDER BY created_at, id LIMIT 500`, orgID)
	if err != nil {
		return nil, wrap("list alert channels", err)
	}
	for i := range out {
		if err := s.openKeys(&out[i]); err != nil {
			return nil, err
		}
		out[i] = shown(out[i])
	}
	return out, nil
}

// AlertChannelsFor returns the enabled channels of the organisation that
// owns the shop which cover that shop, secrets included, for delivery.
func (s *Store) AlertChannelsFor(ctx context.Context, m cases.Marketplace, shopID string) ([]AlertChannel, error) {
	out := []AlertChannel{}
	err := s.db.SelectContext(ctx, &out, `SELECT `+alertChannelColumns+` FROM alert_channels
		WHERE deleted_at IS NULL AND enabled
		  AND org_id = `+orgOfShopSQL+`
		  AND marketplace IN ('', $1) AND shop_id IN ('', $2)
		ORDER BY created_at, id`, m, shopID)
	if err != nil {
		return nil, wrap("alert channels for "+string(m)+"/"+shopID, err)
	}
	for i := range out {
		if err := s.openKeys(&out[i]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// AlertDelivery is one alert's delivery to one channel.
type AlertDelivery struct {
	ID             int64     `db:"id" json:"id"`
	OrgID          string    `db:"org_id" json:"org_id"`
	ChannelID      string    `db:"channel_id" json:"channel_id"`
	IdempotencyKey string    `db:"idempotency_key" json:"idempotency_key"`
	CaseID         string    `db:"case_id" json:"case_id"`
	Marketplace    string    `db:"marketplace" json:"marketplace"`
	ShopID         string    `db:"shop_id" json:"shop_id"`
	Kind           string    `db:"kind" json:"kind"`
	Severity       string    `db:"severity" json:"severity"`
	Status         string    `db:"status" json:"status"`
	Attempts       int       `db:"attempts" json:"attempts"`
	ResponseStatus int       `db:"response_status" json:"response_status"`
	Error          string    `db:"error" json:"error"`
	CreatedAt      time.Time `db:"created_at" json:"created_at"`
	UpdatedAt      time.Time `db:"updated_at" json:"updated_at"`
}

// Delivery statuses.
const (
	DeliveryDelivered = "delivered"
	DeliveryFailed    = "failed"
)

// RecordAlertDelivery logs attempts to deliver an alert to a channel; a
// retried alert adds its attempts to the same row.
func (s *Store) RecordAlertDelivery(ctx context.Context, d AlertDelivery) error {
	_, err := s.db.ExecContext(ctx, `
		INSERT INTO alert_deliveries (org_id, channel_id, idempotency_key, case_id, marketplace, shop_id, kind, severity,
			status, attempts, response_status, error)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
		ON CONFLICT (channel_id, idempotency_key) DO UPDATE SET
			status = EXCLUDED.status, attempts = alert_deliveries.attempts + EXCLUDED.attempts,
			response_status = EXCLUDED.response_status, error = EXCLUDED.error, updated_at = now()`,
		d.OrgID, d.ChannelID, d.IdempotencyKey, d.CaseID, d.Marketplace, d.ShopID, d.Kind, d.Severity,
		d.Status, d.Attempts, d.ResponseStatus, d.Error)
	return wrap("record alert delivery", err)
}

// AlertDelivered reports whether the channel already has the alert.
func (s *Store) AlertDelivered(ctx context.Context, channelID, key string) (bool, error) {
	var ok bool
	err := s.db.GetContext(ctx, &ok, `SELECT EXISTS (SELECT 1 FROM alert_deliveries
		WHERE channel_id = $1 AND idempotency_key = $2 AND status = 'delivered')`, channelID, key)
	return ok, wrap("alert delivered", err)
}

// AlertDeliveryFilter narrows the delivery log; zero fields match all.
type AlertDeliveryFilter struct {
	OrgID     string
	ChannelID string
	CaseID    string
	Status    string
	Limit     int
}

// ListAlertDeliveries returns the organisation's delivery log, newest first.
func (s *Store) ListAlertDeliveries(ctx context.Context, f AlertDeliveryFilter) ([]AlertDelivery, error) {
	if f.Status != "" && f.Status != DeliveryDelivered && f.Status != DeliveryFailed {
		return nil, invalid("status must be delivered or failed")
	}
	out := []AlertDelivery{}
	err := s.db.SelectContext(ctx, &out, `SELECT id, org_id, channel_id, idempotency_key, case_id, marketplace, shop_id,
			kind, severity, status, attempts, response_status, error, created_at, updated_at
		FROM alert_deliveries
		WHERE org_id = $1 AND ($2 = '' OR channel_id = $2) AND ($3 = '' OR case_id = $3) AND ($4 = '' OR status = $4)
		ORDER BY id DESC LIMIT $5`, f.OrgID, f.ChannelID, f.CaseID, f.Status, listLimit(f.Limit))
	if err != nil {
		return nil, wrap("list alert deliveries", err)
	}
	return out, nil
}

// shown hides a channel's secret, saying only whether it has one, and the
// parts of its URL that hold a key.
func shown(c AlertChannel) AlertChannel {
	c.HasSecret = c.Secret != ""
	c.Secret = ""
	c.URL = redactedURL(c.URL)
	return c
}

// randomID returns prefix and 16 random hex digits; ids are not secret.
func randomID(prefix string) (string, error) {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("random id: %w", err)
	}
	return prefix + hex.EncodeToString(b[:]), nil
}
