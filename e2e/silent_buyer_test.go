package e2e

import (
	"net/http"
	"testing"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/simulator"
)

// TestSilentBuyerThenLateReply drives one eBay case through every human step
// the API offers: contact, no answer → a public reply a manager approves
// (eBay forbids automated replies), the buyer's late answer reopening the
// private path, verification, a remedy above the limit a manager approves,
// follow-up and the review check — as an automation, an agent and a manager.
func TestSilentBuyerThenLateReply(t *testing.T) {
	review := newOrderReview(t, cases.EBay, "demo-seller", 1, "Stopped working after two days, very poor quality")
	created := do(t, http.MethodPost, "/v1/reviews", robot, review)
	mustStatus(t, created, http.StatusCreated, "post review")
	id := caseIDOf(t, created)

	contact := waitTask(t, id, cases.TaskContactBuyer)
	mustStatus(t, do(t, http.MethodPost, "/v1/tasks/"+contact.ID+"/claim", agent, map[string]any{}), http.StatusOK, "claim contact")
	mustStatus(t, do(t, http.MethodPost, "/v1/tasks/"+contact.ID+"/complete", agent,
		map[string]any{"contact": map[string]any{"message": taskDraft(t, contact)}}), http.StatusOK, "contact")

	// The buyer stays silent past the no-reply point: the public reply waits for a manager.
	reply := waitTask(t, id, cases.TaskApproveReply)
	mustStatus(t, do(t, http.MethodPost, "/v1/tasks/"+reply.ID+"/complete", agent,
		map[string]any{"approval": map[string]any{"approved": true}}), http.StatusForbidden, "agent approving a reply")
	mustStatus(t, do(t, http.MethodPost, "/v1/tasks/"+reply.ID+"/complete", manager,
		map[string]any{"approval": map[string]any{"approved": true, "reason": "polite, no private data"}}), http.StatusOK, "approve reply")

	// A late answer reopens the private path.
	mustStatus(t, do(t, http.MethodPost, "/v1/cases/"+id+"/buyer-replies", robot,
		map[string]any{"message_id": "late-1", "text": "Sorry, I was travelling. It really does not turn on."}), http.StatusOK, "late reply")
	verify := waitTask(t, id, cases.TaskVerify)
	mustStatus(t, do(t, http.MethodPost, "/v1/tasks/"+verify.ID+"/complete", agent, map[string]any{"verify": map[string]any{
		"responsibility": "supplier", "findings": "batch QC report shows faulty units", "evidence_checked": []string{"order", "qc", "chat"},
	}}), http.StatusOK, "verify")
	choose := waitTask(t, id, cases.TaskChooseRemedy)
	mustStatus(t, do(t, http.MethodPost, "/v1/tasks/"+choose.ID+"/complete", agent,
		map[string]any{"remedy": map[string]any{"type": "refund_no_return"}}), http.StatusOK, "choose refund")
	approve := waitTask(t, id, cases.TaskApproveRemedy)
	mustStatus(t, do(t, http.MethodPost, "/v1/tasks/"+approve.ID+"/complete", manager,
		map[string]any{"approval": map[string]any{"approved": true, "reason": "supplier fault, refund"}}), http.StatusOK, "approve refund")

	c := waitCase(t, id, func(c map[string]any) bool { return c["status"] == "closed" })
	if c["outcome"] != string(cases.OutcomeUnchanged) {
		t.Errorf("outcome %v, want unchanged", c["outcome"])
	}
	types := eventTypes(t, id)
	for _, want := range []string{"public_reply_posted", "buyer_replied", "verified", "remedy_approved",
		"remedy_step_done", "follow_up_sent", "review_checked", "case_closed"} {
		if !contains(types, want) {
			t.Errorf("audit trail lacks %s: %v", want, types)
		}
	}
	var replies, refunds int
	for _, e := range stack.Simulator.Ledger() {
		switch {
		case e.Kind == simulator.LedgerReply && e.ReviewID == review["review_id"]:
			replies++
		case e.Kind == simulator.LedgerRefund && e.OrderID == review["order_id"]:
			refunds++
		}
	}
	if replies != 1 || refunds != 1 {
		t.Errorf("ledger: %d public replies and %d refunds, want 1 and 1", replies, refunds)
	}
	if d := stack.Simulator.Duplicates(); len(d) > 0 {
		t.Errorf("side effects applied twice: %+v", d)
	}
}
