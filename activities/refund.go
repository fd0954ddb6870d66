package activities

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.temporal.io/sdk/activity"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace"
)

const (
	refundCompleted = "completed"
	refundFailed    = "failed"
)

// IssueRefund issues a refund and waits, heartbeating, until the platform
// reports it completed (eBay and others refund asynchronously). The refund id
// is kept in the heartbeat, so a retried attempt resumes polling instead of
// asking again; the idempotency key covers a crash before the first beat.
func (a *Activities) IssueRefund(ctx context.Context, in RefundInput) (marketplace.RefundResult, error) {
	c, err := a.connector(in.Marketplace)
	if err != nil {
		return marketplace.RefundResult{}, err
	}
	var res marketplace.RefundResult
	if !activity.HasHeartbeatDetails(ctx) || activity.GetHeartbeatDetails(ctx, &res) != nil || res.ID == "" {
		res, err = c.IssueRefund(ctx, in.Request)
		if err != nil {
			return res, marketError(ctx, "issue_refund", err)
		}
	}
	interval := a.RefundPollInterval
	if interval <= 0 {
		interval = 5 * time.Second
	}
	for {
		activity.RecordHeartbeat(ctx, res)
		switch res.Status {
		case refundCompleted:
			return res, nil
		case refundFailed:
			return res, marketError(ctx, "refund_status", &marketplace.Error{
				Marketplace: in.Marketplace, Op: "refund_status", Class: cases.ErrPermanent,
				Message: fmt.Sprintf("refund %s failed on the platform", res.ID), Err: errors.New("refund failed"),
			})
		}
		select {
		case <-ctx.Done():
			return res, ctx.Err()
		case <-time.After(interval):
		}
		next, err := c.RefundStatus(ctx, in.Request.ShopID, res.ID)
		if err != nil {
			return res, marketError(ctx, "refund_status", err)
		}
		next.Replayed = next.Replayed || res.Replayed
		res = next
	}
}
