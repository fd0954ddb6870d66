package taobao_test

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace"
	"github.com/redress-hq/redress/marketplace/taobao"
	"github.com/redress-hq/redress/simulator"
	"github.com/redress-hq/redress/simulator/simtest"
)

const shop = "tb-shop"

func setup(t *testing.T, opts simulator.Options) (*simtest.Env, *taobao.Client, simulator.Review) {
	t.Helper()
	env := simtest.Start(t, opts)
	c := taobao.New(env.Config.Taobao, env.HTTP, env.Tokens, nil)
	rv, _, err := env.Sim.AddReview(simulator.NewReview{
		Platform: cases.Taobao, ShopID: shop, Rating: 1, Text: "质量很差", BuyerName: "买家一号", Item: "保温杯",
		Amount: 8900, ShippingFee: 1000, Courier: "中通快递", TrackingNumber: "ZTO1", Tracking: simtest.Delivered(time.Now()),
	})
	require.NoError(t, err)
	return env, c, rv
}

func reviewID(rv simulator.Review) string { return marketplace.JoinID(rv.OrderID, rv.ID) }

func classOf(t *testing.T, err error) *marketplace.Error {
	t.Helper()
	me, ok := marketplace.AsError(err)
	require.True(t, ok, "want *marketplace.Error, got %v", err)
	return me
}

func TestSignMatchesTOPSpec(t *testing.T) {
	params := url.Values{"method": {"taobao.traderates.get"}, "app_key": {"12345"}, "v": {"2.0"}, "sign": {"ignored"}, "buyer_nick": {""}}
	sum := md5.Sum([]byte("secret" + "app_key12345methodtaobao.traderates.getv2.0" + "secret"))
	got, err := taobao.Sign(params, "secret", "md5")
	require.NoError(t, err)
	assert.Equal(t, strings.ToUpper(hex.EncodeToString(sum[:])), got)
	hm, err := taobao.Sign(params, "secret", "hmac")
	require.NoError(t, err)
	assert.Len(t, hm, 32)
	assert.NotEqual(t, got, hm)
	_, err = taobao.Sign(params, "secret", "sha1")
	assert.Error(t, err)
	assert.Equal(t, "traderates_get_response", taobao.ResponseKey("taobao.traderates.get"))
	assert.Equal(t, "tmall_traderate_feeds_get_response", taobao.ResponseKey("tmall.traderate.feeds.get"))
}

func TestReadPaths(t *testing.T) {
	ctx := context.Background()
	env, c, rv := setup(t, simulator.Options{})
	_, _, err := env.Sim.AddReview(simulator.NewReview{Platform: cases.Taobao, ShopID: shop, Rating: 3, Text: "一般"})
	require.NoError(t, err)
	_, _, err = env.Sim.AddReview(simulator.NewReview{Platform: cases.Taobao, ShopID: shop, Rating: 5, Text: "很好"})
	require.NoError(t, err)

	reviews, cursor, err := c.ListNegativeReviews(ctx, shop, "")
	require.NoError(t, err)
	require.Len(t, reviews, 2, "bad and neutral, not good")
	assert.Equal(t, reviewID(rv), reviews[0].ReviewID)
	assert.Equal(t, 1, reviews[0].Rating)
	assert.Equal(t, 3, reviews[1].Rating)
	assert.NotEmpty(t, cursor)

	st, err := c.GetReview(ctx, shop, reviewID(rv))
	require.NoError(t, err)
	assert.Equal(t, "质量很差", st.Text)
	assert.False(t, st.FollowUp)
	require.NoError(t, env.Sim.AddFollowUp(cases.Taobao, rv.ID, "追加：还是不行"))
	st, err = c.GetReview(ctx, shop, reviewID(rv))
	require.NoError(t, err)
	assert.True(t, st.FollowUp, "tmall.traderate.feeds.get shows the 追评")

	_, err = env.Sim.AddBuyerRefund(cases.Taobao, rv.OrderID, 8900, "质量问题")
	require.NoError(t, err)
	ev, err := c.GetEvidence(ctx, shop, rv.OrderID)
	require.NoError(t, err)
	assert.Equal(t, cases.Money(8900), ev.Order.Amount)
	assert.Equal(t, cases.Money(1000), ev.Order.ShippingFee)
	assert.Equal(t, "中通快递", ev.Courier)
	assert.Len(t, ev.Tracking, 3)
	assert.Empty(t, ev.Chat, "TOP has no chat API")
	assert.NotEmpty(t, ev.Unavailable)
	require.Len(t, ev.Claims, 1)
	assert.Equal(t, "质量问题", ev.Claims[0].Reason)

	el, err := c.MessageEligibility(ctx, shop, rv.OrderID)
	require.NoError(t, err)
	assert.False(t, el.Allowed)
	assert.Contains(t, el.Reason, "manual_step")

	c.SignMethod = "hmac"
	_, err = c.GetReview(ctx, shop, reviewID(rv))
	require.NoError(t, err, "the gateway accepts HMAC-signed calls too")
}

func TestWrites(t *testing.T) {
	ctx := context.Background()
	env, c, rv := setup(t, simulator.Options{})

	reply := marketplace.ReplyRequest{ShopID: shop, ReviewID: reviewID(rv), OrderID: rv.OrderID, Text: "非常抱歉，我们已联系您处理。", IdempotencyKey: "c/reply"}
	_, err := c.PostPublicReply(ctx, reply)
	require.NoError(t, err)
	r2, err := c.PostPublicReply(ctx, reply)
	require.NoError(t, err)
	assert.True(t, r2.Replayed, "one explanation per rate: the same text is this write")

	coupon := marketplace.CouponRequest{ShopID: shop, OrderID: rv.OrderID, BuyerID: "买家一号", Amount: 890, Currency: "CNY", IdempotencyKey: "c/coupon"}
	cp, err := c.IssueCoupon(ctx, coupon)
	require.NoError(t, err, "the smallest template worth at least ¥8.90 (¥10.00) is sent")
	assert.NotEmpty(t, cp.ID)

	coupon.Amount, coupon.IdempotencyKey = 1_000_000, "c/coupon-too-large"
	_, err = c.IssueCoupon(ctx, coupon)
	me := classOf(t, err)
	assert.Equal(t, "no_coupon_template", me.Code)
	assert.True(t, marketplace.Permanent(err))
	assert.Contains(t, me.Message, "TAOBAO_COUPON_TEMPLATES")
	assert.Contains(t, me.Message, "10.00", "the configured amounts are listed")

	refund, err := env.Sim.AddBuyerRefund(cases.Taobao, rv.OrderID, 8900, "质量问题")
	require.NoError(t, err)
	st, err := c.RefundStatus(ctx, shop, refund.ID)
	require.NoError(t, err)
	assert.Equal(t, "pending", st.Status)
	st, err = c.RefundStatus(ctx, shop, refund.ID)
	require.NoError(t, err)
	assert.Equal(t, "completed", st.Status)
	assert.Equal(t, cases.Money(8900), st.Amount)

	appeal, err := c.SubmitAppeal(ctx, marketplace.AppealRequest{ShopID: shop, ReviewID: rv.ID})
	require.NoError(t, err)
	assert.True(t, appeal.Manual, "no appeal API: a person files it")

	assert.Len(t, env.Sim.Ledger(), 2, "the reply and the coupon")
	assert.Empty(t, env.Sim.Duplicates())
}

func TestManualSteps(t *testing.T) {
	ctx := context.Background()
	env, c, rv := setup(t, simulator.Options{})
	_, err := c.SendBuyerMessage(ctx, marketplace.MessageRequest{ShopID: shop, OrderID: rv.OrderID, Text: "您好", IdempotencyKey: "k"})
	assert.Equal(t, "not_supported", classOf(t, err).Code)
	_, err = c.IssueRefund(ctx, marketplace.RefundRequest{ShopID: shop, OrderID: rv.OrderID, Amount: 100, IdempotencyKey: "k"})
	assert.Equal(t, "not_supported", classOf(t, err).Code)
	_, err = c.CreateReship(ctx, marketplace.ReshipRequest{ShopID: shop, OrderID: rv.OrderID, IdempotencyKey: "k"})
	assert.Equal(t, "not_supported", classOf(t, err).Code)
	_, err = c.ParseWebhook(ctx, httptest.NewRequest("POST", "/", nil), []byte(`{"topic":"taobao_trade_TradeRated"}`))
	me := classOf(t, err)
	assert.Equal(t, "not_supported", me.Code)
	assert.Equal(t, cases.ErrPermanent, me.Class)
	assert.Empty(t, env.Sim.Ledger(), "no call reached the platform")
}

func TestPlatformRefusals(t *testing.T) {
	ctx := context.Background()
	env, c, rv := setup(t, simulator.Options{})

	_, err := c.PostPublicReply(ctx, marketplace.ReplyRequest{ShopID: shop, ReviewID: reviewID(rv), Text: strings.Repeat("好", 501)})
	assert.Equal(t, "text_length", classOf(t, err).Code)

	require.NoError(t, env.Sim.AddFollowUp(cases.Taobao, rv.ID, "追评"))
	_, err = c.PostPublicReply(ctx, marketplace.ReplyRequest{ShopID: shop, ReviewID: reviewID(rv), Text: "解释"})
	me := classOf(t, err)
	assert.Equal(t, cases.ErrPermanent, me.Class)
	assert.Equal(t, "isv.explain-not-allowed-after-append", me.Code)

	old, _, err := env.Sim.AddReview(simulator.NewReview{Platform: cases.Taobao, ShopID: shop, Rating: 1, Text: "差", CreatedAt: time.Now().Add(-31 * 24 * time.Hour)})
	require.NoError(t, err)
	_, err = c.PostPublicReply(ctx, marketplace.ReplyRequest{ShopID: shop, ReviewID: reviewID(old), Text: "解释"})
	assert.Equal(t, "isv.explain-time-expired", classOf(t, err).Code)

	fresh, _, err := env.Sim.AddReview(simulator.NewReview{Platform: cases.Taobao, ShopID: shop, Rating: 2, Text: "差"})
	require.NoError(t, err)
	_, err = c.PostPublicReply(ctx, marketplace.ReplyRequest{ShopID: shop, ReviewID: reviewID(fresh), Text: "第一次解释"})
	require.NoError(t, err)
	_, err = c.PostPublicReply(ctx, marketplace.ReplyRequest{ShopID: shop, ReviewID: reviewID(fresh), Text: "第二次解释"})
	assert.Equal(t, "isv.explain-exist", classOf(t, err).Code)
	assert.Empty(t, env.Sim.Duplicates())
}

func TestErrorClasses(t *testing.T) {
	ctx := context.Background()
	env, c, rv := setup(t, simulator.Options{})

	env.Sim.SetFaults(cases.Taobao, "taobao.traderates.get", simulator.FaultSpec{RateLimitRate: 1, RetryAfterSeconds: 3})
	_, err := c.GetReview(ctx, shop, reviewID(rv))
	me := classOf(t, err)
	assert.Equal(t, cases.ErrRateLimited, me.Class)
	assert.Equal(t, 3*time.Second, me.RetryAfter, "from sub_msg: This ban will last for 3 more seconds")

	env.Sim.SetFaults(cases.Taobao, "taobao.traderates.get", simulator.FaultSpec{ServerErrorRate: 1})
	_, err = c.GetReview(ctx, shop, reviewID(rv))
	me = classOf(t, err)
	assert.Equal(t, cases.ErrRetryable, me.Class)
	assert.Equal(t, "isp.remote-service-timeout", me.Code)
	env.Sim.ClearFaults()

	_, err = c.GetEvidence(ctx, shop, "9999")
	assert.Equal(t, cases.ErrPermanent, classOf(t, err).Class, "isv.* is permanent")

	env.Sim.SetFaults(cases.Taobao, "taobao.promotion.coupon.send", simulator.FaultSpec{AmbiguousRate: 1})
	_, err = c.IssueCoupon(ctx, marketplace.CouponRequest{ShopID: shop, OrderID: rv.OrderID, BuyerID: "买家一号", Amount: 500, IdempotencyKey: "k"})
	me = classOf(t, err)
	assert.Equal(t, cases.ErrAmbiguous, me.Class)
	assert.Equal(t, marketplace.CodeUnverifiable, me.Code, "TOP cannot list a buyer's coupons: a lost answer is for a person")
	assert.True(t, marketplace.Permanent(err), "never retried automatically")
	env.Sim.ClearFaults()

	env.Sim.RevokeShop(cases.Taobao, shop)
	_, err = c.GetReview(ctx, shop, reviewID(rv))
	assert.Equal(t, cases.ErrAuthRevoked, classOf(t, err).Class, "an invalid session needs the seller to authorize again")
}

// TestTMCPull: a new rate waits in the TMC queue; a pull hands it over as a
// review read from traderates.get, and a confirmed batch is not delivered again.
func TestTMCPull(t *testing.T) {
	ctx := context.Background()
	env, c, rv := setup(t, simulator.Options{})
	batch, err := c.PullEvents(ctx, shop)
	require.NoError(t, err)
	require.Len(t, batch.Events, 1)
	ev := batch.Events[0]
	assert.Equal(t, marketplace.WebhookReview, ev.Kind)
	assert.Equal(t, shop, ev.ShopID)
	require.NotNil(t, ev.Review)
	assert.Equal(t, reviewID(rv), ev.Review.ReviewID)
	assert.Equal(t, "质量很差", ev.Review.Text)
	assert.Equal(t, 1, ev.Review.Rating)
	require.NoError(t, c.ConfirmEvents(ctx, shop, batch.Receipts))
	assert.Zero(t, env.Sim.PendingTMC())

	again, err := c.PullEvents(ctx, shop)
	require.NoError(t, err)
	assert.Empty(t, again.Receipts)

	require.NoError(t, env.Sim.Revise(cases.Taobao, rv.ID, 5, "换了新的，很好"))
	batch, err = c.PullEvents(ctx, shop)
	require.NoError(t, err)
	require.Len(t, batch.Events, 1, "a changed rate is published again")
	assert.Equal(t, 5, batch.Events[0].Review.Rating)
}

// failingTokens is a token store that cannot be reached.
type failingTokens struct{}

func (failingTokens) Get(context.Context, cases.Marketplace, string) (marketplace.ShopToken, error) {
	return marketplace.ShopToken{}, errors.New("dial tcp 127.0.0.1:5432: connect: connection refused")
}
func (failingTokens) Put(context.Context, marketplace.ShopToken) error { return nil }

// A shop without a session must be authorized again; a token store that
// is down (PostgreSQL restarting) is only a reason to try again.
func TestTokenStoreDownIsRetryable(t *testing.T) {
	env, _, rv := setup(t, simulator.Options{})
	down := taobao.New(env.Config.Taobao, env.HTTP, failingTokens{}, nil)
	_, err := down.GetReview(context.Background(), shop, reviewID(rv))
	assert.Equal(t, cases.ErrRetryable, classOf(t, err).Class)
	none := taobao.New(env.Config.Taobao, env.HTTP, marketplace.NewMemoryTokenStore(), nil)
	_, err = none.GetReview(context.Background(), shop, reviewID(rv))
	assert.Equal(t, cases.ErrAuthRevoked, classOf(t, err).Class)
}
