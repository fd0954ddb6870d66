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
