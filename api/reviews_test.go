package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/redress-hq/redress/cases"
)

func reviewBody(reviewID string, rating int) string {
	return fmt.Sprintf(`{"marketplace":"mercadolibre","shop_id":"shop-1","review_id":%q,"order_id":"o-1",
		"rating":%d,"text":"llegó roto","created_at":"2026-03-01T10:00:00Z","buyer":{"id":"b-1","name":"Ana"},
		"order_amount":59.9,"shipping_fee":"12.50","currency":"BRL"}`, reviewID, rating)
}

// TestReviewValidation pins the exact problem document for every kind of bad input.
func TestReviewValidation(t *testing.T) {
	h := newHarness(t, func(d *Deps) { d.Config.BodyLimit = "4K" })
	problem := func(status int, code, detail string, errs ...FieldError) Problem {
		return Problem{Type: "urn:redress:problem:" + code, Title: http.StatusText(status), Status: status,
			Detail: detail, Instance: "/v1/reviews", Code: code, Errors: errs}
	}
	validation := func(errs ...FieldError) Problem {
		return problem(http.StatusBadRequest, codeValidationFailed, "the request has invalid fields", errs...)
	}
	tests := []struct {
		name        string
		body        string
		contentType string
		want        Problem
	}{
		{"malformed JSON", `{"marketplace":`, "", problem(400, codeInvalidJSON, "malformed JSON: the body ends early")},
		{"syntax error", `{"marketplace" "x"}`, "", problem(400, codeInvalidJSON, "malformed JSON at byte 16: invalid character '\"' after object key")},
		{"empty body", ``, "", problem(400, codeInvalidJSON, "the request body is empty; send a JSON object")},
		{"two values", `{} {}`, "", problem(400, codeInvalidJSON, "the body holds more than one JSON value")},
		{"wrong type", `{"rating":"five"}`, "", problem(400, codeInvalidJSON, "field rating must be a JSON number",
			FieldError{Field: "rating", Code: "invalid_type", Message: "must be a JSON number"})},
		{"unknown field", strings.Replace(reviewBody("r1", 1), `"text"`, `"stars":1,"text"`, 1), "", problem(400, codeInvalidJSON, `unknown field "stars"`,
			FieldError{Field: "stars", Code: "unknown_field", Message: "is not a field of this request"})},
		{"missing fields", `{}`, "", validation(
			FieldError{Field: "marketplace", Code: "required", Message: "is required"},
			FieldError{Field: "shop_id", Code: "required", Message: "is required"},
			FieldError{Field: "review_id", Code: "required", Message: "is required"},
			FieldError{Field: "order_id", Code: "required", Message: "is required"},
			FieldError{Field: "rating", Code: "required", Message: "is required"},
			FieldError{Field: "created_at", Code: "required", Message: "is required"},
			FieldError{Field: "buyer", Code: "required", Message: "is required"})},
		{"rating 0", reviewBody("r1", 0), "", validation(FieldError{Field: "rating", Code: "too_small", Message: "must be at least 1"})},
		{"rating 6", reviewBody("r1", 6), "", validation(FieldError{Field: "rating", Code: "too_large", Message: "must be at most 5"})},
		{"bad created_at", strings.Replace(reviewBody("r1", 1), "2026-03-01T10:00:00Z", "yesterday", 1), "", validation(
			FieldError{Field: "created_at", Code: "invalid_time", Message: "must be an RFC 3339 time such as 2026-01-02T15:04:05Z"})},
		{"unknown marketplace", strings.Replace(reviewBody("r1", 1), "mercadolibre", "wish", 1), "", validation(
			FieldError{Field: "marketplace", Code: codeUnknownMarketplace, Message: "must be one of: mercadolibre, ebay, amazon, taobao"})},
		{"bad amount and buyer", strings.NewReplacer(`59.9`, `59.999`, `"id":"b-1"`, `"id":""`).Replace(reviewBody("r1", 1)), "", validation(
			FieldError{Field: "buyer.id", Code: "required", Message: "is required"},
			FieldError{Field: "order_amount", Code: "invalid_amount", Message: "must be a non-negative amount with at most two decimals"})},
		{"too large", `{"text":"` + strings.Repeat("x", 5000) + `"}`, "", problem(413, codePayloadTooLarge, "the request body is too large")},
		{"not JSON", reviewBody("r1", 1), "text/plain", problem(415, codeUnsupportedMediaType, "send the body as application/json")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := request{method: http.MethodPost, path: "/v1/reviews", body: tc.body, role: cases.RoleAutomation}
			if tc.contentType != "" {
				r.header = map[string]string{"Content-Type": tc.contentType}
			}
			rec := h.do(r)
			got := problemOf(t, rec)
			require.NotEmpty(t, got.RequestID)
			assert.Equal(t, rec.Header().Get("X-Request-ID"), got.RequestID)
			got.RequestID = ""
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestPositiveReviewOpensNoCase(t *testing.T) {
	h := newHarness(t)
	for _, rating := range []int{4, 5} {
		rec := h.do(request{method: http.MethodPost, path: "/v1/reviews", body: reviewBody("happy", rating), role: cases.RoleAutomation})
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		assert.JSONEq(t, `{"case":null,"opened":false,"reason":"rating_not_negative"}`, rec.Body.String())
	}
}

// TestReviewOpensOneCaseUnderConcurrency posts the same bad review 20 times
// at once against a real Temporal: exactly one 201, the rest 200, one case.
func TestReviewOpensOneCaseUnderConcurrency(t *testing.T) {
	h := newHarness(t)
	reviewID := fmt.Sprintf("concurrent-%d", time.Now().UnixNano())
	const n = 20
	codes := make([]int, n)
	bodies := make([]string, n)
	locations := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			rec := h.do(request{method: http.MethodPost, path: "/v1/reviews", body: reviewBody(reviewID, 2), role: cases.RoleAutomation})
			codes[i], bodies[i], locations[i] = rec.Code, rec.Body.String(), rec.Header().Get("Location")
		})
	}
	wg.Wait()
	created := 0
	caseID := cases.CaseIDFor(cases.MercadoLibre, "shop-1", reviewID)
	for i, code := range codes {
		require.Contains(t, []int{http.StatusOK, http.StatusCreated}, code, bodies[i])
		if code == http.StatusCreated {
			created++
		}
		assert.Equal(t, "/v1/cases/"+caseID, locations[i])
		var resp struct {
			Case   cases.Case `json:"case"`
			Opened bool       `json:"opened"`
		}
		require.NoError(t, json.Unmarshal([]byte(bodies[i]), &resp))
		assert.True(t, resp.Opened)
		assert.Equal(t, caseID, resp.Case.ID)
		assert.Equal(t, cases.WorkflowIDFor(caseID), resp.Case.WorkflowID)
		assert.Equal(t, cases.StageIntake, resp.Case.Stage)
		assert.Equal(t, cases.StatusOpen, resp.Case.Status)
		assert.Equal(t, cases.Money(5990), resp.Case.OrderAmount)
	}
	assert.Equal(t, 1, created, "exactly one request opens the case")

	// Later, the same review again: 200 and the same case.
	rec := h.do(request{method: http.MethodPost, path: "/v1/reviews", body: reviewBody(reviewID, 2), role: cases.RoleAdmin})
	require.Equal(t, http.StatusOK, rec.Code)

	// The case is readable from its workflow before the index has its row.
	rec = h.do(request{method: http.MethodGet, path: "/v1/cases/" + caseID, role: cases.RoleAgent})
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	var detail caseDetail
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &detail))
	assert.False(t, detail.Indexed)
	assert.Equal(t, caseID, detail.Case.ID)
	assert.Equal(t, "http://localhost:8233/namespaces/default/workflows/"+cases.WorkflowIDFor(caseID), detail.TemporalUIURL)
	assert.Equal(t, codeTimeout, detail.StateError, "no worker answers the Query")
}
