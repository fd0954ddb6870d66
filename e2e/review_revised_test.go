package e2e

import (
	"net/http"
	"testing"

	"github.com/redress-hq/redress/cases"
)

// TestRevisedReviewClosesCase: a review posted again unchanged is a no-op; the
// same review posted with 5★ reaches the open case, which closes as revised
// with its open tasks cancelled and the change on the audit trail.
func TestRevisedReviewClosesCase(t *testing.T) {
	review := newOrderReview(t, cases.MercadoLibre, "1001", 1, "Llegó tarde y nadie responde")
	created := do(t, http.MethodPost, "/v1/reviews", robot, review)
	mustStatus(t, created, http.StatusCreated, "post review")
	id := caseIDOf(t, created)
	contact := waitTask(t, id, cases.TaskContactBuyer)
	waitCase(t, id, func(c map[string]any) bool { return c["review_digest"] != nil })

	again := do(t, http.MethodPost, "/v1/reviews", robot, review)
	mustStatus(t, again, http.StatusOK, "post the same review")
	if again.Map()["changed"] != nil {
		t.Fatalf("same content reported as changed: %s", again.Body)
	}

	review["rating"], review["text"] = 5, "Me contactaron y lo resolvieron, gracias"
	revised := do(t, http.MethodPost, "/v1/reviews", robot, review)
	mustStatus(t, revised, http.StatusOK, "post the revised review")
	if body := revised.Map(); body["changed"] != true || body["opened"] != true {
		t.Fatalf("revision not delivered: %s", revised.Body)
	}

	c := waitCase(t, id, func(c map[string]any) bool { return c["status"] == string(cases.StatusClosed) })
	if c["outcome"] != string(cases.OutcomeRevised) || c["rating"] != float64(5) {
		t.Fatalf("closed as %v with rating %v, want revised 5★", c["outcome"], c["rating"])
	}
	trail := eventTypes(t, id)
	if !contains(trail, string(cases.EventReviewChanged)) {
		t.Fatalf("no review_changed event: %v", trail)
	}
	task := do(t, http.MethodGet, "/v1/tasks/"+contact.ID, agent, nil)
	mustStatus(t, task, http.StatusOK, "contact task")
	if got := task.Map()["status"]; got != string(cases.TaskCancelled) {
		t.Fatalf("contact task %v after the revision, want cancelled", got)
	}
}
