package activities

import (
	"context"
	"errors"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace"
)

// NonRetryableClasses are the error types a RetryPolicy must not retry:
// only a change (corrected params, new credentials) can help.
var NonRetryableClasses = []string{
	string(cases.ErrPermanent), string(cases.ErrAuthRevoked), string(cases.ErrGuardRejected), "no_connector",
}

// marketError turns a connector failure into an ApplicationError whose Type
// is the error class, so the workflow's RetryPolicy and incident logic can
// read it; rate limits carry the platform's stated wait as NextRetryDelay.
func marketError(ctx context.Context, op string, err error) error {
	if err == nil {
		return nil
	}
	class := marketplace.ClassOf(err)
	opts := temporal.ApplicationErrorOptions{
		NonRetryable: marketplace.Permanent(err),
		Cause:        err,
		Details:      []any{ErrorDetail{Attempt: activity.GetInfo(ctx).Attempt, Op: op}},
	}
	var me *marketplace.Error
	if errors.As(err, &me) && me.Class == cases.ErrRateLimited && me.RetryAfter > 0 {
		opts.NextRetryDelay = me.RetryAfter
	}
	return temporal.NewApplicationErrorWithOptions(err.Error(), string(class), opts)
}

func permanent(errType string, err error) error {
	return temporal.NewApplicationErrorWithOptions(err.Error(), errType, temporal.ApplicationErrorOptions{NonRetryable: true, Cause: err})
}
