package mercadolibre

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace"
)

// Golden decodes: every documented response of an endpoint the connector
// calls goes through the connector's own decoding, and the values come out
// right. The requests it makes on the way are checked by serve's cleanup.

func at(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339Nano, s)
	require.NoError(t, err)
	return v
}

// withJSON rewrites a documented file (e.g. fills in a feedback id the
// examples leave null) by applying edit to its decoded form.
func withJSON(t *testing.T, file string, edit func(map[string]any)) []byte {
	t.Helper()
	var v map[string]any
	require.NoError(t, json.Unmarshal(spec(t, file), &v))
	edit(v)
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return b
}

func TestGoldenFeedback(t *testing.T) {
	ctx := context.Background()
	c, _ := serve(t, map[string]reply{"GET /orders/{id}/feedback": {file: "orders_feedback_get.response.json"}})
	st, err := c.GetReview(ctx, testShop, "2000003508419014")
	require.NoError(t, err)
	assert.Equal(t, marketplace.ReviewState{ReviewID: "2000003508419014", Rating: 5, Text: "Produto chegou no prazo!",
		UpdatedAt: at(t, "2020-09-29T18:39:36.000-04:00"), LastReadAt: st.LastReadAt}, st)

	// The same feedback, changed by the buyer: modified is the revision flag.
	revised := withJSON(t, "orders_feedback_get.response.json", func(v map[string]any) {
		p := v["purchase"].(map[string]any)
		p["rating"], p["message"], p["modified"] = "negative", "Chegou quebrado", true
	})
	c, _ = serve(t, map[string]reply{"GET /orders/{id}/feedback": {body: revised}})
	st, err = c.GetReview(ctx, testShop, "2000003508419014")
	require.NoError(t, err)
	assert.True(t, st.Revised)
	assert.Equal(t, 1, st.Rating)
	assert.Equal(t, "Chegou quebrado", st.Text)
}

func TestGoldenOrdersAndFetchReview(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		file                    string
		order, buyer, item, cur string
		amount                  cases.Money
	}{
		{"orders_get.response.json", "2000003508419013", "123456789", "MLB12345678", "BRL", 49900},
		{"orders_get.response.pt_br.json", "2000003508897196", "266272126", "MLB2608564035", "BRL", 5000},
	} {
		t.Run(tc.file, func(t *testing.T) {
			c, _ := serve(t, map[string]reply{
				"GET /orders/{id}":          {file: tc.file},
				"GET /orders/{id}/feedback": {file: "orders_feedback_get.response.json"},
			})
			r, err := c.FetchReview(ctx, testShop, "/orders/"+tc.order+"/feedback")
			require.NoError(t, err)
			assert.Equal(t, cases.Review{Marketplace: cases.MercadoLibre, ShopID: testShop, ReviewID: tc.order, OrderID: tc.order, ItemID: tc.item,
				Rating: 5, Text: "Produto chegou no prazo!", CreatedAt: at(t, "2020-09-29T18:39:36.000-04:00"),
				Buyer:       cases.Buyer{ID: tc.buyer, Name: "OLAD3975325"}, // the order shows only the id; the feedback names the buyer
				OrderAmount: tc.amount, Currency: tc.cur}, r)
		})
	}
}

func TestGoldenOrderSearch(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct{ file, cursor string }{
		{"orders_search.response.json", "2016-02-25T15:55:44.973Z"},
		{"orders_search.response.pt_br.json", "2020-02-14T02:55:49.811Z"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			c, rec := serve(t, map[string]reply{"GET /orders/search": {file: tc.file}})
			reviews, cursor, err := c.ListNegativeReviews(ctx, testShop, "2016-01-01T00:00:00Z")
			require.NoError(t, err)
			assert.Empty(t, reviews, "feedback.purchase is null: nobody rated")
			assert.Equal(t, tc.cursor, cursor, "the cursor follows date_last_updated")
			assert.Len(t, rec.Exchanges(), 1, "no feedback to read")
		})
	}

	// Once the buyer rates, feedback.purchase holds the feedback's id (a number).
	rated := withJSON(t, "orders_search.response.pt_br.json", func(v map[string]any) {
		v["results"].([]any)[0].(map[string]any)["feedback"] = map[string]any{"sale": nil, "purchase": 5040068164512}
	})
	negative := withJSON(t, "orders_feedback_get.response.json", func(v map[string]any) {
		v["purchase"].(map[string]any)["rating"] = "negative"
	})
	c, rec := serve(t, map[string]reply{"GET /orders/search": {body: rated}, "GET /orders/{id}/feedback": {body: negative}})
	reviews, _, err := c.ListNegativeReviews(ctx, testShop, "")
	require.NoError(t, err)
	require.Len(t, reviews, 1)
	assert.Equal(t, "2032217210", reviews[0].ReviewID)
	assert.Equal(t, 1, reviews[0].Rating)
	assert.Equal(t, cases.Money(12995), reviews[0].OrderAmount)
	assert.Equal(t, "/orders/2032217210/feedback", rec.Exchanges()[1].Request.URL.Path)
}

func TestGoldenEvidence(t *testing.T) {
	ctx := context.Background()
	c, rec := serve(t, map[string]reply{
		"GET /orders/{id}":                            {file: "orders_get.response.pt_br.json"},
		"GET /shipments/{id}":                         {file: "shipments_get.response.me2_buffered.json"},
		"GET /shipments/{id}/history":                 {file: "shipments_history.response.json"},
		"GET /messages/packs/{pack}/sellers/{seller}": {file: "messages_pack_get.response.json"},
		"GET /post-purchase/v1/claims/search":         {file: "claims_search.response.json"},
	})
	ev, err := c.GetEvidence(ctx, testShop, "2000003508897196")
	require.NoError(t, err)
	paid := at(t, "2022-04-08T17:01:32.000-04:00")
	assert.Equal(t, marketplace.OrderInfo{OrderID: "2000003508897196", Status: "paid", Amount: 5000, Currency: "BRL",
		Items: []string{"Camiseta Basica"}, PaidAt: &paid, ShipmentID: "41297142475"}, ev.Order)
	assert.Equal(t, []marketplace.TrackingStep{
		{At: at(t, "2016-12-30T12:32:35.000Z"), Status: "ready_to_ship", Description: "printed"},
		{At: at(t, "2016-12-30T12:32:35.000Z"), Status: "handling", Description: "waiting_for_label_generation"},
	}, ev.Tracking)
	assert.Equal(t, []marketplace.ChatMessage{{At: at(t, "2020-12-05T20:01:46.000Z"), From: "buyer", Text: "Mensaje de prueba"}}, ev.Chat)
	assert.Equal(t, []marketplace.Claim{
		{ID: "5187110991", Status: "opened", Reason: "PDD9528", Stage: "dispute"},
		{ID: "5173473377", Status: "opened", Reason: "PDD9502", Stage: "dispute"},
	}, ev.Claims)
	paths := map[string]bool{}
	for _, ex := range rec.Exchanges() {
		paths[ex.Request.URL.Path] = true
	}
	assert.True(t, paths["/shipments/41297142475"], "the order's shipping.id")
	assert.True(t, paths["/messages/packs/2000003508553677/sellers/"+testShop], "the conversation lives in the order's pack")

	// The schema-like x-format-new example and the es_ar order (string ids, no pack).
	c, _ = serve(t, map[string]reply{
		"GET /orders/{id}":                            {file: "orders_get.response.json"},
		"GET /shipments/{id}":                         {file: "shipments_get.response.json"},
		"GET /shipments/{id}/history":                 {body: []byte(`[{"status":"shipped","substatus":null,"date":"2024-02-02T16:31:31.184-04:00"},{"status":"delivered","substatus":null,"date":"2024-02-05T08:38:14.000-04:00"}]`)},
		"GET /messages/packs/{pack}/sellers/{seller}": {file: "messages_pack_get.response.mark_read.json"},
		"GET /post-purchase/v1/claims/search":         {body: []byte(`{"paging":{"total":0,"offset":0,"limit":30},"data":[]}`)},
	})
	ev, err = c.GetEvidence(ctx, testShop, "2000003508419013")
	require.NoError(t, err)
	assert.Equal(t, "string", ev.Courier, "tracking_method of the new format")
	require.NotNil(t, ev.Order.ShippedAt)
	require.NotNil(t, ev.Order.DeliveredAt)
	assert.Equal(t, at(t, "2024-02-05T08:38:14.000-04:00"), *ev.Order.DeliveredAt)
	assert.Equal(t, "seller", ev.Chat[0].From, "from.user_id as a string in the older example")
}

func TestGoldenMessageEligibility(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name   string
		routes map[string]reply
		want   marketplace.Eligibility
	}{
		{"blocked", map[string]reply{"GET /messages/packs/{pack}/sellers/{seller}": {file: "messages_pack_get.response.blocked.json"}},
			marketplace.Eligibility{Reason: "blocked_by_buyer", MaxChars: 350}},
		{"the buyer wrote", map[string]reply{"GET /messages/packs/{pack}/sellers/{seller}": {file: "messages_pack_get.response.json"}},
			marketplace.Eligibility{Allowed: true, MaxChars: 350}},
		{"seller starts: reason OTHER available", map[string]reply{
			"GET /messages/packs/{pack}/sellers/{seller}": {file: "messages_pack_get.response.mark_read.json"},
			"GET /messages/action_guide/packs/{pack}":     {file: "messages_action_guide_get.response.json"}},
			marketplace.Eligibility{Allowed: true, MaxChars: 350}},
		{"seller starts: excepted pack", map[string]reply{
			"GET /messages/packs/{pack}/sellers/{seller}": {file: "messages_pack_get.response.mark_read.json"},
			"GET /messages/action_guide/packs/{pack}":     {status: 400, file: "messages_action_guide_get.error_400.response.json"}},
			marketplace.Eligibility{Allowed: true, MaxChars: 350}},
		{"seller starts: no free-text reason", map[string]reply{
			"GET /messages/packs/{pack}/sellers/{seller}": {file: "messages_pack_get.response.mark_read.json"},
			"GET /messages/action_guide/packs/{pack}": {body: withJSON(t, "messages_action_guide_get.response.json", func(v map[string]any) {
				opts := v["options"].([]any)
				v["options"] = opts[:len(opts)-1] // without OTHER
			})}},
			marketplace.Eligibility{Reason: "reason_other_unavailable", MaxChars: 350}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.routes["GET /orders/{id}"] = reply{file: "orders_get.response.json"}
			c, _ := serve(t, tc.routes)
			el, err := c.MessageEligibility(ctx, testShop, "2000003508419013")
			require.NoError(t, err)
			assert.Equal(t, tc.want, el)
		})
	}
}

func TestGoldenSendMessage(t *testing.T) {
	ctx := context.Background()
	text := "¡Hola! Tu paquete fue despachado."
	req := marketplace.MessageRequest{ShopID: testShop, OrderID: "2000003508419013", Text: text, IdempotencyKey: "k"}

	t.Run("answer on MLB goes to the messaging agent", func(t *testing.T) {
		c, rec := serve(t, map[string]reply{
			"GET /orders/{id}": {file: "orders_get.response.json"}, // context.site MLB
			"GET /messages/packs/{pack}/sellers/{seller}":  {file: "messages_pack_get.response.json"},
			"POST /messages/packs/{pack}/sellers/{seller}": {status: 201, file: "messages_action_guide_option.response.other.json"}, // no success example is documented: the nearest message shape
		})
		res, err := c.SendBuyerMessage(ctx, req)
		require.NoError(t, err)
		assert.Equal(t, marketplace.WriteResult{ID: "94353d192b9640e8b1ed3c77aa406f39"}, res)
		last := rec.Exchanges()[len(rec.Exchanges())-1]
		assert.JSONEq(t, `{"from":{"user_id":"415458330"},"to":{"user_id":"3037675074"},"text":"¡Hola! Tu paquete fue despachado."}`, string(last.Body),
			"as the documented example: strings, to.user_id the MLB agent")
	})
	t.Run("the seller starts with the free-text reason", func(t *testing.T) {
		c, rec := serve(t, map[string]reply{
			"GET /orders/{id}": {file: "orders_get.response.json"},
			"GET /messages/packs/{pack}/sellers/{seller}":     {file: "messages_pack_get.response.mark_read.json"},
			"GET /messages/action_guide/packs/{pack}":         {file: "messages_action_guide_get.response.json"},
			"POST /messages/action_guide/packs/{pack}/option": {status: 201, file: "messages_action_guide_option.response.other.json"},
		})
		res, err := c.SendBuyerMessage(ctx, req)
		require.NoError(t, err)
		assert.Equal(t, "94353d192b9640e8b1ed3c77aa406f39", res.ID)
		last := rec.Exchanges()[len(rec.Exchanges())-1]
		assert.Equal(t, "/messages/action_guide/packs/2000003508419013/option", last.Request.URL.Path, "pack id = order id without pack_id")
		assert.JSONEq(t, `{"option_id":"OTHER","text":"¡Hola! Tu paquete fue despachado."}`, string(last.Body))
	})
	t.Run("moderation refuses the reason message", func(t *testing.T) {
		c, _ := serve(t, map[string]reply{
			"GET /orders/{id}": {file: "orders_get.response.json"},
			"GET /messages/packs/{pack}/sellers/{seller}":     {file: "messages_pack_get.response.mark_read.json"},
			"GET /messages/action_guide/packs/{pack}":         {file: "messages_action_guide_get.response.json"},
			"POST /messages/action_guide/packs/{pack}/option": {status: 201, file: "messages_action_guide_option.response.moderated.json"},
		})
		_, err := c.SendBuyerMessage(ctx, req)
		me, ok := marketplace.AsError(err)
		require.True(t, ok, "%v", err)
		assert.Equal(t, "moderated", me.Code)
		assert.Contains(t, me.Message, "out_of_place_language")
	})
	t.Run("an excepted pack takes the ordinary message, refused when blocked", func(t *testing.T) {
		c, rec := serve(t, map[string]reply{
			"GET /orders/{id}": {file: "orders_get.response.json"},
			"GET /messages/packs/{pack}/sellers/{seller}":  {file: "messages_pack_get.response.mark_read.json"},
			"GET /messages/action_guide/packs/{pack}":      {status: 400, file: "messages_action_guide_get.error_400.response.json"},
			"POST /messages/packs/{pack}/sellers/{seller}": {status: 403, file: "messages_pack_post.error_403.response.json"},
		})
		_, err := c.SendBuyerMessage(ctx, req)
		me, ok := marketplace.AsError(err)
		require.True(t, ok, "%v", err)
		assert.Equal(t, cases.ErrPermanent, me.Class)
		assert.Equal(t, 403, me.Status)
		assert.Equal(t, "forbidden", me.Code, "messaging's {status_code, code, message} keeps its code")
		assert.Equal(t, "blocked_conversation_send_message_forbidden", me.Message)
		assert.Equal(t, http.MethodPost, rec.Exchanges()[len(rec.Exchanges())-1].Request.Method)
	})
	t.Run("a text already in the pack is a replay", func(t *testing.T) {
		c, _ := serve(t, map[string]reply{
			"GET /orders/{id}": {file: "orders_get.response.json"},
			"GET /messages/packs/{pack}/sellers/{seller}": {file: "messages_pack_get.response.mark_read.json"},
		})
		res, err := c.SendBuyerMessage(ctx, marketplace.MessageRequest{ShopID: testShop, OrderID: "2000003508419013", Text: "Test message ToUserId"})
		require.NoError(t, err)
		assert.Equal(t, marketplace.WriteResult{ID: "2c92808469fea23a0169febf14580001", Replayed: true}, res)
	})
}

func TestGoldenFetchMessage(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		file string
		want marketplace.WebhookEvent
	}{
		{"messages_get.response.json", marketplace.WebhookEvent{Kind: marketplace.WebhookBuyerMessage, ShopID: testShop,
			OrderID: "1234567871", MessageID: "0033b582a1474fa98c02d229abcec43c", Text: "Ejemplo de texto", At: at(t, "2016-09-01T05:15:25.821Z")}},
		{"messages_get.response.new_format.json", marketplace.WebhookEvent{Kind: marketplace.WebhookBuyerMessage, ShopID: testShop,
			OrderID: "000011122344", MessageID: "fd1d2e37ad004ede9e0bf25d1215002d", Text: "Mensaje de prueba", At: at(t, "2020-12-05T20:01:46.000Z")}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			c, _ := serve(t, map[string]reply{"GET /messages/{id}": {file: tc.file}})
			ev, err := c.FetchBuyerMessage(ctx, testShop, "3f6da1e35ac84f70a24af7360d24c7bc")
			require.NoError(t, err)
			tc.want.Resource = "3f6da1e35ac84f70a24af7360d24c7bc"
			assert.Equal(t, tc.want, ev)
		})
	}
	// "Mensaje no encontrado en el servidor. Intenta nuevamente en algunos segundos."
	c, _ := serve(t, map[string]reply{"GET /messages/{id}": {status: 404, body: []byte(`{"message":"The message with id: a could not be retrieved from storage","error":"not_found","status":404,"cause":[]}`)}})
	_, err := c.FetchBuyerMessage(ctx, testShop, "a")
	assert.Equal(t, cases.ErrRetryable, marketplace.ClassOf(err))
}

func TestGoldenNotifications(t *testing.T) {
	c, _ := serve(t, nil)
	for _, tc := range []struct {
		file string
		want marketplace.WebhookEvent
	}{
		{"notification_messages.json", marketplace.WebhookEvent{Kind: marketplace.WebhookBuyerMessage, DeliveryID: "meli-5e2827f2-99b7-474e-b68b-6a86e934cc7e",
			ShopID: "123456789", MessageID: "3f6da1e35ac84f70a24af7360d24c7bc", Resource: "3f6da1e35ac84f70a24af7360d24c7bc", At: at(t, "2017-10-09T13:44:33.006Z")}},
	} {
		body := spec(t, tc.file)
		coverage.Lock()
		coverage.golden[tc.file] = true
		coverage.Unlock()
		evs, err := c.ParseWebhook(context.Background(), nil, body)
		require.NoError(t, err)
		assert.Equal(t, []marketplace.WebhookEvent{tc.want}, evs)
	}
	read := strings.Replace(string(spec(t, "notification_messages.json")), `["created"]`, `["read"]`, 1)
	evs, err := c.ParseWebhook(context.Background(), nil, []byte(read))
	require.NoError(t, err)
	assert.Equal(t, marketplace.WebhookIgnored, evs[0].Kind, "a read receipt is not a buyer message")
}

func TestGoldenRefunds(t *testing.T) {
	ctx := context.Background()
	c, rec := serve(t, map[string]reply{
		"GET /orders/{id}":                       {file: "orders_get.response.json"}, // payments[].id "596707837", a string here
		"POST /v1/payments/{id}/refunds":         {status: 201, file: "mp_refund.response.json"},
		"GET /v1/payments/{id}/refunds/{refund}": {file: "mp_refund.response.json"},
	})
	res, err := c.IssueRefund(ctx, marketplace.RefundRequest{ShopID: testShop, OrderID: "2000003508419013", Amount: 150, Currency: "BRL", IdempotencyKey: "case-1/refund"})
	require.NoError(t, err)
	assert.Equal(t, marketplace.RefundResult{ID: "596707837:1622029222", Status: "completed", Amount: 150}, res)
	post := rec.Exchanges()[1]
	assert.Equal(t, "case-1/refund", post.Request.Header.Get("X-Idempotency-Key"))
	assert.JSONEq(t, `{"amount": 1.50}`, string(post.Body))
	st, err := c.RefundStatus(ctx, testShop, res.ID)
	require.NoError(t, err)
	assert.Equal(t, res, st)
}

func TestGoldenPublicReply(t *testing.T) {
	c, rec := serve(t, map[string]reply{
		"GET /orders/{id}/feedback": {file: "orders_feedback_get.response.json"},
		"POST /feedback/{id}/reply": {status: 200, body: []byte(`{}`)}, // no response is documented
	})
	res, err := c.PostPublicReply(context.Background(), marketplace.ReplyRequest{ShopID: testShop, ReviewID: "2000003508419014", Text: "Muchas gracias por la buena predisposición"})
	require.NoError(t, err)
	assert.Equal(t, marketplace.WriteResult{ID: "5040068164512"}, res, "the purchase feedback's numeric id")
	assert.Equal(t, "/feedback/5040068164512/reply", rec.Exchanges()[1].Request.URL.Path)
}

func TestGoldenTokenRefresh(t *testing.T) {
	c, rec := serve(t, map[string]reply{
		"POST /oauth/token":         {file: "oauth_token_refresh_token.response.json"},
		"GET /orders/{id}/feedback": {file: "orders_feedback_get.response.json"},
	})
	require.NoError(t, c.tokens.Store.Put(context.Background(), marketplace.ShopToken{Marketplace: cases.MercadoLibre, ShopID: testShop,
		AccessToken: "old", RefreshToken: "TG-old", ExpiresAt: time.Now().Add(-time.Minute)}))
	_, err := c.GetReview(context.Background(), testShop, "2000003508419014")
	require.NoError(t, err)
	tok, err := c.tokens.Store.Get(context.Background(), cases.MercadoLibre, testShop)
	require.NoError(t, err)
	assert.Equal(t, "APP_USR-12345657984-090515-b0ad156bce70050973466faa15-1234567", tok.AccessToken)
	assert.Equal(t, "TG-5b9032b4e4b0714aed1f959f-1234567", tok.RefreshToken, "the rotated single-use refresh token is kept")
	assert.WithinDuration(t, time.Now().Add(10800*time.Second), tok.ExpiresAt, time.Minute)
	assert.Equal(t, "Bearer "+tok.AccessToken, rec.Exchanges()[1].Request.Header.Get("Authorization"))
}

func TestGoldenErrors(t *testing.T) {
	for _, tc := range []struct {
		file   string
		status int
		class  cases.ErrorClass
		code   string
		msg    string
	}{
		{"error_generic.response.json", 400, cases.ErrPermanent, "machine_readable_error_code", "human readable text"},
		{"error_404.response.json", 404, cases.ErrPermanent, "not_found", ""},
		{"error_403.response.invalid_scopes.json", 403, cases.ErrPermanent, "FORBIDDEN", "Invalid scopes"},
		{"error_403.response.access_denied.json", 403, cases.ErrPermanent, "access_denied", ""},
		{"error_429.response.json", 429, cases.ErrRateLimited, "too_many_requests", "Too Many Requests"},
		{"error_429.response.quota.json", 429, cases.ErrRateLimited, "too_many_requests", "client.id over quota"},
		{"messages_pack_post.error_403.response.json", 403, cases.ErrPermanent, "forbidden", "blocked_conversation_send_message_forbidden"},
		{"messages_action_guide_get.error_400.response.json", 400, cases.ErrPermanent, "bad_request", "(blocked_by_excepted_case)"},
		{"messages_action_guide_option.error_500.response.json", 500, cases.ErrRetryable, "", "delivery date is before than today"},
		{"oauth_token.error_invalid_grant.response.json", 400, cases.ErrAuthRevoked, "invalid_grant", "Error validating grant"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			c, _ := serve(t, map[string]reply{"GET /orders/{id}/feedback": {status: tc.status, file: tc.file}})
			_, err := c.purchaseFeedback(context.Background(), "get_review", testShop, "1")
			me, ok := marketplace.AsError(err)
			require.True(t, ok, "%v", err)
			assert.Equal(t, tc.class, me.Class)
			assert.Equal(t, tc.status, me.Status)
			assert.Equal(t, tc.code, me.Code)
			assert.Contains(t, me.Message, tc.msg)
		})
	}
}
