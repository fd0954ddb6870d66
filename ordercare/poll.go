package ordercare

import (
	"context"
	"errors"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace"
	"github.com/redress-hq/redress/store"
)

// SignalPollNow asks a shop's poll to run at once.
const SignalPollNow = "poll-now"

// PollResult is one poll of a shop.
type PollResult struct {
	Enabled   bool          `json:"enabled"`
	Orders    int           `json:"orders"`
	Questions int           `json:"questions"`
	Every     time.Duration `json:"every"`
}

// ShopPollWorkflow is the polling fallback of a shop with order care: it
// lists the shop's recent orders (starting or refreshing their care) and its
// open questions, then sleeps; it ends when the shop disables order care and
// continues as new now and then to keep its history short.
func ShopPollWorkflow(ctx workflow.Context, in QuestionsInput) error {
	ctx = workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 2 * time.Minute,
		RetryPolicy: &temporal.RetryPolicy{InitialInterval: 5 * time.Second, BackoffCoefficient: 2, MaximumInterval: 5 * time.Minute,
			MaximumAttempts: 5, NonRetryableErrorTypes: []string{"permanent"}},
	})
	for i := 0; i < 50; i++ {
		var res PollResult
		if err := workflow.ExecuteActivity(ctx, "PollShop", in).Get(ctx, &res); err != nil {
			workflow.GetLogger(ctx).Warn("shop poll failed; trying again later", "shop", in.ShopID, "error", err)
			res = PollResult{Enabled: true, Every: DefaultShopPoll}
		}
		if !res.Enabled {
			return nil
		}
		// Sleep until the next poll, or poll at once when asked (the shop's
		// setting was saved again).
		tctx, cancel := workflow.WithCancel(ctx)
		sel := workflow.NewSelector(ctx)
		sel.AddFuture(workflow.NewTimer(tctx, res.Every), func(workflow.Future) {})
		sel.AddReceive(workflow.GetSignalChannel(ctx, SignalPollNow), func(c workflow.ReceiveChannel, _ bool) { c.Receive(ctx, nil) })
		sel.Select(ctx)
		cancel()
	}
	return workflow.NewContinueAsNewError(ctx, ShopPollWorkflowName, in)
}

// PollStore is what the shop poll reads and writes; *store.Store satisfies it.
type PollStore interface {
	GetOrderCareShop(ctx context.Context, m cases.Marketplace, shopID string) (store.OrderCareShop, error)
	SetOrdersCursor(ctx context.Context, m cases.Marketplace, shopID string, at time.Time) error
}

// PollShop lists the shop's orders changed since the cursor and its open
// questions. Orders are signalled (signal-with-start, so a known order is
// only refreshed); the cursor moves only after all were signalled.
func (a *Activities) PollShop(ctx context.Context, in QuestionsInput) (PollResult, error) {
	ps, ok := a.Store.(PollStore)
	if !ok || a.Temporal == nil {
		return PollResult{}, temporal.NewNonRetryableApplicationError("order care's shop poll needs the store and Temporal", "permanent", nil)
	}
	shop, err := ps.GetOrderCareShop(ctx, in.Marketplace, in.ShopID)
	if errors.Is(err, store.ErrNotFound) || (err == nil && !shop.Enabled) {
		return PollResult{Enabled: false}, nil
	} else if err != nil {
		return PollResult{}, err
	}
	res := PollResult{Enabled: true, Every: DefaultShopPoll}
	if shop.PollEverySeconds > 0 && time.Duration(shop.PollEverySeconds)*time.Second < DefaultShopPoll {
		res.Every = time.Duration(shop.PollEverySeconds) * time.Second
	}
	conn, err := a.Markets.Get(in.Marketplace)
	if err != nil {
		return res, temporal.NewNonRetryableApplicationError(err.Error(), "permanent", err)
	}
	if lister, ok := conn.(marketplace.OrderLister); ok {
		since := time.Now().Add(-3 * 24 * time.Hour)
		if shop.OrdersCursor != nil {
			since = *shop.OrdersCursor
		}
		ids, newest, err := lister.RecentOrders(ctx, in.ShopID, since)
		if err != nil {
			return res, classify(err)
		}
		for _, id := range ids {
			if _, err := Signal(ctx, a.Temporal, shop, Order{OrderID: id}, OrderEvent{Refresh: true, Source: "poll"}); err != nil {
				return res, err
			}
			res.Orders++
		}
		if newest.After(since) {
			if err := ps.SetOrdersCursor(ctx, in.Marketplace, in.ShopID, newest); err != nil {
				return res, err
			}
		}
	}
	if res.Questions, err = a.IngestQuestions(ctx, in); err != nil {
		return res, err
	}
	return res, nil
}
