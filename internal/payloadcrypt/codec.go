// Package payloadcrypt encrypts every Temporal payload Redress writes
// (workflow and activity inputs and results, signals, updates, queries, memos
// and failure details) so histories hold no buyer's data in clear. It is a
// converter.PayloadCodec over a keyring.Ring: the key id travels in the
// payload's metadata, so rotating keys needs no re-encryption of old
// histories, and payloads without the encryption mark (histories recorded
// before encryption, or by the replay tests) pass through untouched. Each
// payload also names the organisation whose case it belongs to (org.go), so
// the codec server decodes for a caller only their organisation's payloads.
package payloadcrypt

import (
	"fmt"

	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/temporal"
	"google.golang.org/protobuf/proto"

	"github.com/redress-hq/redress/internal/keyring"
)

const (
	// Encoding marks an encrypted payload (metadata "encoding").
	Encoding = "binary/encrypted"
	// MetadataKeyID names the key that sealed the payload.
	MetadataKeyID = "encryption-key-id"
	// MetadataOrg names the organisation whose case the payload belongs to
	// (an id, not personal data); absent on payloads sealed without one.
	MetadataOrg = "redress-org"
)

// aad binds each ciphertext to this scheme and to its organisation, so the
// organisation in the clear metadata cannot be changed without the payload
// failing to open.
func aad(org string) []byte {
	if org == "" {
		return []byte("redress/payload/v1")
	}
	return []byte("redress/payload/v1 org=" + org)
}

// Codec encrypts payloads with the ring's active key and decrypts with any.
type Codec struct {
	Keys *keyring.Ring
	// Org, when set, is written into every payload Encode seals.
	Org string
}

// Encode seals each payload, metadata and data together.
func (c Codec) Encode(payloads []*commonpb.Payload) ([]*commonpb.Payload, error) {
	out := make([]*commonpb.Payload, len(payloads))
	for i, p := range payloads {
		plain, err := proto.Marshal(p)
		if err != nil {
			return nil, fmt.Errorf("payloadcrypt: %w", err)
		}
		kid, sealed := c.Keys.Seal(plain, aad(c.Org))
		meta := map[string][]byte{
			converter.MetadataEncoding: []byte(Encoding),
			MetadataKeyID:              []byte(kid),
		}
		if c.Org != "" {
			meta[MetadataOrg] = []byte(c.Org)
		}
		out[i] = &commonpb.Payload{Metadata: meta, Data: sealed}
	}
	return out, nil
}

// Decode opens encrypted payloads and passes the others through.
func (c Codec) Decode(payloads []*commonpb.Payload) ([]*commonpb.Payload, error) {
	out := make([]*commonpb.Payload, len(payloads))
	for i, p := range payloads {
		if string(p.GetMetadata()[converter.MetadataEncoding]) != Encoding {
			out[i] = p
			continue
		}
		md := p.GetMetadata()
		plain, err := c.Keys.Open(string(md[MetadataKeyID]), p.GetData(), aad(string(md[MetadataOrg])))
		if err != nil {
			return nil, fmt.Errorf("payloadcrypt: %w", err)
		}
		var dec commonpb.Payload
		if err := proto.Unmarshal(plain, &dec); err != nil {
			return nil, fmt.Errorf("payloadcrypt: %w", err)
		}
		out[i] = &dec
	}
	return out, nil
}

// Sealed reports whether p is encrypted, and the organisation it names
// ("" for none).
func Sealed(p *commonpb.Payload) (org string, sealed bool) {
	md := p.GetMetadata()
	return string(md[MetadataOrg]), string(md[converter.MetadataEncoding]) == Encoding
}

// FailureConverter also encrypts failures' messages and stack traces, which
// can quote what an activity was given.
func FailureConverter(dc converter.DataConverter) converter.FailureConverter {
	return temporal.NewDefaultFailureConverter(temporal.DefaultFailureConverterOptions{
		DataConverter: dc, EncodeCommonAttributes: true,
	})
}
