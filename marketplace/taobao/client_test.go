package taobao_test

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
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
	params := url.Values{"method": {"taobao.traderates.get"}, "app_key": {"12345"}, "v": {"2.0"}, "sign": {"ignored"}}
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
	assert.True(t, st.FollowUp)

	_, err = env.Sim.AddBuyerMessage(cases.Taobao, rv.OrderID, "你好")
	require.NoError(t, err)
	ev, err := c.GetEvidence(ctx, shop, rv.OrderID)
	require.NoError(t, err)
	assert.Equal(t, cases.Money(8900), ev.Order.Amount)
	assert.Equal(t, cases.Money(1000), ev.Order.ShippingFee)
	assert.Equal(t, "中通快递", ev.Courier)
	assert.Len(t, ev.Tracking, 3)
	require.Len(t, ev.Chat, 1)
	assert.Equal(t, "你好", ev.Chat[0].Text)

	el, err := c.MessageEligibility(ctx, shop, rv.OrderID)
	require.NoError(t, err)
	assert.True(t, el.Allowed)
	el, err = c.MessageEligibility(ctx, shop, "no-such-trade")
	require.NoError(t, err)
	assert.False(t, el.Allowed)

	c.SignMethod = "hmac"
	_, err = c.GetReview(ctx, shop, reviewID(rv))
	require.NoError(t, err, "the gateway accepts HMAC-signed calls too")
}

func TestWritesHappenOnce(t *testing.T) {
	ctx := context.Background()
	env, c, rv := setup(t, simulator.Options{})

	msg := marketplace.MessageRequest{ShopID: shop, OrderID: rv.OrderID, BuyerID: "买家一号", Text: "您好，非常抱歉给您带来不便。", IdempotencyKey: "c/contact"}
	m1, err := c.SendBuyerMessage(ctx, msg)
	require.NoError(t, err)
	m2, err := c.SendBuyerMessage(ctx, msg)
	require.NoError(t, err)
	assert.True(t, m2.Replayed)
	assert.Equal(t, m1.ID, m2.ID)

	reply := marketplace.ReplyRequest{ShopID: shop, ReviewID: reviewID(rv), OrderID: rv.OrderID, Text: "非常抱歉，我们已联系您处理。", IdempotencyKey: "c/reply"}
	_, err = c.PostPublicReply(ctx, reply)
	require.NoError(t, err)
	r2, err := c.PostPublicReply(ctx, reply)
	require.NoError(t, err)
	assert.True(t, r2.Replayed)

	coupon := marketplace.CouponRequest{ShopID: shop, OrderID: rv.OrderID, BuyerID: "买家一号", Amount: 900, Currency: "CNY", IdempotencyKey: "c/coupon"}
	_, err = c.IssueCoupon(ctx, coupon)
	require.NoError(t, err)
	cp, err := c.IssueCoupon(ctx, coupon)
	require.NoError(t, err)
	assert.True(t, cp.Replayed)

	reship := marketplace.ReshipRequest{ShopID: shop, OrderID: rv.OrderID, Note: "补发", IdempotencyKey: "c/reship"}
	_, err = c.CreateReship(ctx, reship)
	require.NoError(t, err)
	rs, err := c.CreateReship(ctx, reship)
	require.NoError(t, err)
	assert.True(t, rs.Replayed)

	refund := marketplace.RefundRequest{ShopID: shop, OrderID: rv.OrderID, Amount: 8900, Currency: "CNY", Reason: "质量问题", IdempotencyKey: "c/refund"}
	rf1, err := c.IssueRefund(ctx, refund)
	require.NoError(t, err)
	assert.Equal(t, "pending", rf1.Status)
	rf2, err := c.IssueRefund(ctx, refund)
	require.NoError(t, err)
	assert.True(t, rf2.Replayed)
	assert.Equal(t, rf1.ID, rf2.ID)
	st, err := c.RefundStatus(ctx, shop, rf1.ID)
	require.NoError(t, err)
	st, err = c.RefundStatus(ctx, shop, rf1.ID)
	require.NoError(t, err)
	assert.Equal(t, "completed", st.Status)

	appeal, err := c.SubmitAppeal(ctx, marketplace.AppealRequest{ShopID: shop, ReviewID: rv.ID})
	require.NoError(t, err)
	assert.True(t, appeal.Manual, "no appeal API: a person files it")

	assert.Len(t, env.Sim.Ledger(), 5)
	assert.Empty(t, env.Sim.Duplicates())
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

	_, err = c.GetEvidence(ctx, shop, "no-such-trade")
	assert.Equal(t, cases.ErrPermanent, classOf(t, err).Class, "isv.* is permanent")

	env.Sim.SetFaults(cases.Taobao, "alibaba.qianniu.message.send", simulator.FaultSpec{AmbiguousRate: 1})
	msg := marketplace.MessageRequest{ShopID: shop, OrderID: rv.OrderID, Text: "您好", IdempotencyKey: "k"}
	_, err = c.SendBuyerMessage(ctx, msg)
	assert.Equal(t, cases.ErrAmbiguous, classOf(t, err).Class)
	env.Sim.ClearFaults()
	res, err := c.SendBuyerMessage(ctx, msg)
	require.NoError(t, err)
	assert.True(t, res.Replayed)
	assert.Len(t, env.Sim.Ledger(), 1)

	env.Sim.RevokeShop(cases.Taobao, shop)
	_, err = c.GetReview(ctx, shop, reviewID(rv))
	assert.Equal(t, cases.ErrAuthRevoked, classOf(t, err).Class, "an invalid session needs the seller to authorize again")
}

func TestWebhookSignature(t *testing.T) {
	var (
		mu  sync.Mutex
		got []marketplace.WebhookEvent
		c   *taobao.Client
	)
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		defer mu.Unlock()
		evs, err := c.ParseWebhook(r.Context(), r, body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		got = append(got, evs...)
	}))
	defer receiver.Close()
	env := simtest.Start(t, simulator.Options{WebhookURL: receiver.URL})
	mu.Lock()
	c = taobao.New(env.Config.Taobao, env.HTTP, env.Tokens, nil)
	mu.Unlock()
	rv, _, err := env.Sim.AddReview(simulator.NewReview{Platform: cases.Taobao, ShopID: shop, Rating: 1, Text: "太差了"})
	require.NoError(t, err)
	mu.Lock()
	require.Len(t, got, 1)
	ev := got[0]
	mu.Unlock()
	assert.Equal(t, marketplace.WebhookReview, ev.Kind)
	assert.Equal(t, reviewID(rv), ev.ReviewID)
	require.NotNil(t, ev.Review)
	assert.Equal(t, "太差了", ev.Review.Text)
	assert.Equal(t, shop, ev.ShopID)

	body := []byte(`{"id":1,"topic":"taobao_trade_TradeRated","user_nick":"tb-shop","content":"{}"}`)
	req := httptest.NewRequest(http.MethodPost, "/", nil)
	req.Header.Set(taobao.SignatureHeader, marketplace.SignHMAC("wrong-secret", body))
	_, err = c.ParseWebhook(context.Background(), req, body)
	assert.Equal(t, "bad_signature", classOf(t, err).Code)
	req.Header.Set(taobao.SignatureHeader, marketplace.SignHMAC(env.Config.Taobao.ClientSecret, body))
	evs, err := c.ParseWebhook(context.Background(), req, body)
	require.NoError(t, err)
	assert.Equal(t, "tmc-1", evs[0].DeliveryID)
}
