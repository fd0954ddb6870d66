package marketplace

import (
	"net/http"

	"github.com/redress-hq/redress/cases"
)

// BadSignature is the error for a webhook that fails verification:
// permanent, code bad_signature, and Status 401 — what the receiver should answer.
func BadSignature(m cases.Marketplace, message string) *Error {
	return &Error{Marketplace: m, Op: "parse_webhook", Class: cases.ErrPermanent, Status: http.StatusUnauthorized, Code: "bad_signature", Message: message}
}
