package payloadcrypt_test

import (
	"context"
	"testing"

	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/sdk/converter"

	"github.com/redress-hq/redress/internal/keyring"
	"github.com/redress-hq/redress/internal/payloadcrypt"
	"github.com/redress-hq/redress/store"
)

type header map[string]*commonpb.Payload

func (h header) Set(k string, p *commonpb.Payload) { h[k] = p }
func (h header) Get(k string) (*commonpb.Payload, bool) {
	p, ok := h[k]
	return p, ok
}
func (h header) ForEachKey(fn func(string, *commonpb.Payload) error) error {
	for k, p := range h {
		if err := fn(k, p); err != nil {
			return err
		}
	}
	return nil
}

// The organisation comes from the header a worker received, else from the
// API caller's store scope; the system scope names none.
func TestOrgFromContext(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct {
		ctx  context.Context
		want string
	}{
		{ctx, ""},
		{store.WithScope(ctx, store.SystemScope()), ""},
		{store.WithScope(ctx, store.OrgScope("acme")), "acme"},
		{payloadcrypt.WithOrg(store.WithScope(ctx, store.SystemScope()), "bolt"), "bolt"},
	} {
		if got := payloadcrypt.OrgFrom(c.ctx); got != c.want {
			t.Errorf("OrgFrom = %q, want %q", got, c.want)
		}
	}

	var p payloadcrypt.OrgPropagator
	h := header{}
	if err := p.Inject(store.WithScope(ctx, store.OrgScope("acme")), h); err != nil {
		t.Fatal(err)
	}
	got, err := p.Extract(ctx, h)
	if err != nil || payloadcrypt.OrgFrom(got) != "acme" {
		t.Fatalf("extracted %q, %v", payloadcrypt.OrgFrom(got), err)
	}
	// No header (histories recorded before it): no organisation, no error.
	got, err = p.Extract(ctx, header{})
	if err != nil || payloadcrypt.OrgFrom(got) != "" {
		t.Fatalf("without the header: %q, %v", payloadcrypt.OrgFrom(got), err)
	}
	h = header{}
	if err := p.Inject(ctx, h); err != nil || len(h) != 0 {
		t.Fatalf("no organisation wrote %v, %v", h, err)
	}
}

// Payloads sealed for an organisation name it, and any worker decodes them.
func TestPayloadsNameTheirOrganisation(t *testing.T) {
	keys := keyring.Generate("k")
	dc := payloadcrypt.DataConverter(keys)
	acme := dc.(converter.ContextAware).WithContext(store.WithScope(context.Background(), store.OrgScope("acme")))
	p, err := acme.ToPayload(review{Text: "acme's"})
	if err != nil {
		t.Fatal(err)
	}
	if org, sealed := payloadcrypt.Sealed(p); !sealed || org != "acme" {
		t.Fatalf("sealed %v for %q", sealed, org)
	}
	var out review
	if err := dc.FromPayload(p, &out); err != nil || out.Text != "acme's" {
		t.Fatalf("decoded %+v, %v", out, err)
	}
	none, _ := dc.ToPayload(review{Text: "nobody's"})
	if org, sealed := payloadcrypt.Sealed(none); !sealed || org != "" {
		t.Fatalf("without a context: sealed %v for %q", sealed, org)
	}
	// The organisation is bound to the ciphertext.
	p.Metadata[payloadcrypt.MetadataOrg] = []byte("bolt")
	if err := dc.FromPayload(p, &out); err == nil {
		t.Fatal("a payload moved to another organisation decoded")
	}
}
