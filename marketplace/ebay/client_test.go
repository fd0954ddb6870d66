package ebay_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace"
	"github.com/redress-hq/redress/marketplace/ebay"
	"github.com/redress-hq/redress/simulator"
	"github.com/redress-hq/redress/simulator/simtest"
)

// These tests run the connector against the simulator's independent eBay.

const shop = "ebay-seller"

func setup(t *testing.T) (*simtest.Env, *ebay.Client, simulator.Review) {
	t.Helper()
	env := simtest.Start(t, simulator.Options{})
	c := ebay.New(env.Config.EBay, env.HTTP, env.Tokens, nil)
	rv, _, err := env.Sim.AddReview(simulator.NewReview{
		Platform: cases.EBay, ShopID: shop, Rating: 1, Text: "Item never arrived", BuyerName: "buyer_jane", Item: "USB hub",
		Amount: 3499, ShippingFee: 599, Courier: "USPS", TrackingNumber: "9400", Tracking: simtest.Delivered(time.Now()),
	})
	require.NoError(t, err)
	return env, c, rv
}

func classOf(t *testing.T, err error) *marketplace.Error {
	t.Helper()
	me, ok := marketplace.AsError(err)
	require.True(t, ok, "want *marketplace.Error, got %v", err)
	return me
}

func TestReadPaths(t *testing.T) {
	ctx := context.Background()
	env, c, rv := setup(t)
	_, _, err := env.Sim.AddReview(simulator.NewReview{Platform: cases.EBay, ShopID: shop, Rating: 5, Text: "Great"})
	require.NoError(t, err)

	reviews, cursor, err := c.ListNegativeReviews(ctx, shop, "")
	require.NoError(t, err)
	require.Len(t, reviews, 1)
	assert.Equal(t, rv.ID, reviews[0].ReviewID)
	assert.Equal(t, rv.OrderID, reviews[0].OrderID, "the feedback's line item leads to its order")
	assert.Equal(t, cases.Money(3499), reviews[0].OrderAmount)
	assert.Equal(t, "USD", reviews[0].Currency)
	assert.NotEmpty(t, cursor)
	again, _, err := c.ListNegativeReviews(ctx, shop, cursor)
	require.NoError(t, err)
	assert.Len(t, again, 1, "the cursor is inclusive of the newest feedback")

	require.NoError(t, env.Sim.Revise(cases.EBay, rv.ID, 5, "Arrived after all"))
	st, err := c.GetReview(ctx, shop, rv.ID)
	require.NoError(t, err)
	assert.Equal(t, 5, st.Rating)

	_, err = env.Sim.AddBuyerMessage(cases.EBay, rv.OrderID, "Where is my item?")
	require.NoError(t, err)
	ev, err := c.GetEvidence(ctx, shop, rv.OrderID)
	require.NoError(t, err)
	assert.Equal(t, cases.Money(3499), ev.Order.Amount)
	assert.Equal(t, cases.Money(599), ev.Order.ShippingFee)
	assert.Equal(t, "USPS", ev.Courier)
	require.Len(t, ev.Tracking, 1)
	require.Len(t, ev.Chat, 1)
	assert.Equal(t, "buyer", ev.Chat[0].From)
}

func TestWritesHappenOnce(t *testing.T) {
	ctx := context.Background()
	env, c, rv := setup(t)

	msg := marketplace.MessageRequest{ShopID: shop, OrderID: rv.OrderID, BuyerID: "buyer_jane", Text: "Sorry about the delay, we are on it.", IdempotencyKey: "c/msg"}
	_, err := c.SendBuyerMessage(ctx, msg)
	require.NoError(t, err)
	m2, err := c.SendBuyerMessage(ctx, msg)
	require.NoError(t, err)
	assert.True(t, m2.Replayed)

	reply := marketplace.ReplyRequest{ShopID: shop, ReviewID: rv.ID, Text: "We reshipped the item.", IdempotencyKey: "c/reply"}
	_, err = c.PostPublicReply(ctx, reply)
	require.NoError(t, err)
	r2, err := c.PostPublicReply(ctx, reply)
	require.NoError(t, err)
	assert.True(t, r2.Replayed, "the reply read back from replyComment")

	coupon := marketplace.CouponRequest{ShopID: shop, OrderID: rv.OrderID, Amount: 500, Currency: "USD", IdempotencyKey: "c/coupon"}
	cp1, err := c.IssueCoupon(ctx, coupon)
	require.NoError(t, err)
	cp2, err := c.IssueCoupon(ctx, coupon)
	require.NoError(t, err)
	assert.True(t, cp2.Replayed)
	assert.Equal(t, cp1.ID, cp2.ID)

	_, err = c.CreateReship(ctx, marketplace.ReshipRequest{ShopID: shop, OrderID: rv.OrderID, IdempotencyKey: "c/reship"})
	assert.Equal(t, "not_supported", classOf(t, err).Code)

	refund := marketplace.RefundRequest{ShopID: shop, OrderID: rv.OrderID, Amount: 3499, Currency: "USD", Reason: "not received", IdempotencyKey: "c/refund"}
	rf1, err := c.IssueRefund(ctx, refund)
	require.NoError(t, err)
	assert.Equal(t, "pending", rf1.Status, "eBay refunds are asynchronous")
	rf2, err := c.IssueRefund(ctx, refund)
	require.NoError(t, err)
	assert.True(t, rf2.Replayed)
	assert.Equal(t, rf1.ID, rf2.ID)
	st, err := c.RefundStatus(ctx, shop, rf1.ID)
	require.NoError(t, err)
	assert.Equal(t, "completed", st.Status)
	assert.Equal(t, cases.Money(3499), st.Amount)

	appeal, err := c.SubmitAppeal(ctx, marketplace.AppealRequest{ShopID: shop, ReviewID: rv.ID})
	require.NoError(t, err)
	assert.True(t, appeal.Manual, "no appeal API: a person files it")

	assert.Len(t, env.Sim.Ledger(), 4)
	assert.Empty(t, env.Sim.Duplicates())
}

func TestPlatformRefusals(t *testing.T) {
	ctx := context.Background()
	_, c, rv := setup(t)
	_, err := c.PostPublicReply(ctx, marketplace.ReplyRequest{ShopID: shop, ReviewID: rv.ID, Text: strings.Repeat("x", 501)})
	assert.Equal(t, "text_length", classOf(t, err).Code)
	_, err = c.PostPublicReply(ctx, marketplace.ReplyRequest{ShopID: shop, ReviewID: rv.ID, Text: "First"})
	require.NoError(t, err)
	_, err = c.PostPublicReply(ctx, marketplace.ReplyRequest{ShopID: shop, ReviewID: rv.ID, Text: "Second"})
	assert.Equal(t, "already_replied", classOf(t, err).Code)
	_, err = c.IssueRefund(ctx, marketplace.RefundRequest{ShopID: shop, OrderID: rv.OrderID, Amount: 999999, Currency: "USD", IdempotencyKey: "big"})
	me := classOf(t, err)
	assert.Equal(t, cases.ErrPermanent, me.Class, "a 400 is permanent")
	assert.Equal(t, "34001", me.Code)
}

func TestErrorClassesAndAuth(t *testing.T) {
	ctx := context.Background()
	env, c, rv := setup(t)

	env.Sim.SetFaults(cases.EBay, "GET /commerce/feedback", simulator.FaultSpec{ServerErrorRate: 1})
	_, err := c.GetReview(ctx, shop, rv.ID)
	assert.Equal(t, cases.ErrRetryable, classOf(t, err).Class, "5xx is retryable")
	env.Sim.SetFaults(cases.EBay, "GET /commerce/feedback", simulator.FaultSpec{RateLimitRate: 1, RetryAfterSeconds: 60})
	_, err = c.GetReview(ctx, shop, rv.ID)
	me := classOf(t, err)
	assert.Equal(t, cases.ErrRateLimited, me.Class)
	assert.Equal(t, time.Minute, me.RetryAfter)
	env.Sim.ClearFaults()

	env.Sim.SetFaults(cases.EBay, "POST /sell/fulfillment", simulator.FaultSpec{AmbiguousRate: 1})
	refund := marketplace.RefundRequest{ShopID: shop, OrderID: rv.OrderID, Amount: 1000, Currency: "USD", IdempotencyKey: "amb"}
	_, err = c.IssueRefund(ctx, refund)
	assert.Equal(t, cases.ErrAmbiguous, classOf(t, err).Class)
	env.Sim.ClearFaults()
	res, err := c.IssueRefund(ctx, refund)
	require.NoError(t, err)
	assert.True(t, res.Replayed, "found on the order's refunds")
	assert.Len(t, env.Sim.Ledger(), 1)

	env.Sim.ExpireAccessTokens(cases.EBay)
	_, err = c.GetReview(ctx, shop, rv.ID)
	require.NoError(t, err, "401 refreshes once")
	env.Sim.RevokeShop(cases.EBay, shop)
	_, err = c.GetReview(ctx, shop, rv.ID)
	assert.Equal(t, cases.ErrAuthRevoked, classOf(t, err).Class)
}

// The simulator's notifications, signed with its own key, pass the
// connector's ECDSA check; the connector then fetches what they name.
func TestSimulatorNotifications(t *testing.T) {
	ctx := context.Background()
	var got [][]byte
	var headers []http.Header
	hooks := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got, headers = append(got, b), append(headers, r.Header.Clone())
	}))
	defer hooks.Close()
	env := simtest.Start(t, simulator.Options{WebhookURL: hooks.URL})
	c := ebay.New(env.Config.EBay, env.HTTP, env.Tokens, nil)
	rv, o, err := env.Sim.AddReview(simulator.NewReview{Platform: cases.EBay, ShopID: shop, Rating: 2, Text: "Scratched", BuyerName: "buyer_jane", Item: "Lamp", Amount: 2000})
	require.NoError(t, err)
	require.NoError(t, env.Sim.EmitReview(cases.EBay, rv.ID))
	msg, err := env.Sim.AddBuyerMessage(cases.EBay, o.ID, "Can you help?")
	require.NoError(t, err)
	require.NoError(t, env.Sim.EmitBuyerMessage(cases.EBay, o.ID, msg.ID))
	require.GreaterOrEqual(t, len(got), 2)

	parse := func(i int) marketplace.WebhookEvent {
		req := httptest.NewRequest(http.MethodPost, "/v1/webhooks/ebay", nil)
		req.Header = headers[i]
		evs, err := c.ParseWebhook(ctx, req, got[i])
		require.NoError(t, err)
		require.Len(t, evs, 1)
		return evs[0]
	}
	review := parse(0)
	assert.Equal(t, marketplace.WebhookReview, review.Kind)
	fetched, err := c.FetchReview(ctx, review.ShopID, review.Resource)
	require.NoError(t, err)
	assert.Equal(t, o.ID, fetched.OrderID)
	assert.Equal(t, 1, fetched.Rating, "NEGATIVE")
	assert.Equal(t, "Scratched", fetched.Text)

	message := parse(len(got) - 1)
	assert.Equal(t, marketplace.WebhookBuyerMessage, message.Kind)
	ev, err := c.FetchBuyerMessage(ctx, message.ShopID, message.Resource)
	require.NoError(t, err)
	assert.Equal(t, o.ID, ev.OrderID)
	assert.Equal(t, "Can you help?", ev.Text)

	tampered := []byte(strings.Replace(string(got[0]), "NEGATIVE", "POSITIVE", 1))
	req := httptest.NewRequest(http.MethodPost, "/v1/webhooks/ebay", nil)
	req.Header = headers[0]
	_, err = c.ParseWebhook(ctx, req, tampered)
	assert.Equal(t, "bad_signature", classOf(t, err).Code)
}
