package simulator_test

import (
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace/contracttest"
	"github.com/redress-hq/redress/simulator"
)

// The simulator's questions and answers in the documented shapes
// (gestiona-preguntas-respuestas): the item search, POST /answers with the
// documented request, one answer per question.
func TestMercadoLibreQuestionsAsDocumented(t *testing.T) {
	contracttest.SpecsDir(t)
	sim := simulator.New(simulator.Options{})
	sim.Seed(simulator.Shop{Platform: cases.MercadoLibre, ID: "1001", Token: "rt"})
	q, err := sim.AddQuestion("1001", "MLB1623490410", "¿Tienen talle M?")
	require.NoError(t, err)
	srv := httptest.NewServer(sim.Handler())
	defer srv.Close()
	base := srv.URL + "/mercadolibre"
	token := meliToken(t, srv.URL)

	status, got := meliCall(t, "GET", base+"/questions/search?item=MLB1623490410&api_version=4", token, "", nil)
	require.Equal(t, 200, status)
	assert.Empty(t, shapeMismatches("questions", got, meliSpec(t, "questions_search_item.response.json")))
	for _, p := range []string{"questions.0.id", "questions.0.status", "questions.0.answer", "questions.0.text"} {
		_, ok := lookup(got, p)
		assert.True(t, ok, "%s is missing", p)
	}
	status, got = meliCall(t, "GET", base+"/questions/search?seller_id=1001&status=UNANSWERED&api_version=4", token, "", nil)
	require.Equal(t, 200, status)
	assert.Empty(t, shapeMismatches("seller questions", got, meliSpec(t, "questions_search_item.response.json")))
	n, _ := lookup(got, "total")
	assert.Equal(t, float64(1), n)
	body := fmt.Sprintf(`{"question_id": %d, "text": "Sí, tenemos."}`, q.ID)
	assert.Empty(t, shapeMismatches("answer request", mustDecode(t, body), meliSpec(t, "answers_post.request.json")))
	status, _ = meliCall(t, "POST", base+"/answers", token, body, nil)
	require.Equal(t, 200, status)
	status, again := meliCall(t, "POST", base+"/answers", token, body, nil)
	assert.Equal(t, 400, status, "one answer per question")
	assert.Empty(t, shapeMismatches("error", again, meliSpec(t, "error_generic.response.json")))
	_, got = meliCall(t, "GET", base+"/questions/search?item=MLB1623490410&api_version=4", token, "", nil)
	text, _ := lookup(got, "questions.0.answer.text")
	assert.Equal(t, "Sí, tenemos.", text)
	assert.Empty(t, sim.Duplicates())
}

func mustDecode(t *testing.T, s string) any {
	t.Helper()
	var v any
	require.NoError(t, json.Unmarshal([]byte(s), &v))
	return v
}
