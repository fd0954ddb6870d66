// Package payloadcrypt encrypts every Temporal payload Redress writes
// (workflow and activity inputs and results, signals, updates, queries, memos
// and failure details) so histories hold no buyer's data in clear. It is a
// converter.PayloadCodec over a keyring.Ring: the key id travels in the
// payload's metadata, so rotating keys needs no re-encryption of old
// histories, and payloads without the encryption mark (histories recorded
// before encryption, or by the replay tests) pass through untouched.
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
)

// aad binds each ciphertext to this scheme.
var aad = []byte("redress/payload/v1")

// Codec encrypts payloads with the ring's active key and decrypts with any.
type Codec struct{ Keys *keyring.Ring }

// Encode seals each payload, metadata and data together.
func (c Codec) Encode(payloads []*commonpb.Payload) ([]*commonpb.Payload, error) {
	out := make([]*commonpb.Payload, len(payloads))
	for i, p := range payloads {
		plain, err := proto.Marshal(p)
		if err != nil {
			return nil, fmt.Errorf("payloadcrypt: %w", err)
		}
		kid, sealed := c.Keys.Seal(plain, aad)
		out[i] = &commonpb.Payload{
			Metadata: map[string][]byte{
				converter.MetadataEncoding: []byte(Encoding),
				MetadataKeyID:              []byte(kid),
			},
			Data: sealed,
		}
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
		plain, err := c.Keys.Open(string(p.GetMetadata()[MetadataKeyID]), p.GetData(), aad)
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

// DataConverter is the SDK's default converter with payloads encrypted.
func DataConverter(keys *keyring.Ring) converter.DataConverter {
	return converter.NewCodecDataConverter(converter.GetDefaultDataConverter(), Codec{Keys: keys})
}

// FailureConverter also encrypts failures' messages and stack traces, which
// can quote what an activity was given.
func FailureConverter(dc converter.DataConverter) converter.FailureConverter {
	return temporal.NewDefaultFailureConverter(temporal.DefaultFailureConverterOptions{
		DataConverter: dc, EncodeCommonAttributes: true,
	})
}
