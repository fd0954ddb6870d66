package ebay

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace"
)

// SignatureHeader carries eBay's notification signature: base64 of the JSON
// {alg, kid, signature, digest}; signature is a base64 ASN.1 ECDSA signature
// checked with the public key getPublicKey returns for kid.
const SignatureHeader = "X-EBAY-SIGNATURE"

var errNotEC = errors.New("not an elliptic-curve key")

type signatureHeader struct {
	Alg       string `json:"alg"`
	Kid       string `json:"kid"`
	Signature string `json:"signature"`
	Digest    string `json:"digest"`
}

// verify checks a delivery the way eBay's event-notification SDKs do: the
// signed bytes are the message as compact JSON (the SDKs re-serialise the
// parsed message), so the raw body is also accepted when it is already compact.
func (c *Client) verify(ctx context.Context, header string, body []byte) error {
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(header))
	var h signatureHeader
	if err != nil || json.Unmarshal(raw, &h) != nil || h.Kid == "" || h.Signature == "" {
		return marketplace.BadSignature(cases.EBay, "X-EBAY-SIGNATURE is missing or not eBay's base64 JSON")
	}
	sig, err := base64.StdEncoding.DecodeString(h.Signature)
	if err != nil {
		return marketplace.BadSignature(cases.EBay, "X-EBAY-SIGNATURE signature is not base64")
	}
	key, err := c.keys.get(ctx, h.Kid)
	if err != nil {
		return err
	}
	if !strings.EqualFold(key.algorithm, "ECDSA") {
		return marketplace.BadSignature(cases.EBay, "unsupported signature algorithm "+key.algorithm)
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, body); err != nil {
		return marketplace.Invalid(cases.EBay, "parse_webhook", "bad_payload", "notification is not JSON")
	}
	for _, signed := range [][]byte{compact.Bytes(), body} {
		digest, ok := hash(key.digest, signed)
		if !ok {
			return marketplace.BadSignature(cases.EBay, "unsupported signature digest "+key.digest)
		}
		if ecdsa.VerifyASN1(key.key, digest, sig) {
			return nil
		}
	}
	return marketplace.BadSignature(cases.EBay, "X-EBAY-SIGNATURE does not match the notification")
}

func hash(digest string, data []byte) ([]byte, bool) {
	switch strings.ToUpper(digest) {
	case "SHA1":
		sum := sha1.Sum(data)
		return sum[:], true
	case "SHA256":
		sum := sha256.Sum256(data)
		return sum[:], true
	}
	return nil, false
}
