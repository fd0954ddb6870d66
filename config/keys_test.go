package config

import (
	"strings"
	"testing"

	"github.com/redress-hq/redress/internal/keyring"
)

// Without keys Redress refuses to start, unless development keys are asked for.
func TestEncryptionKeysAreRequired(t *testing.T) {
	_, err := Load()
	if err == nil || !strings.Contains(err.Error(), "REDRESS_PAYLOAD_KEYS") || !strings.Contains(err.Error(), "REDRESS_DATA_KEYS") {
		t.Fatalf("loaded without keys: %v", err)
	}
	t.Setenv("REDRESS_PAYLOAD_KEYS", keyring.Spec("p2", keyring.NewKey())+","+keyring.Spec("p1", keyring.NewKey()))
	t.Setenv("REDRESS_DATA_KEYS", keyring.Spec("d1", keyring.NewKey()))
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	r, _ := c.PayloadRing()
	if r.ActiveID() != "p2" {
		t.Fatalf("active payload key = %q, want the first", r.ActiveID())
	}
}
