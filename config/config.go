// Package config reads Redress's settings from environment variables, with
// defaults that run on a developer machine, and validates them at start.
package config

import (
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/caarlos0/env/v11"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/internal/keyring"
	"github.com/redress-hq/redress/workflows"
)

// Config is every setting of the redress binary. Marketplace credentials and
// base URLs are read by the marketplace package (see README).
type Config struct {
	DatabaseURL       string `env:"DATABASE_URL" envDefault:"postgres://postgres@127.0.0.1:5432/redress?sslmode=disable"`
	TemporalAddress   string `env:"TEMPORAL_ADDRESS" envDefault:"127.0.0.1:7233"`
	TemporalNamespace string `env:"TEMPORAL_NAMESPACE" envDefault:"default"`
	TemporalUIURL     string `env:"TEMPORAL_UI_URL" envDefault:"http://localhost:8233"`
	HTTPAddr          string `env:"HTTP_ADDR" envDefault:":8080"`
	// BootstrapToken, when set, is accepted as an admin API token.
	BootstrapToken string `env:"REDRESS_BOOTSTRAP_TOKEN"`
	// PublicURL is where sellers' browsers reach the API: the platforms
	// send them back to {PublicURL}/v1/oauth/{marketplace}/callback after
	// they connect a shop (none: shops are connected with their credentials).
	PublicURL string `env:"REDRESS_PUBLIC_URL"`
	// EbayRuName is the RuName registered for that callback with eBay.
	EbayRuName string `env:"EBAY_RU_NAME"`
	// AmazonAppDraft: the SP-API application is still in draft, so its
	// consent URI carries version=beta (Amazon's test authorization); a
	// published application's must not.
	AmazonAppDraft bool `env:"AMAZON_APP_DRAFT"`
	// AlertWebhookURL receives seller alerts and escalations as JSON; log-only when empty.
	AlertWebhookURL string `env:"ALERT_WEBHOOK_URL"`
	LogLevel        string `env:"LOG_LEVEL" envDefault:"info"`
	LogFormat       string `env:"LOG_FORMAT" envDefault:"json"`
	// TemporalTimeout bounds every call the API makes into Temporal.
	TemporalTimeout time.Duration `env:"TEMPORAL_TIMEOUT" envDefault:"10s"`
	ShutdownTimeout time.Duration `env:"SHUTDOWN_TIMEOUT" envDefault:"30s"`
	BodyLimit       string        `env:"HTTP_BODY_LIMIT" envDefault:"1M"`

	// Case defaults for every shop (per-shop settings are a later step).
	AutoContact      bool          `env:"AUTO_CONTACT" envDefault:"true"`
	ApprovalLimit    string        `env:"APPROVAL_LIMIT" envDefault:"50.00"`
	FollowUpDelay    time.Duration `env:"FOLLOW_UP_DELAY" envDefault:"24h"`
	ReviewCheckDelay time.Duration `env:"REVIEW_CHECK_DELAY" envDefault:"72h"`
	ShopTimeZone     string        `env:"SHOP_TIME_ZONE" envDefault:"UTC"`
	// NoReplyAfter: how long to wait for the buyer after the first contact
	// before the public reply; empty keeps the platform policy (12 h).
	NoReplyAfter time.Duration `env:"NO_REPLY_AFTER"`

	// Intake polling: a Temporal Schedule per shop pulls negative reviews.
	// POLL_SHOPS is a comma list of marketplace:shop, e.g. "amazon:A1,mercadolibre:123".
	PollShops    []string      `env:"POLL_SHOPS" envSeparator:","`
	PollInterval time.Duration `env:"POLL_INTERVAL" envDefault:"5m"`

	// SimulatorAddr is where `redress simulate` (and `redress dev` without
	// marketplace credentials) serves the marketplace simulator.
	SimulatorAddr string `env:"SIMULATOR_ADDR" envDefault:"127.0.0.1:8090"`

	// AlertSMTP is the relay of e-mail alert channels (alerts.go).
	AlertSMTP AlertSMTP
	// AlertPrivateURLs lets alert channels post to loopback and private
	// addresses (a chat relay inside the deployment's network); off, a
	// seller's channel can reach only public addresses.
	AlertPrivateURLs bool `env:"ALERT_ALLOW_PRIVATE_URLS"`

	// Cluster: worker tuning and Temporal TLS / API key (cluster.go).
	Cluster Cluster

	// Buyers' personal data (docs/privacy.md). PayloadKeys encrypt every
	// Temporal payload and DataKeys wrap each buyer's data key in PostgreSQL:
	// "kid:base64-32-bytes,..." with the sealing key first and retired keys
	// after it. Both are required unless DevKeys, which uses fixed
	// development keys anyone can read in the source.
	PayloadKeys string `env:"REDRESS_PAYLOAD_KEYS"`
	DataKeys    string `env:"REDRESS_DATA_KEYS"`
	DevKeys     bool   `env:"REDRESS_DEV_KEYS"`
	// CodecServerAddr is where `redress codec-server` listens for the
	// Temporal UI (CORS allows TEMPORAL_UI_URL's origin only).
	CodecServerAddr string `env:"CODEC_SERVER_ADDR" envDefault:":8081"`
	// RetentionDays: personal data of a case closed longer ago is shredded.
	RetentionDays int `env:"PRIVACY_RETENTION_DAYS" envDefault:"180"`
}

// Load reads the environment and validates it.
func Load() (Config, error) {
	var c Config
	if err := env.Parse(&c); err != nil {
		return c, fmt.Errorf("config: %w", err)
	}
	return c, c.Validate()
}

// Validate reports every invalid setting at once.
func (c Config) Validate() error {
	var errs []error
	if u, err := url.Parse(c.DatabaseURL); err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		errs = append(errs, fmt.Errorf("DATABASE_URL %q is not a postgres:// URL", c.DatabaseURL))
	}
	if c.TemporalAddress == "" || !strings.Contains(c.TemporalAddress, ":") {
		errs = append(errs, fmt.Errorf("TEMPORAL_ADDRESS %q must be host:port", c.TemporalAddress))
	}
	if c.TemporalNamespace == "" {
		errs = append(errs, errors.New("TEMPORAL_NAMESPACE must not be empty"))
	}
	if _, err := url.Parse(c.TemporalUIURL); err != nil {
		errs = append(errs, fmt.Errorf("TEMPORAL_UI_URL: %w", err))
	}
	errs = append(errs, c.AlertSMTP.validate()...)
	if c.AlertWebhookURL != "" {
		if u, err := url.Parse(c.AlertWebhookURL); err != nil || u.Host == "" {
			errs = append(errs, fmt.Errorf("ALERT_WEBHOOK_URL %q is not an absolute URL", c.AlertWebhookURL))
		}
	}
	if _, err := c.level(); err != nil {
		errs = append(errs, err)
	}
	if c.LogFormat != "json" && c.LogFormat != "text" {
		errs = append(errs, fmt.Errorf("LOG_FORMAT %q must be json or text", c.LogFormat))
	}
	for name, d := range map[string]time.Duration{"TEMPORAL_TIMEOUT": c.TemporalTimeout,
		"SHUTDOWN_TIMEOUT": c.ShutdownTimeout, "FOLLOW_UP_DELAY": c.FollowUpDelay,
		"REVIEW_CHECK_DELAY": c.ReviewCheckDelay, "POLL_INTERVAL": c.PollInterval} {
		if d <= 0 {
			errs = append(errs, fmt.Errorf("%s must be positive, got %s", name, d))
		}
	}
	if c.NoReplyAfter < 0 {
		errs = append(errs, fmt.Errorf("NO_REPLY_AFTER must not be negative, got %s", c.NoReplyAfter))
	}
	if _, err := cases.ParseMoney(c.ApprovalLimit); err != nil {
		errs = append(errs, fmt.Errorf("APPROVAL_LIMIT: %w", err))
	}
	if _, err := cases.LoadZone(c.ShopTimeZone); err != nil {
		errs = append(errs, fmt.Errorf("SHOP_TIME_ZONE: %w", err))
	}
	if _, err := c.Shops(); err != nil {
		errs = append(errs, err)
	}
	errs = append(errs, c.Cluster.validate()...)
	if _, err := c.PayloadRing(); err != nil {
		errs = append(errs, err)
	}
	if _, err := c.DataRing(); err != nil {
		errs = append(errs, err)
	}
	if c.RetentionDays < 1 {
		errs = append(errs, fmt.Errorf("PRIVACY_RETENTION_DAYS must be at least 1, got %d", c.RetentionDays))
	}
	return errors.Join(errs...)
}

// CaseDefaults are the settings every new case starts with.
func (c Config) CaseDefaults() workflows.CaseSettings {
	limit, _ := cases.ParseMoney(c.ApprovalLimit) // validated in Load
	return workflows.CaseSettings{
		AutoContact:      c.AutoContact,
		ApprovalLimit:    limit,
		FollowUpDelay:    c.FollowUpDelay,
		ReviewCheckDelay: c.ReviewCheckDelay,
		TimeZone:         c.ShopTimeZone,
		NoReplyAfter:     c.NoReplyAfter,
	}
}

// Shop is one marketplace shop that Redress polls for reviews.
type Shop struct {
	Marketplace cases.Marketplace
	ShopID      string
}

// Shops parses POLL_SHOPS.
func (c Config) Shops() ([]Shop, error) {
	var shops []Shop
	for _, s := range c.PollShops {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		m, id, ok := strings.Cut(s, ":")
		if !ok || id == "" || !cases.Marketplace(m).Valid() {
			return nil, fmt.Errorf("POLL_SHOPS entry %q must be marketplace:shop with a known marketplace", s)
		}
		shops = append(shops, Shop{Marketplace: cases.Marketplace(m), ShopID: id})
	}
	return shops, nil
}

// PayloadRing is the key ring of Temporal payloads (REDRESS_PAYLOAD_KEYS).
func (c Config) PayloadRing() (*keyring.Ring, error) {
	return c.ring("REDRESS_PAYLOAD_KEYS", c.PayloadKeys, "redress development payload key")
}

// DataRing is the deployment key ring that wraps buyers' data keys (REDRESS_DATA_KEYS).
func (c Config) DataRing() (*keyring.Ring, error) {
	return c.ring("REDRESS_DATA_KEYS", c.DataKeys, "redress development data key")
}

func (c Config) ring(name, spec, devPhrase string) (*keyring.Ring, error) {
	switch {
	case spec != "":
		r, err := keyring.Parse(spec)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		return r, nil
	case c.DevKeys:
		return keyring.Derived("dev", devPhrase), nil
	default:
		return nil, fmt.Errorf("%s is required (or REDRESS_DEV_KEYS=true for development only; see docs/privacy.md)", name)
	}
}

func (c Config) level() (slog.Level, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(c.LogLevel)); err != nil {
		return l, fmt.Errorf("LOG_LEVEL %q: %w", c.LogLevel, err)
	}
	return l, nil
}
