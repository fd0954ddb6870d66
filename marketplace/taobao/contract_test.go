package taobao_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace"
	"github.com/redress-hq/redress/marketplace/contracttest"
	"github.com/redress-hq/redress/marketplace/taobao"
)

// golden answers every TOP method with a response built from its metadata,
// with per-method field values where an operation needs specific ones.
type golden map[string]map[string]any

func (g golden) handler(t *testing.T) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		require.NoError(t, r.ParseForm())
		method := r.PostForm.Get("method")
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(contracttest.TOPMethod(t, method).Golden(g[method]))
	})
}

var bigID = strconv.FormatInt(contracttest.GoldenNumber, 10)

// contract runs op against golden answers and checks every request it sent
// against the method's metadata; it returns the methods called.
func contract(t *testing.T, g golden, templates []marketplace.CouponTemplate, op func(c *taobao.Client) error) []string {
	t.Helper()
	contracttest.SpecsDir(t)
	rec := contracttest.NewRecorder(t, g.handler(t))
	cfg := marketplace.PlatformConfig{BaseURL: rec.URL, ClientID: "12345", ClientSecret: "secret", CouponTemplates: templates}
	tokens := marketplace.NewMemoryTokenStore(marketplace.ShopToken{Marketplace: cases.Taobao, ShopID: shop, AccessToken: "sess"})
	require.NoError(t, op(taobao.New(cfg, http.DefaultClient, tokens, nil)))
	var methods []string
	for _, ex := range rec.Exchanges() {
		form, err := url.ParseQuery(string(ex.Body))
		require.NoError(t, err)
		assert.Equal(t, "/router/rest", ex.Request.URL.Path)
		assert.Equal(t, http.MethodPost, ex.Request.Method)
		for _, err := range contracttest.TOPMethod(t, form.Get("method")).CheckForm(form) {
			t.Error(err)
		}
		methods = append(methods, form.Get("method"))
	}
	return methods
}

func TestContractReads(t *testing.T) {
	ctx := context.Background()
	rates := golden{"taobao.traderates.get": {"result": "bad", "has_next": false, "reply": "", "item_price": "89.00", "created": "2026-11-22 09:00:00"}}

	methods := contract(t, rates, nil, func(c *taobao.Client) error {
		reviews, next, err := c.ListNegativeReviews(ctx, shop, "2026-11-01 00:00:00")
		if err != nil {
			return err
		}
		require.Len(t, reviews, 2, "one golden rate per result queried (bad, neutral)")
		assert.Equal(t, bigID+":"+bigID, reviews[0].ReviewID, "tid and oid are JSON numbers beyond float64")
		assert.Equal(t, bigID, reviews[0].OrderID)
		assert.Equal(t, 1, reviews[0].Rating)
		assert.Equal(t, cases.Money(8900), reviews[0].OrderAmount)
		assert.Equal(t, "content-value", reviews[0].Text)
		assert.Equal(t, "2026-11-22 09:00:00", next)
		return nil
	})
	assert.Equal(t, []string{"taobao.traderates.get", "taobao.traderates.get"}, methods)

	methods = contract(t, golden{"taobao.traderates.get": {"result": "bad", "has_next": false}}, nil, func(c *taobao.Client) error {
		st, err := c.GetReview(ctx, shop, bigID+":"+bigID)
		if err != nil {
			return err
		}
		assert.True(t, st.FollowUp, "append_content of tmall_rate_info is a 追评")
		assert.True(t, st.HasReply)
		assert.Equal(t, 1, st.Rating)
		return nil
	})
	assert.Equal(t, []string{"taobao.traderates.get", "tmall.traderate.feeds.get"}, methods)

	trade := golden{
		"taobao.trade.fullinfo.get":  {"status": "TRADE_FINISHED", "payment": "89.00", "post_fee": "10.00", "buyer_nick": "买家一号"},
		"taobao.refunds.receive.get": {"has_next": false, "refund_fee": "12.50", "status": "WAIT_SELLER_AGREE"},
	}
	methods = contract(t, trade, nil, func(c *taobao.Client) error {
		ev, err := c.GetEvidence(ctx, shop, bigID)
		if err != nil {
			return err
		}
		assert.Equal(t, bigID, ev.Order.OrderID)
		assert.Equal(t, cases.Money(8900), ev.Order.Amount)
		assert.Equal(t, cases.Money(1000), ev.Order.ShippingFee)
		assert.NotNil(t, ev.Order.DeliveredAt)
		assert.Equal(t, []string{"title-value"}, ev.Order.Items)
		assert.Equal(t, "company_name-value", ev.Courier)
		require.Len(t, ev.Tracking, 1)
		assert.Equal(t, "action-value", ev.Tracking[0].Status)
		require.Len(t, ev.Claims, 1, "the refund of this trade (tid matches)")
		assert.Equal(t, "refund_id-value", ev.Claims[0].ID)
		assert.Empty(t, ev.Chat)
		assert.NotEmpty(t, ev.Unavailable, "the missing chat says why")
		return nil
	})
	assert.Equal(t, []string{"taobao.trade.fullinfo.get", "taobao.logistics.trace.search", "taobao.refunds.receive.get"}, methods)

	methods = contract(t, golden{"taobao.refund.get": {"refund_id": "73000123456789", "status": "SUCCESS", "refund_fee": "12.50"}}, nil, func(c *taobao.Client) error {
		r, err := c.RefundStatus(ctx, shop, "73000123456789")
		if err != nil {
			return err
		}
		assert.Equal(t, marketplace.RefundResult{ID: "73000123456789", Status: "completed", Amount: 1250}, r)
		return nil
	})
	assert.Equal(t, []string{"taobao.refund.get"}, methods)
}

func TestContractWrites(t *testing.T) {
	ctx := context.Background()
	methods := contract(t, golden{"taobao.traderates.get": {"reply": "", "has_next": false}}, nil, func(c *taobao.Client) error {
		res, err := c.PostPublicReply(ctx, marketplace.ReplyRequest{ShopID: shop, ReviewID: bigID + ":" + bigID, OrderID: bigID, Text: "非常抱歉", IdempotencyKey: "k"})
		if err != nil {
			return err
		}
		assert.Equal(t, bigID, res.ID)
		return nil
	})
	assert.Equal(t, []string{"taobao.traderates.get", "taobao.traderate.explain.add"}, methods)

	templates := []marketplace.CouponTemplate{{ShopID: shop, Denomination: 1000, CouponID: "3000001000"}}
	sent := golden{"taobao.promotion.coupon.send": {"failure_buyers": map[string]any{"error_message": []any{}}}}
	methods = contract(t, sent, templates, func(c *taobao.Client) error {
		res, err := c.IssueCoupon(ctx, marketplace.CouponRequest{ShopID: shop, BuyerID: "buyer_nick-value", Amount: 1000, Currency: "CNY", IdempotencyKey: "k"})
		if err != nil {
			return err
		}
		assert.Equal(t, bigID, res.ID, "coupon_number of the buyer's coupon_result")
		return nil
	})
	assert.Equal(t, []string{"taobao.promotion.coupon.send"}, methods)

	refused := golden{"taobao.promotion.coupon.send": {"buyer_nick": "买家一号", "reason": "不是店铺会员"}}
	contract(t, refused, templates, func(c *taobao.Client) error {
		_, err := c.IssueCoupon(ctx, marketplace.CouponRequest{ShopID: shop, BuyerID: "买家一号", Amount: 1000, IdempotencyKey: "k"})
		me := classOf(t, err)
		assert.Equal(t, "coupon_refused", me.Code, "is_success is true even when the buyer is among failure_buyers")
		assert.Contains(t, me.Message, "不是店铺会员")
		return nil
	})
}

func TestContractTMC(t *testing.T) {
	ctx := context.Background()
	content := fmt.Sprintf(`{"buyer_nick":"买家","payment":"15.70","oid":%s,"tid":%s,"type":"guarantee_trade","seller_nick":%q,"rater":"buyer"}`, bigID, bigID, shop)
	g := golden{
		"taobao.tmc.messages.consume": {"topic": "taobao_trade_TradeRated", "user_nick": shop, "content": content, "id": int64(1172200053212681005)},
		"taobao.traderates.get":       {"result": "neutral", "has_next": false},
		"taobao.tmc.messages.confirm": {"is_success": true},
	}
	methods := contract(t, g, nil, func(c *taobao.Client) error {
		batch, err := c.PullEvents(ctx, shop)
		if err != nil {
			return err
		}
		require.Len(t, batch.Events, 1)
		ev := batch.Events[0]
		assert.Equal(t, marketplace.WebhookReview, ev.Kind)
		assert.Equal(t, "tmc-1172200053212681005", ev.DeliveryID)
		require.NotNil(t, ev.Review)
		assert.Equal(t, bigID+":"+bigID, ev.Review.ReviewID)
		assert.Equal(t, 3, ev.Review.Rating, "the rate as it stands, read with traderates.get")
		assert.Equal(t, []string{"1172200053212681005"}, batch.Receipts)
		return c.ConfirmEvents(ctx, shop, batch.Receipts)
	})
	assert.Equal(t, []string{"taobao.tmc.messages.consume", "taobao.traderates.get", "taobao.tmc.messages.confirm"}, methods)

	for _, tc := range []struct{ name, topic, content string }{
		{"seller's own rate", "taobao_trade_TradeRated", fmt.Sprintf(`{"tid":%s,"oid":%s,"rater":"seller"}`, bigID, bigID)},
		{"another topic", "taobao_trade_TradeSuccess", fmt.Sprintf(`{"tid":%s}`, bigID)},
		{"unreadable content", "taobao_trade_TradeRated", "not json"},
	} {
		g["taobao.tmc.messages.consume"]["topic"], g["taobao.tmc.messages.consume"]["content"] = tc.topic, tc.content
		methods := contract(t, g, nil, func(c *taobao.Client) error {
			batch, err := c.PullEvents(ctx, shop)
			assert.Empty(t, batch.Events, tc.name)
			assert.Len(t, batch.Receipts, 1, "%s: confirmed all the same", tc.name)
			return err
		})
		assert.Equal(t, []string{"taobao.tmc.messages.consume"}, methods, tc.name)
	}
}

// TestContractCheckerFails proves the checker can fail: a request with an
// undeclared parameter, a missing required one and a Number that is not one.
func TestContractCheckerFails(t *testing.T) {
	meta := contracttest.TOPMethod(t, "taobao.traderates.get")
	errs := meta.CheckForm(url.Values{"method": {"taobao.traderates.get"}, "rate_type": {"get"}, "tid": {"12a"}, "page_size": {"151"}, "append_content": {"x"}})
	assert.Len(t, errs, 5, "fields and role missing, tid not a Number, page_size above 150, append_content undeclared: %v", errs)
	bad := []byte(`{"traderates_get_response":{"trade_rates":{"trade_rate":[{"tid":"1","oid":2,"append_content":"x"}]},"has_next":"no"}}`)
	assert.Len(t, meta.CheckResponse(bad), 3, "tid as a string, append_content undeclared, has_next not a Boolean")
	assert.Empty(t, meta.CheckResponse(meta.Golden(nil)))
}
