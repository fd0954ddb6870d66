package intake

import (
	"context"
	"fmt"

	"go.temporal.io/sdk/activity"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace"
)

// maxPullBatches bounds one poll's draining of a platform queue; the next
// poll takes the rest.
const maxPullBatches = 10

// pullEvents drains the platform's notification queue (Taobao TMC): each
// batch's reviews open cases and its buyer messages reach theirs, then the
// batch is confirmed. A failure leaves the batch unconfirmed, so the
// platform delivers it again; case ids and message ids dedupe.
func (a *Activities) pullEvents(ctx context.Context, puller marketplace.EventPuller, in PollInput) (PollResult, error) {
	var res PollResult
	for range maxPullBatches {
		batch, err := puller.PullEvents(ctx, in.ShopID)
		if err != nil {
			return res, asApplicationError(err)
		}
		if len(batch.Receipts) == 0 {
			return res, nil
		}
		for _, ev := range batch.Events {
			activity.RecordHeartbeat(ctx, ev.DeliveryID)
			started, changed, err := a.handPulled(ctx, in.Marketplace, ev)
			if err != nil {
				return res, err
			}
			if ev.Review != nil {
				res.Found++
			}
			if started {
				res.Started++
			}
			if changed {
				res.Changed++
			}
		}
		if err := puller.ConfirmEvents(ctx, in.ShopID, batch.Receipts); err != nil {
			return res, asApplicationError(err)
		}
	}
	return res, nil
}

// handPulled opens the case of a 1–3★ review (or sends a changed review to
// its case), or signals a buyer message.
func (a *Activities) handPulled(ctx context.Context, m cases.Marketplace, ev marketplace.WebhookEvent) (started, changed bool, err error) {
	switch {
	case ev.Kind == marketplace.WebhookReview && ev.Review != nil:
		return a.openOrChange(ctx, *ev.Review, "webhook")
	case ev.Kind == marketplace.WebhookBuyerMessage && a.Cases != nil:
		if _, err := DeliverBuyerMessage(ctx, a.Temporal, a.Cases, m, ev); err != nil {
			return false, false, fmt.Errorf("pulled message %s: %w", ev.DeliveryID, err)
		}
	}
	return false, false, nil
}
