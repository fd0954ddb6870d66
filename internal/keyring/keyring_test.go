package keyring_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/redress-hq/redress/internal/keyring"
)

func TestParseRefusesMalformedRingsWithoutEchoingKeys(t *testing.T) {
	secret := "c2VjcmV0LWJ1dC10b28tc2hvcnQ="
	for name, spec := range map[string]string{
		"empty":     "",
		"no kid":    ":" + secret,
		"no colon":  secret,
		"short key": "k1:" + secret,
		"not b64":   "k1:!!!",
		"duplicate": keyring.Spec("k", keyring.NewKey()) + "," + keyring.Spec("k", keyring.NewKey()),
	} {
		_, err := keyring.Parse(spec)
		if err == nil {
			t.Errorf("%s: accepted", name)
			continue
		}
		if strings.Contains(err.Error(), secret) {
			t.Errorf("%s: error echoes the key: %v", name, err)
		}
	}
}

func TestSealOpenWithTheNamedKey(t *testing.T) {
	r, err := keyring.Parse(keyring.Spec("a", keyring.NewKey()) + ", " + keyring.Spec("b", keyring.NewKey()))
	if err != nil {
		t.Fatal(err)
	}
	kid, sealed := r.Seal([]byte("hola"), []byte("ctx"))
	if kid != "a" || r.ActiveID() != "a" {
		t.Fatalf("active key = %q", kid)
	}
	if got, err := r.Open(kid, sealed, []byte("ctx")); err != nil || string(got) != "hola" {
		t.Fatalf("open: %q %v", got, err)
	}
	if _, err := r.Open(kid, sealed, []byte("other")); err == nil {
		t.Fatal("opened with the wrong context")
	}
	if _, err := r.Open("zz", sealed, nil); !errors.Is(err, keyring.ErrUnknownKey) {
		t.Fatalf("unknown key: %v", err)
	}
}
