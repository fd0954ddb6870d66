package amazon_test

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace"
	"github.com/redress-hq/redress/marketplace/amazon"
	"github.com/redress-hq/redress/simulator"
	"github.com/redress-hq/redress/simulator/simtest"
)

const shop = "A1SELLER"

// fast lifts the client-side limit so the tests measure the platform, not the limiter.
var fast = marketplace.NewRateLimits(map[string]marketplace.Rate{marketplace.DefaultBucket: {N: 1000, Per: time.Second, Burst: 1000}})

func setup(t *testing.T) (*simtest.Env, *amazon.Client, simulator.Order) {
	t.Helper()
	env := simtest.Start(t, simulator.Options{})
	c := amazon.New(env.Config.Amazon, env.HTTP, env.Tokens, fast)
	_, o, err := env.Sim.AddReview(simulator.NewReview{
		Platform: cases.Amazon, ShopID: shop, Rating: 2, Text: "Damaged", Item: "Desk lamp",
		Amount: 4599, ShippingFee: 499, Courier: "UPS", TrackingNumber: "1Z999", Tracking: simtest.Delivered(time.Now()),
		CreatedAt: time.Now().Add(-time.Minute),
	})
	require.NoError(t, err)
	return env, c, o
}

func classOf(t *testing.T, err error) *marketplace.Error {
	t.Helper()
	me, ok := marketplace.AsError(err)
	require.True(t, ok, "want *marketplace.Error, got %v", err)
	return me
}

func TestNoPublicReplyCouponRefundOrWebhook(t *testing.T) {
	ctx := context.Background()
	env, c, o := setup(t)
	assert.False(t, c.Caps().PublicReply)
	assert.True(t, c.Caps().ForbidsReviewChangeRequest)
	assert.False(t, c.Caps().RefundAPI, "refunds are a manual step in Seller Central")
	_, err := c.PostPublicReply(ctx, marketplace.ReplyRequest{ShopID: shop, OrderID: o.ID, Text: "hi"})
	assert.Equal(t, "not_supported", classOf(t, err).Code)
	assert.True(t, marketplace.Permanent(err))
	_, err = c.IssueCoupon(ctx, marketplace.CouponRequest{ShopID: shop, OrderID: o.ID, Amount: 100})
	assert.Equal(t, "not_supported", classOf(t, err).Code)
	_, err = c.IssueRefund(ctx, marketplace.RefundRequest{ShopID: shop, OrderID: o.ID, Amount: 100, Currency: "USD", IdempotencyKey: "k"})
	assert.Equal(t, "not_supported", classOf(t, err).Code)
	_, err = c.RefundStatus(ctx, shop, "R1")
	assert.Equal(t, "not_supported", classOf(t, err).Code)
	_, err = c.ParseWebhook(ctx, httptest.NewRequest("POST", "/", nil), nil)
	assert.Equal(t, "not_supported", classOf(t, err).Code)
	assert.Empty(t, env.Sim.Ledger(), "nothing reached the platform")
}

func TestHappyPaths(t *testing.T) {
	ctx := context.Background()
	env, c, o := setup(t)

	ev, err := c.GetEvidence(ctx, shop, o.ID)
	require.NoError(t, err)
	assert.Equal(t, cases.Money(4599), ev.Order.Amount)
	assert.Equal(t, cases.Money(499), ev.Order.ShippingFee)
	assert.Equal(t, []string{"Desk lamp"}, ev.Order.Items)
	assert.Equal(t, "UPS", ev.Courier)
	require.NotNil(t, ev.Order.ShippedAt)
	assert.Equal(t, o.ShippedAt.Unix(), ev.Order.ShippedAt.Unix())
	assert.Equal(t, "DELIVERED", ev.Tracking[len(ev.Tracking)-1].Status)

	el, err := c.MessageEligibility(ctx, shop, o.ID)
	require.NoError(t, err)
	assert.True(t, el.Allowed)
	_, err = c.SendBuyerMessage(ctx, marketplace.MessageRequest{ShopID: shop, OrderID: o.ID, Text: "We are sorry the lamp arrived damaged. A replacement is on its way.", IdempotencyKey: "c/msg"})
	require.NoError(t, err)

	reship := marketplace.ReshipRequest{ShopID: shop, OrderID: o.ID, Note: "replacement", IdempotencyKey: "c/reship"}
	r1, err := c.CreateReship(ctx, reship)
	require.NoError(t, err)
	r2, err := c.CreateReship(ctx, reship)
	require.NoError(t, err)
	assert.True(t, r2.Replayed)
	assert.Equal(t, r1.ID, r2.ID)

	appeal, err := c.SubmitAppeal(ctx, marketplace.AppealRequest{ShopID: shop, OrderID: o.ID})
	require.NoError(t, err)
	assert.True(t, appeal.Manual)
	assert.Len(t, env.Sim.Ledger(), 2)
	assert.Empty(t, env.Sim.Duplicates())
}

func TestFeedbackPollOpensAndRereads(t *testing.T) {
	ctx := context.Background()
	env, c, o := setup(t)
	c.WithReportWait(3 * time.Second)
	_, _, err := env.Sim.AddReview(simulator.NewReview{Platform: cases.Amazon, ShopID: shop, Rating: 5, Text: "Great"})
	require.NoError(t, err)

	reviews, cursor, err := c.ListNegativeReviews(ctx, shop, "")
	require.NoError(t, err)
	require.Len(t, reviews, 1, "the feedback report holds 1–3★ feedback only")
	assert.Equal(t, o.ID, reviews[0].ReviewID)
	assert.Equal(t, o.ID, reviews[0].OrderID)
	assert.Equal(t, 2, reviews[0].Rating)
	assert.Equal(t, "Damaged", reviews[0].Text)
	assert.NotEmpty(t, cursor)

	again, next, err := c.ListNegativeReviews(ctx, shop, cursor)
	require.NoError(t, err)
	assert.Empty(t, again, "nothing new since the cursor (Amazon cancels an empty report)")
	assert.GreaterOrEqual(t, next, cursor)

	st, err := c.GetReview(ctx, shop, o.ID)
	require.NoError(t, err)
	assert.False(t, st.Removed)
	assert.Equal(t, 2, st.Rating)
	require.NoError(t, env.Sim.Revise(cases.Amazon, o.ID, 3, "Replacement came"))
	st, err = c.GetReview(ctx, shop, o.ID)
	require.NoError(t, err)
	assert.Equal(t, 3, st.Rating)
	assert.Equal(t, "Replacement came", st.Text)
	require.NoError(t, env.Sim.RemoveReview(cases.Amazon, o.ID))
	st, err = c.GetReview(ctx, shop, o.ID)
	require.NoError(t, err)
	assert.True(t, st.Removed)
}

func TestFeedbackReportStillProcessingKeepsItsID(t *testing.T) {
	_, c, _ := setup(t)
	c.WithReportWait(0)
	reviews, cursor, err := c.ListNegativeReviews(context.Background(), shop, "")
	require.NoError(t, err)
	assert.Empty(t, reviews)
	assert.Contains(t, cursor, "|", "the pending report's id rides in the cursor")
	reviews, _, err = c.ListNegativeReviews(context.Background(), shop, cursor)
	require.NoError(t, err)
	assert.Len(t, reviews, 1)
}

func TestRefusalsAndErrors(t *testing.T) {
	ctx := context.Background()
	env, c, o := setup(t)

	_, err := c.SendBuyerMessage(ctx, marketplace.MessageRequest{ShopID: shop, OrderID: o.ID, Text: strings.Repeat("a", 2001)})
	assert.Equal(t, "text_length", classOf(t, err).Code)
	_, err = c.SendBuyerMessage(ctx, marketplace.MessageRequest{ShopID: shop, OrderID: o.ID, Text: "write to me at a@b.com"})
	assert.Equal(t, "content", classOf(t, err).Code)

	require.NoError(t, env.Sim.CloseMessaging(cases.Amazon, o.ID, "window_closed"))
	el, err := c.MessageEligibility(ctx, shop, o.ID)
	require.NoError(t, err)
	assert.False(t, el.Allowed)
	_, err = c.SendBuyerMessage(ctx, marketplace.MessageRequest{ShopID: shop, OrderID: o.ID, Text: "Hello"})
	me := classOf(t, err)
	assert.Equal(t, cases.ErrPermanent, me.Class)
	assert.Equal(t, 403, me.Status)

	env.Sim.SetFaults(cases.Amazon, "/orders/2026-01-01", simulator.FaultSpec{RateLimitRate: 1, RetryAfterSeconds: 2})
	_, err = c.GetEvidence(ctx, shop, o.ID)
	me = classOf(t, err)
	assert.Equal(t, cases.ErrRateLimited, me.Class)
	assert.Equal(t, 2*time.Second, me.RetryAfter, "one request at the stated x-amzn-RateLimit-Limit of 0.5/s")
	env.Sim.SetFaults(cases.Amazon, "/orders/2026-01-01", simulator.FaultSpec{ServerErrorRate: 1})
	_, err = c.GetEvidence(ctx, shop, o.ID)
	assert.Equal(t, cases.ErrRetryable, classOf(t, err).Class)
	env.Sim.ClearFaults()
	_, err = c.GetEvidence(ctx, shop, "missing")
	assert.Equal(t, cases.ErrPermanent, classOf(t, err).Class)

	env.Sim.ExpireAccessTokens(cases.Amazon)
	_, err = c.GetEvidence(ctx, shop, o.ID)
	require.NoError(t, err, "403 Unauthorized refreshes the LWA token once")
	env.Sim.RevokeShop(cases.Amazon, shop)
	_, err = c.GetEvidence(ctx, shop, o.ID)
	assert.Equal(t, cases.ErrAuthRevoked, classOf(t, err).Class)
}

func TestDefaultRateLimitWaitsAndRespectsContext(t *testing.T) {
	env, _, o := setup(t)
	c := amazon.New(env.Config.Amazon, env.HTTP, env.Tokens, nil) // 1 rps, burst 5
	ctx, cancel := context.WithTimeout(context.Background(), 1500*time.Millisecond)
	defer cancel()
	var calls int
	var err error
	for calls = 0; calls < 20; calls++ {
		if _, err = c.MessageEligibility(ctx, shop, o.ID); err != nil {
			break
		}
	}
	require.Error(t, err, "the limiter must stop the loop when the context ends")
	assert.LessOrEqual(t, calls, 7, "burst 5 plus about one per second")
	assert.Equal(t, cases.ErrRetryable, classOf(t, err).Class)
}
