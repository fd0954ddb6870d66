package e2e

import (
	"net/http"
	"strings"
	"testing"

	"github.com/redress-hq/redress/cases"
)

// A 1★ review posted over HTTP becomes a durable case whose audit trail the
// API shows; posting it again returns the same case.
func TestReviewBecomesCase(t *testing.T) {
	review := newOrderReview(t, cases.MercadoLibre, "1001", 1, "Llegó roto, la caja estaba aplastada")

	first := do(t, http.MethodPost, "/v1/reviews", robot, review)
	mustStatus(t, first, http.StatusCreated, "first post")
	id := caseIDOf(t, first)
	if !strings.HasPrefix(id, "cs_") || first.Header.Get("Location") == "" {
		t.Fatalf("case id %q, location %q", id, first.Header.Get("Location"))
	}
	again := do(t, http.MethodPost, "/v1/reviews", robot, review)
	mustStatus(t, again, http.StatusOK, "second post")
	if got := caseIDOf(t, again); got != id {
		t.Fatalf("second post gave case %v, want %s", got, id)
	}

	c := waitCase(t, id, func(c map[string]any) bool { return c["issue"] != nil })
	if c["workflow_id"] != cases.WorkflowIDFor(id) || c["status"] != "open" {
		t.Fatalf("case: %v", c)
	}
	if c["issue"] != string(cases.IssueDamagedOrLost) {
		t.Errorf("issue %v, want damaged_or_lost", c["issue"])
	}
	waitEvent(t, id, "seller_alerted")
	types := eventTypes(t, id)
	for _, want := range []string{"case_opened", "classified", "seller_alerted"} {
		if !contains(types, want) {
			t.Errorf("audit trail lacks %s: %v", want, types)
		}
	}
	if types[0] != "case_opened" {
		t.Errorf("first event %s, want case_opened", types[0])
	}
}

func TestPositiveReviewOpensNoCase(t *testing.T) {
	review := newOrderReview(t, cases.EBay, "demo-seller", 5, "Great seller")
	r := do(t, http.MethodPost, "/v1/reviews", robot, review)
	mustStatus(t, r, http.StatusOK, "5★ review")
	if m := r.Map(); m["opened"] != false || m["case"] != nil {
		t.Fatalf("5★ review answer: %s", r.Body)
	}
}

func TestBadReviewInputIsProblem(t *testing.T) {
	for name, body := range map[string]string{
		"malformed":   `{"marketplace":`,
		"rating":      `{"marketplace":"ebay","shop_id":"s","review_id":"r","order_id":"o","rating":9,"text":"x","created_at":"2026-11-01T00:00:00Z","buyer":{"id":"b","name":"n"}}`,
		"marketplace": `{"marketplace":"etsy","shop_id":"s","review_id":"r","order_id":"o","rating":1,"text":"x","created_at":"2026-11-01T00:00:00Z","buyer":{"id":"b","name":"n"}}`,
		"missing":     `{"rating":1}`,
	} {
		t.Run(name, func(t *testing.T) {
			r := do(t, http.MethodPost, "/v1/reviews", robot, body)
			if r.Status < 400 || r.Status >= 500 {
				t.Fatalf("status %d: %s", r.Status, r.Body)
			}
			if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
				t.Errorf("content type %q", ct)
			}
			if code, _ := r.Map()["code"].(string); code == "" {
				t.Errorf("problem without code: %s", r.Body)
			}
		})
	}
}
