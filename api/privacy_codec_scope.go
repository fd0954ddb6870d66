package api

import (
	"slices"
	"sort"

	commonpb "go.temporal.io/api/common/v1"

	"github.com/redress-hq/redress/internal/keyring"
	"github.com/redress-hq/redress/internal/payloadcrypt"
	"github.com/redress-hq/redress/store"
)

// scopedCodec is the payload codec for one codec-server caller. It decodes
// the payloads of the caller's organisation and leaves every other sealed
// payload as it is (the UI then shows it encoded): another organisation's,
// and one that names none (sealed outside any organisation's call, or before
// payloads named one), which only the deployment's admin decodes. A caller
// limited to some shops decodes none: payloads name only the organisation.
// It encodes for the caller's organisation.
type scopedCodec struct {
	keys  *keyring.Ring
	scope store.Scope
	// withheld counts the payloads left sealed, by the organisation they name.
	withheld int
	orgs     map[string]bool
}

func (c *scopedCodec) mayOpen(org string) bool {
	if c.scope.All {
		return true
	}
	return org != "" && org == c.scope.OrgID && len(c.scope.Shops) == 0
}

func (c *scopedCodec) Encode(payloads []*commonpb.Payload) ([]*commonpb.Payload, error) {
	org := c.scope.OrgID
	if c.scope.All {
		org = ""
	}
	return payloadcrypt.Codec{Keys: c.keys, Org: org}.Encode(payloads)
}

func (c *scopedCodec) Decode(payloads []*commonpb.Payload) ([]*commonpb.Payload, error) {
	out := slices.Clone(payloads)
	var open []int
	for i, p := range payloads {
		org, sealed := payloadcrypt.Sealed(p)
		switch {
		case !sealed:
		case c.mayOpen(org):
			open = append(open, i)
		default:
			c.withheld++
			if c.orgs == nil {
				c.orgs = map[string]bool{}
			}
			c.orgs[org] = true
		}
	}
	if len(open) == 0 {
		return out, nil
	}
	in := make([]*commonpb.Payload, len(open))
	for j, i := range open {
		in[j] = payloads[i]
	}
	dec, err := payloadcrypt.Codec{Keys: c.keys}.Decode(in)
	if err != nil {
		return nil, err
	}
	for j, i := range open {
		out[i] = dec[j]
	}
	return out, nil
}

// withheldOrgs names the organisations of the withheld payloads ("" for none).
func (c *scopedCodec) withheldOrgs() []string {
	orgs := make([]string, 0, len(c.orgs))
	for org := range c.orgs {
		orgs = append(orgs, org)
	}
	sort.Strings(orgs)
	return orgs
}
