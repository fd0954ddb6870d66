package ebay

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace"
	"github.com/redress-hq/redress/marketplace/contracttest"
)

// validatedOps are the operations checkExchanges validated (TestContract's subtests run in sequence).
var validatedOps = map[string]bool{}

// checkExchanges validates every request the connector sent (and the golden
// answer it got) against eBay's OpenAPI document for its path, checks that
// the operation's OAuth scopes are ones the connector asks for, and returns
// the operation ids in call order. The token endpoint has no document here.
func checkExchanges(t *testing.T, env *contractEnv) []string {
	t.Helper()
	var ops []string
	for _, ex := range env.rec.Exchanges() {
		if ex.Request.URL.Path == "/identity/v1/oauth2/token" {
			continue
		}
		doc := specFor(t, ex.Request.URL.Path)
		require.NotNil(t, doc, "no eBay spec defines %s", ex.Request.URL.Path)
		op := doc.ValidateRequest(t, ex.Request, ex.Body)
		doc.ValidateResponse(t, ex.Request, ex.Body, ex.Status, ex.Header, ex.Reply)
		checkScopes(t, doc, op)
		validatedOps[op] = true
		ops = append(ops, op)
	}
	env.rec.Reset()
	return ops
}

// checkScopes: one of the operation's security alternatives must be covered
// by the scopes the connector requests (user token; application token for
// getPublicKey).
func checkScopes(t *testing.T, doc *contracttest.Doc, opID string) {
	t.Helper()
	granted := append(slices.Clone(userScopes), appScope)
	for _, item := range doc.T.Paths.Map() {
		for _, op := range item.Operations() {
			if op.OperationID != opID || op.Security == nil {
				continue
			}
			for _, req := range *op.Security {
				for _, scopes := range req {
					for _, s := range scopes {
						if slices.Contains(granted, s) {
							return
						}
					}
				}
			}
			t.Errorf("%s needs one of the scopes %v; the connector requests %v", opID, *op.Security, granted)
		}
	}
}

func contractReadReviews(t *testing.T) {
	env := newContractEnv(t)
	ctx := context.Background()

	reviews, cursor, err := env.c.ListNegativeReviews(ctx, testShop, "")
	require.NoError(t, err)
	assert.Equal(t, []string{"getFeedback", "getOrders", "getFeedback"}, checkExchanges(t, env))
	require.Len(t, reviews, 1, "the positive entry eBay returned never becomes a review")
	rv := reviews[0]
	assert.Equal(t, cases.Review{Marketplace: cases.EBay, ShopID: testShop, ReviewID: "F-1001", OrderID: "12-34567-89012", Rating: 1,
		Text: "Item never arrived", CreatedAt: time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC),
		Buyer: cases.Buyer{ID: "buyer_jane", Name: "buyer_jane"}, OrderAmount: 4098, Currency: "USD"}, rv)
	assert.Equal(t, "2026-11-20T09:00:00Z", cursor)

	fetched, err := env.c.FetchReview(ctx, testShop, "F-1001")
	require.NoError(t, err)
	assert.Equal(t, []string{"getFeedback", "getOrders"}, checkExchanges(t, env))
	assert.Equal(t, rv, fetched)

	env.fake.set("GET /commerce/feedback/v1/feedback", func(*http.Request) answer { return answer{status: 200, body: golden(t, "feedback_replied.json")} })
	st, err := env.c.GetReview(ctx, testShop, "F-1001")
	require.NoError(t, err)
	assert.Equal(t, []string{"getFeedback"}, checkExchanges(t, env))
	assert.Equal(t, 3, st.Rating, "NEUTRAL")
	assert.Equal(t, "Arrived late but works", st.Text)
	assert.True(t, st.HasReply)
	assert.Equal(t, "We are sorry it came late.", st.ReplyText)

	env.fake.set("GET /commerce/feedback/v1/feedback", func(*http.Request) answer { return answer{status: 200, body: golden(t, "feedback_empty.json")} })
	st, err = env.c.GetReview(ctx, testShop, "F-1001")
	require.NoError(t, err)
	checkExchanges(t, env)
	assert.True(t, st.Removed, "feedback eBay no longer lists is removed")
}

func contractPublicReplyOnce(t *testing.T) {
	env := newContractEnv(t)
	ctx := context.Background()

	res, err := env.c.PostPublicReply(ctx, marketplace.ReplyRequest{ShopID: testShop, ReviewID: "F-1001", Text: "We are sorry, a replacement is on its way."})
	require.NoError(t, err)
	assert.False(t, res.Replayed)
	exs := env.rec.Exchanges()
	assert.Equal(t, []string{"getFeedback", "respondToFeedback"}, checkExchanges(t, env))
	var body map[string]string
	require.NoError(t, json.Unmarshal(exs[len(exs)-1].Body, &body))
	assert.Equal(t, map[string]string{"feedbackId": "F-1001", "recipientUserId": "buyer_jane",
		"responseText": "We are sorry, a replacement is on its way.", "responseType": "REPLY"}, body)

	env.fake.set("GET /commerce/feedback/v1/feedback", func(*http.Request) answer { return answer{status: 200, body: golden(t, "feedback_replied.json")} })
	res, err = env.c.PostPublicReply(ctx, marketplace.ReplyRequest{ShopID: testShop, ReviewID: "F-1001", Text: "We are sorry it came late."})
	require.NoError(t, err)
	assert.True(t, res.Replayed, "the reply eBay shows is this one")
	_, err = env.c.PostPublicReply(ctx, marketplace.ReplyRequest{ShopID: testShop, ReviewID: "F-1001", Text: "Another reply"})
	me, _ := marketplace.AsError(err)
	require.NotNil(t, me)
	assert.Equal(t, "already_replied", me.Code)
	assert.Equal(t, []string{"getFeedback", "getFeedback"}, checkExchanges(t, env), "no second respond_to_feedback")
}

func contractEvidenceAndMessages(t *testing.T) {
	env := newContractEnv(t)
	ctx := context.Background()

	ev, err := env.c.GetEvidence(ctx, testShop, "12-34567-89012")
	require.NoError(t, err)
	assert.Equal(t, []string{"getOrder", "getShippingFulfillments", "getConversations", "getConversation"}, checkExchanges(t, env))
	assert.Equal(t, cases.Money(4098), ev.Order.Amount)
	assert.Equal(t, cases.Money(599), ev.Order.ShippingFee)
	assert.Equal(t, "USD", ev.Order.Currency)
	assert.Equal(t, []string{"USB hub"}, ev.Order.Items)
	assert.Equal(t, "USPS", ev.Courier)
	assert.NotEmpty(t, ev.TrackingNumber, "getShippingFulfillments' shipmentTrackingNumber")
	require.Len(t, ev.Tracking, 1)
	assert.Equal(t, "USPS 9405509699937003457459", ev.Tracking[0].Description)
	require.Len(t, ev.Chat, 2)
	assert.Equal(t, marketplace.ChatMessage{At: time.Date(2026, 11, 5, 8, 0, 0, 0, time.UTC), From: "buyer", Text: "Where is my item?"}, ev.Chat[0])
	assert.Equal(t, "seller", ev.Chat[1].From)

	msg := marketplace.MessageRequest{ShopID: testShop, OrderID: "12-34567-89012", BuyerID: "buyer_jane", Text: "Sorry about the delay, we are on it.", IdempotencyKey: "c/msg"}
	res, err := env.c.SendBuyerMessage(ctx, msg)
	require.NoError(t, err)
	assert.Equal(t, marketplace.WriteResult{ID: "M-3"}, res)
	exs := env.rec.Exchanges()
	assert.Equal(t, []string{"getOrder", "getConversations", "getConversation", "sendMessage"}, checkExchanges(t, env))
	var sent map[string]any
	require.NoError(t, json.Unmarshal(exs[len(exs)-1].Body, &sent))
	assert.Equal(t, map[string]any{"otherPartyUsername": "buyer_jane", "messageText": msg.Text,
		"reference": map[string]any{"referenceId": "110551234567", "referenceType": "LISTING"}}, sent)

	msg.Text = "It is on its way."
	res, err = env.c.SendBuyerMessage(ctx, msg)
	require.NoError(t, err)
	assert.Equal(t, marketplace.WriteResult{ID: "M-2", Replayed: true}, res, "found in the conversation")
	assert.Equal(t, []string{"getOrder", "getConversations", "getConversation"}, checkExchanges(t, env))

	got, err := env.c.FetchBuyerMessage(ctx, testShop, "C-7001/M-1")
	require.NoError(t, err)
	assert.Equal(t, []string{"getConversation", "getConversations", "getOrders"}, checkExchanges(t, env))
	assert.Equal(t, marketplace.WebhookEvent{Kind: marketplace.WebhookBuyerMessage, ShopID: testShop, OrderID: "12-34567-89012",
		MessageID: "M-1", Text: "Where is my item?", At: time.Date(2026, 11, 5, 8, 0, 0, 0, time.UTC)}, got)
}

func contractRefund(t *testing.T) {
	env := newContractEnv(t)
	ctx := context.Background()

	req := marketplace.RefundRequest{ShopID: testShop, OrderID: "12-34567-89012", Amount: 1000, Currency: "USD", Reason: "Goodwill refund for the late delivery", IdempotencyKey: "c/refund"}
	res, err := env.c.IssueRefund(ctx, req)
	require.NoError(t, err)
	exs := env.rec.Exchanges()
	assert.Equal(t, []string{"getOrder", "issueRefund"}, checkExchanges(t, env))
	assert.Equal(t, marketplace.RefundResult{ID: "12-34567-89012:5000012345", Status: "pending", Amount: 1000}, res)
	var body map[string]any
	require.NoError(t, json.Unmarshal(exs[len(exs)-1].Body, &body))
	assert.Equal(t, "OTHER_ADJUSTMENT", body["reasonForRefund"])
	assert.Equal(t, map[string]any{"value": "10.00", "currency": "USD"}, body["orderLevelRefundAmount"])

	env.fake.set("GET /sell/fulfillment/v1/order/12-34567-89012", func(*http.Request) answer { return answer{status: 200, body: golden(t, "order_refunded.json")} })
	st, err := env.c.RefundStatus(ctx, testShop, res.ID)
	require.NoError(t, err)
	assert.Equal(t, marketplace.RefundResult{ID: res.ID, Status: "completed", Amount: 1000}, st)
	again, err := env.c.IssueRefund(ctx, req)
	require.NoError(t, err)
	assert.True(t, again.Replayed, "the refund issueRefund started on the order is this one")
	assert.Equal(t, []string{"getOrder", "getOrder"}, checkExchanges(t, env), "no second issueRefund")
}

func contractCoupon(t *testing.T) {
	env := newContractEnv(t)
	ctx := context.Background()

	res, err := env.c.IssueCoupon(ctx, marketplace.CouponRequest{ShopID: testShop, OrderID: "12-34567-89012", Amount: 1234, Currency: "USD", IdempotencyKey: "c/coupon"})
	require.NoError(t, err)
	exs := env.rec.Exchanges()
	assert.Equal(t, []string{"getPromotions", "createItemPromotion"}, checkExchanges(t, env))
	assert.Equal(t, marketplace.WriteResult{ID: "PROMO-5551"}, res, "the id is the Location header's")
	var body struct {
		PromotionType       string `json:"promotionType"`
		PromotionImageURL   string `json:"promotionImageUrl"`
		Description         string `json:"description"`
		CouponConfiguration struct {
			CouponCode string `json:"couponCode"`
		} `json:"couponConfiguration"`
		DiscountRules []struct {
			DiscountBenefit struct {
				AmountOffOrder amount `json:"amountOffOrder"`
			} `json:"discountBenefit"`
		} `json:"discountRules"`
	}
	require.NoError(t, json.Unmarshal(exs[len(exs)-1].Body, &body))
	assert.Equal(t, "CODED_COUPON", body.PromotionType)
	assert.NotEmpty(t, body.PromotionImageURL)
	assert.NotEmpty(t, body.Description)
	assert.Equal(t, marketplace.ShortRef("RD", "c/coupon", 12), body.CouponConfiguration.CouponCode)
	require.Len(t, body.DiscountRules, 1)
	assert.Equal(t, amount{Value: "15.00", Currency: "USD"}, body.DiscountRules[0].DiscountBenefit.AmountOffOrder, "eBay's nearest accepted amount not below 12.34")

	env.fake.set("GET /sell/marketing/v1/promotion", func(*http.Request) answer {
		return answer{status: 200, body: []byte(`{"total":1,"promotions":[{"promotionId":"PROMO-5551","promotionType":"CODED_COUPON","couponCode":"` + body.CouponConfiguration.CouponCode + `"}]}`)}
	})
	again, err := env.c.IssueCoupon(ctx, marketplace.CouponRequest{ShopID: testShop, Amount: 1234, Currency: "USD", IdempotencyKey: "c/coupon"})
	require.NoError(t, err)
	assert.Equal(t, marketplace.WriteResult{ID: "PROMO-5551", Replayed: true}, again)
	assert.Equal(t, []string{"getPromotions"}, checkExchanges(t, env))

	_, err = env.c.IssueCoupon(ctx, marketplace.CouponRequest{ShopID: testShop, Amount: 25001, Currency: "USD", IdempotencyKey: "c/large"})
	me, _ := marketplace.AsError(err)
	require.NotNil(t, me)
	assert.Equal(t, "coupon_amount", me.Code, "eBay takes at most 250.00 off")
}

func contractNoReshipAPI(t *testing.T) {
	env := newContractEnv(t)
	_, err := env.c.CreateReship(context.Background(), marketplace.ReshipRequest{ShopID: testShop, OrderID: "12-34567-89012", IdempotencyKey: "k"})
	me, _ := marketplace.AsError(err)
	require.NotNil(t, me)
	assert.Equal(t, "not_supported", me.Code)
	assert.True(t, marketplace.Permanent(err))
	assert.Empty(t, env.rec.Exchanges(), "nothing is called")
	assert.False(t, cases.RulesFor(cases.EBay).ReshipAPI, "the workflow makes it a manual step")
}

// TestContract drives every connector method that calls eBay against the
// fake eBay, validates each request and golden response with eBay's OpenAPI
// documents, and checks that no operation the connector uses was missed.
func TestContract(t *testing.T) {
	contracttest.SpecsDir(t)
	clear(validatedOps)
	for _, tc := range []struct {
		name string
		run  func(*testing.T)
	}{
		{"read_reviews", contractReadReviews}, {"public_reply_once", contractPublicReplyOnce},
		{"evidence_and_messages", contractEvidenceAndMessages}, {"refund", contractRefund},
		{"coupon", contractCoupon}, {"no_reship_api", contractNoReshipAPI}, {"webhook", contractWebhook},
	} {
		t.Run(tc.name, tc.run)
	}
	var missing []string
	for _, op := range []string{"getFeedback", "respondToFeedback", "getOrder", "getOrders", "getShippingFulfillments", "issueRefund",
		"getConversations", "getConversation", "sendMessage", "getPromotions", "createItemPromotion", "getPublicKey"} {
		if !validatedOps[op] {
			missing = append(missing, op)
		}
	}
	assert.Empty(t, missing, "operations the connector uses that no request exercised")
	t.Logf("%d eBay operations validated against the official OpenAPI documents", len(validatedOps))
}
