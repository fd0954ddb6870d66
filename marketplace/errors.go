package marketplace

import (
	"errors"
	"fmt"
	"time"

	"github.com/redress-hq/redress/cases"
)

// Error is a failed marketplace call, classified so that activities know
// whether to retry, wait, refresh credentials, read back or give up.
type Error struct {
	Marketplace cases.Marketplace
	Op          string           // e.g. send_buyer_message
	Class       cases.ErrorClass // retryable, rate_limited, auth_expired, ...
	Status      int              // HTTP status when there was one
	Code        string           // the platform's own error code
	Message     string
	RetryAfter  time.Duration // the wait the platform stated, for rate limits
	Err         error
}

func (e *Error) Error() string {
	s := fmt.Sprintf("%s %s: %s", e.Marketplace, e.Op, e.Class)
	if e.Status != 0 {
		s += fmt.Sprintf(" (HTTP %d)", e.Status)
	}
	if e.Code != "" {
		s += " " + e.Code
	}
	if e.Message != "" {
		s += ": " + e.Message
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// ClassOf returns the class of err; unknown errors are retryable, since a
// failure we cannot read is most often the network.
func ClassOf(err error) cases.ErrorClass {
	var me *Error
	if errors.As(err, &me) {
		return me.Class
	}
	return cases.ErrRetryable
}

// CodeUnverifiable marks an ambiguous write that the connector cannot read
// back (Amazon lists no sent messages): an automatic retry could apply it
// twice, so a person checks the platform and decides.
const CodeUnverifiable = "unverifiable_write"

// Permanent reports whether retrying err cannot help without a change, or
// must not happen without a person (an ambiguous write nobody can verify).
func Permanent(err error) bool {
	switch ClassOf(err) {
	case cases.ErrPermanent, cases.ErrAuthRevoked, cases.ErrGuardRejected:
		return true
	case cases.ErrAmbiguous:
		var me *Error
		return errors.As(err, &me) && me.Code == CodeUnverifiable
	}
	return false
}
