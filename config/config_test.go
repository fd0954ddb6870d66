package config

import (
	"strings"
	"testing"
	"time"
)

func TestDefaultsAreValid(t *testing.T) {
	t.Setenv("REDRESS_DEV_KEYS", "true") // the one setting without a default
	c, err := Load()
	if err != nil {
		t.Fatalf("defaults must load: %v", err)
	}
	if c.HTTPAddr != ":8080" || c.TemporalAddress != "127.0.0.1:7233" || c.TemporalNamespace != "default" {
		t.Errorf("defaults: %+v", c)
	}
	s := c.CaseDefaults()
	if s.ApprovalLimit != 5000 || !s.AutoContact || s.FollowUpDelay != 24*time.Hour || s.NoReplyAfter != 0 {
		t.Errorf("case defaults: %+v", s)
	}
}

// Every bad setting is reported at once, named by its variable.
func TestInvalidSettingsAreNamed(t *testing.T) {
	bad := map[string]string{
		"DATABASE_URL":           "mysql://x",
		"TEMPORAL_ADDRESS":       "nohostport",
		"LOG_LEVEL":              "loud",
		"LOG_FORMAT":             "xml",
		"APPROVAL_LIMIT":         "-3",
		"SHOP_TIME_ZONE":         "Mars/Olympus",
		"POLL_SHOPS":             "etsy:1",
		"NO_REPLY_AFTER":         "-1h",
		"ALERT_WEBHOOK_URL":      "not a url",
		"REDRESS_PAYLOAD_KEYS":   "k1:short",
		"PRIVACY_RETENTION_DAYS": "0",
	}
	for k, v := range bad {
		t.Setenv(k, v)
	}
	_, err := Load()
	if err == nil {
		t.Fatal("invalid settings loaded")
	}
	for k := range bad {
		if !strings.Contains(err.Error(), k) {
			t.Errorf("error does not name %s: %v", k, err)
		}
	}
}

func TestPollShops(t *testing.T) {
	t.Setenv("POLL_SHOPS", "amazon:A1, mercadolibre:123")
	t.Setenv("REDRESS_DEV_KEYS", "true")
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	shops, _ := c.Shops()
	if len(shops) != 2 || shops[1].Marketplace != "mercadolibre" || shops[1].ShopID != "123" {
		t.Fatalf("shops: %+v", shops)
	}
}
