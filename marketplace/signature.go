package marketplace

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"

	"github.com/redress-hq/redress/cases"
)

// SignHMAC returns the lowercase hex HMAC-SHA256 of body: how Redress models
// eBay and Taobao webhook signatures (shared with the simulator).
func SignHMAC(secret string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	return hex.EncodeToString(mac.Sum(nil))
}

// VerifyHMAC compares a signature in constant time.
func VerifyHMAC(secret string, body []byte, signature string) bool {
	if secret == "" || signature == "" {
		return false
	}
	return hmac.Equal([]byte(SignHMAC(secret, body)), []byte(strings.ToLower(strings.TrimSpace(signature))))
}

// BadSignature is the error for a webhook that fails verification:
// permanent, code bad_signature, and Status 401 — what the receiver should answer.
func BadSignature(m cases.Marketplace, message string) *Error {
	return &Error{Marketplace: m, Op: "parse_webhook", Class: cases.ErrPermanent, Status: http.StatusUnauthorized, Code: "bad_signature", Message: message}
}
