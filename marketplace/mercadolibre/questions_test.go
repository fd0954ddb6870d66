package mercadolibre

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/redress-hq/redress/marketplace"
)

func TestGoldenAnswerQuestion(t *testing.T) {
	// The documented item search: question 11436370259 is UNANSWERED, so the answer is posted.
	c, rec := serve(t, map[string]reply{
		"GET /questions/search": {file: "questions_search_item.response.json"},
		"POST /answers":         {status: 200, body: []byte(`{}`)}, // no response is documented
	})
	res, err := c.AnswerQuestion(context.Background(), testShop, "MLB1623490410", "11436370259", "Sí, tenemos stock.")
	require.NoError(t, err)
	assert.Equal(t, marketplace.WriteResult{ID: "11436370259"}, res)
	ex := rec.Exchanges()
	require.Len(t, ex, 2)
	assert.Equal(t, "/answers", ex[1].Request.URL.Path)
	var body map[string]any
	require.NoError(t, json.Unmarshal(ex[1].Body, &body))
	assert.Equal(t, float64(11436370259), body["question_id"], "question_id is a number, as documented")

	// Read-back: the question already carries this answer — no second POST.
	answered := withJSON(t, "questions_search_item.response.json", func(v map[string]any) {
		q := v["questions"].([]any)[0].(map[string]any)
		q["status"], q["answer"] = "ANSWERED", map[string]any{"text": "Sí, tenemos stock.", "status": "ACTIVE"}
	})
	c, rec = serve(t, map[string]reply{"GET /questions/search": {body: answered}})
	res, err = c.AnswerQuestion(context.Background(), testShop, "MLB1623490410", "11436370259", "Sí, tenemos stock.")
	require.NoError(t, err)
	assert.True(t, res.Replayed)
	assert.Len(t, rec.Exchanges(), 1)

	_, err = c.AnswerQuestion(context.Background(), testShop, "MLB1623490410", "Q-x", "hola")
	me, ok := marketplace.AsError(err)
	require.True(t, ok)
	assert.Equal(t, "invalid_question", me.Code)
}

func TestGoldenUnansweredQuestions(t *testing.T) {
	// The documented seller search holds an answered and a banned question: neither is open.
	c, rec := serve(t, map[string]reply{"GET /questions/search": {file: "questions_search_seller.response.repaired.json"}})
	qs, err := c.UnansweredQuestions(context.Background(), testShop)
	require.NoError(t, err)
	assert.Empty(t, qs)
	q := rec.Exchanges()[0].Request.URL.Query()
	assert.Equal(t, testShop, q.Get("seller_id"))
	assert.Equal(t, "UNANSWERED", q.Get("status"))

	// The item search's documented question is open: it is listed with its buyer and listing.
	c, _ = serve(t, map[string]reply{"GET /questions/search": {file: "questions_search_item.response.json"}})
	qs, err = c.UnansweredQuestions(context.Background(), testShop)
	require.NoError(t, err)
	require.Len(t, qs, 1)
	assert.Equal(t, marketplace.Question{ID: "11436370259", ItemID: "MLB1623490410", BuyerID: "419067349",
		Text: qs[0].Text, CreatedAt: qs[0].CreatedAt}, qs[0])
	assert.False(t, qs[0].CreatedAt.IsZero())
}

// The documented orders_v2, shipments and questions notifications are order
// care's (issue 15); their application_id is set to the test app's.
func TestGoldenOrderCareNotifications(t *testing.T) {
	c, _ := serve(t, nil)
	ours := func(v map[string]any) { v["application_id"] = 89745685555 }
	for _, tc := range []struct {
		file string
		want marketplace.WebhookEvent
	}{
		{"notification_orders_v2.json", marketplace.WebhookEvent{Kind: marketplace.WebhookOrder, ShopID: "468424240", OrderID: "2195160686",
			Resource: "/orders/2195160686", At: at(t, "2019-10-30T16:19:20.129Z")}},
		{"notification_shipments.json", marketplace.WebhookEvent{Kind: marketplace.WebhookShipment, ShopID: "1234",
			Resource: "/shipments/40546549876", At: at(t, "2017-10-09T13:58:23.347Z")}},
		{"notification_questions.json", marketplace.WebhookEvent{Kind: marketplace.WebhookQuestion, ShopID: "123456789", MessageID: "5036111111",
			Resource: "/questions/5036111111", At: at(t, "2017-10-09T13:51:05.464Z")}},
	} {
		evs, err := c.ParseWebhook(context.Background(), nil, withJSON(t, tc.file, ours))
		require.NoError(t, err, tc.file)
		require.Len(t, evs, 1)
		assert.NotEmpty(t, evs[0].DeliveryID)
		evs[0].DeliveryID = ""
		assert.Equal(t, tc.want, evs[0], tc.file)
	}
}
