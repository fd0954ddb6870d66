package payloadcrypt_test

import (
	"bytes"
	"testing"

	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/sdk/converter"

	"github.com/redress-hq/redress/internal/keyring"
	"github.com/redress-hq/redress/internal/payloadcrypt"
)

type review struct {
	BuyerName string
	Text      string
}

func TestEncryptedPayloadsHideTheBuyerAndDecodeBack(t *testing.T) {
	dc := payloadcrypt.DataConverter(keyring.Generate("k1"))
	in := review{BuyerName: "Mariana Souza", Text: "chegou quebrado"}
	p, err := dc.ToPayload(in)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(p.Data, []byte("Mariana")) || bytes.Contains(p.Data, []byte("quebrado")) {
		t.Fatalf("payload holds the buyer's data in clear: %q", p.Data)
	}
	if got := string(p.Metadata[converter.MetadataEncoding]); got != payloadcrypt.Encoding {
		t.Fatalf("encoding = %q", got)
	}
	if got := string(p.Metadata[payloadcrypt.MetadataKeyID]); got != "k1" {
		t.Fatalf("key id = %q", got)
	}
	var out review
	if err := dc.FromPayload(p, &out); err != nil {
		t.Fatal(err)
	}
	if out != in {
		t.Fatalf("round trip: %+v", out)
	}
}

func TestRotatedRingStillReadsOldPayloads(t *testing.T) {
	oldKey, newKey := keyring.NewKey(), keyring.NewKey()
	before, err := keyring.Parse(keyring.Spec("2026-01", oldKey))
	if err != nil {
		t.Fatal(err)
	}
	after, err := keyring.Parse(keyring.Spec("2026-06", newKey) + "," + keyring.Spec("2026-01", oldKey))
	if err != nil {
		t.Fatal(err)
	}
	old, _ := payloadcrypt.DataConverter(before).ToPayload(review{Text: "old"})
	dc := payloadcrypt.DataConverter(after)
	var out review
	if err := dc.FromPayload(old, &out); err != nil || out.Text != "old" {
		t.Fatalf("old payload after rotation: %+v, %v", out, err)
	}
	fresh, _ := dc.ToPayload(review{Text: "new"})
	if got := string(fresh.Metadata[payloadcrypt.MetadataKeyID]); got != "2026-06" {
		t.Fatalf("new payloads sealed with %q, want the first key", got)
	}
	// A ring that dropped the old key can no longer read it.
	if err := payloadcrypt.DataConverter(keyring.Generate("2026-06")).FromPayload(old, &out); err == nil {
		t.Fatal("a payload sealed with a retired key decoded")
	}
}

func TestPlainPayloadsPassThrough(t *testing.T) {
	// Histories recorded before encryption (workflows/testdata) hold plain JSON.
	plain, _ := converter.GetDefaultDataConverter().ToPayload(review{Text: "recorded"})
	var out review
	if err := payloadcrypt.DataConverter(keyring.Generate("k")).FromPayload(plain, &out); err != nil || out.Text != "recorded" {
		t.Fatalf("plain payload: %+v, %v", out, err)
	}
}

func TestTamperedPayloadIsRefused(t *testing.T) {
	c := payloadcrypt.Codec{Keys: keyring.Generate("k")}
	plain, _ := converter.GetDefaultDataConverter().ToPayload("x")
	enc, _ := c.Encode([]*commonpb.Payload{plain})
	enc[0].Data[len(enc[0].Data)-1] ^= 1
	if _, err := c.Decode(enc); err == nil {
		t.Fatal("tampered payload decoded")
	}
}
