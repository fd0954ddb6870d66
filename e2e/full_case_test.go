package e2e

import (
	"net/http"
	"testing"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/simulator"
)

// TestFullCaseThroughAPI drives a Mercado Libre quality case from the review
// to its outcome using only the HTTP API, as an automation, an agent and a
// manager would: contact, buyer reply, verification, a costly remedy that a
// manager approves, follow-up, and the review check.
func TestFullCaseThroughAPI(t *testing.T) {
	review := newOrderReview(t, cases.MercadoLibre, "1001", 1, "Dejó de funcionar al segundo día, muy mala calidad")
	created := do(t, http.MethodPost, "/v1/reviews", robot, review)
	mustStatus(t, created, http.StatusCreated, "post review")
	id := caseIDOf(t, created)
	reviewID := review["review_id"].(string)

	// Contact: the agent claims the task and sends the drafted message.
	contact := waitTask(t, id, cases.TaskContactBuyer)
	mustStatus(t, do(t, http.MethodPost, "/v1/tasks/"+contact.ID+"/claim", agent, map[string]any{}), http.StatusOK, "claim contact")
	mustStatus(t, do(t, http.MethodPost, "/v1/tasks/"+contact.ID+"/claim", manager, map[string]any{}), http.StatusConflict, "claim held task")
	draft := taskDraft(t, contact)
	mustStatus(t, do(t, http.MethodPost, "/v1/tasks/"+contact.ID+"/complete", agent,
		map[string]any{"contact": map[string]any{"message": draft}}), http.StatusOK, "complete contact")

	// The buyer answers on the platform (Mercado Libre lets a seller send more
	// than the one reason message only after that), entered by an automation
	// from the platform inbox.
	if _, err := stack.Simulator.AddBuyerMessage(cases.MercadoLibre, review["order_id"].(string), "Sí, quiero una solución por favor"); err != nil {
		t.Fatal(err)
	}
	mustStatus(t, do(t, http.MethodPost, "/v1/cases/"+id+"/buyer-replies", robot,
		map[string]any{"message_id": "m-1", "text": "Sí, quiero una solución por favor"}), http.StatusOK, "buyer reply")

	// Verification before any remedy: missing responsibility is refused.
	verify := waitTask(t, id, cases.TaskVerify)
	r := do(t, http.MethodPost, "/v1/tasks/"+verify.ID+"/complete", agent,
		map[string]any{"verify": map[string]any{"findings": "QC log shows a faulty batch"}})
	if r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("verify without responsibility: %d %s", r.Status, r.Body)
	}
	mustStatus(t, do(t, http.MethodPost, "/v1/tasks/"+verify.ID+"/complete", agent, map[string]any{"verify": map[string]any{
		"responsibility": "merchant", "findings": "QC log shows a faulty batch", "evidence_checked": []string{"order", "tracking", "chat"},
	}}), http.StatusOK, "complete verify")

	// Remedy: a coupon is not offered for quality problems; a full refund is,
	// and above the approval limit it goes to a manager.
	choose := waitTask(t, id, cases.TaskChooseRemedy)
	r = do(t, http.MethodPost, "/v1/tasks/"+choose.ID+"/complete", agent,
		map[string]any{"remedy": map[string]any{"type": "free_shipping_next_order"}})
	if r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("remedy not matched to the issue: %d %s", r.Status, r.Body)
	}
	mustStatus(t, do(t, http.MethodPost, "/v1/tasks/"+choose.ID+"/complete", agent,
		map[string]any{"remedy": map[string]any{"type": "refund_no_return"}}), http.StatusOK, "choose remedy")

	approve := waitTask(t, id, cases.TaskApproveRemedy)
	mustStatus(t, do(t, http.MethodPost, "/v1/tasks/"+approve.ID+"/complete", agent,
		map[string]any{"approval": map[string]any{"approved": true}}), http.StatusForbidden, "agent approval")
	mustStatus(t, do(t, http.MethodPost, "/v1/tasks/"+approve.ID+"/complete", manager,
		map[string]any{"approval": map[string]any{"approved": true, "reason": "faulty batch confirmed"}}), http.StatusOK, "manager approval")

	// The buyer, satisfied, revises the review on the platform on their own.
	if err := stack.Simulator.Revise(cases.MercadoLibre, reviewID, 4, "Me devolvieron el dinero enseguida"); err != nil {
		t.Fatal(err)
	}
	c := waitCase(t, id, func(c map[string]any) bool { return c["status"] == "closed" })
	if c["outcome"] != string(cases.OutcomeRevised) {
		t.Errorf("outcome %v, want revised", c["outcome"])
	}

	types := eventTypes(t, id)
	for _, want := range []string{"case_opened", "classified", "seller_alerted", "task_created", "task_claimed",
		"task_completed", "message_sent", "buyer_replied", "verified", "remedy_chosen", "remedy_approved",
		"remedy_step_done", "review_checked", "deadline_met", "case_closed"} {
		if !contains(types, want) {
			t.Errorf("audit trail lacks %s", want)
		}
	}
	// Mercado Libre closes the conversation after a refund: the follow-up is
	// skipped with a reason instead of forced (or turned into an incident).
	if contains(types, "follow_up_sent") || !contains(types, "message_blocked") || contains(types, "incident_opened") {
		t.Errorf("follow-up after a Mercado Libre refund: %v", types)
	}
	refunds := 0
	for _, e := range stack.Simulator.Ledger() {
		if e.OrderID == review["order_id"] && e.Kind == simulator.LedgerRefund {
			refunds++
		}
	}
	if refunds != 1 {
		t.Errorf("refunds in the ledger for the order: %d, want 1", refunds)
	}
	if d := stack.Simulator.Duplicates(); len(d) > 0 {
		t.Errorf("side effects applied twice: %+v", d)
	}
}

// TestEBayApologyNeedsApprovedPublicReply: a service complaint on eBay ends
// in an apology whose public half a manager must approve (eBay forbids
// automated replies to feedback); exactly one reply is posted.
func TestEBayApologyNeedsApprovedPublicReply(t *testing.T) {
	review := newOrderReview(t, cases.EBay, "demo-seller", 2, "The seller was rude and never answered my messages")
	created := do(t, http.MethodPost, "/v1/reviews", robot, review)
	mustStatus(t, created, http.StatusCreated, "post review")
	id := caseIDOf(t, created)

	contact := waitTask(t, id, cases.TaskContactBuyer)
	mustStatus(t, do(t, http.MethodPost, "/v1/tasks/"+contact.ID+"/complete", agent,
		map[string]any{"contact": map[string]any{"message": taskDraft(t, contact)}}), http.StatusOK, "contact")
	mustStatus(t, do(t, http.MethodPost, "/v1/cases/"+id+"/buyer-replies", agent,
		map[string]any{"message_id": "e-1", "text": "Nobody answered me for a week"}), http.StatusOK, "buyer reply")
	verify := waitTask(t, id, cases.TaskVerify)
	mustStatus(t, do(t, http.MethodPost, "/v1/tasks/"+verify.ID+"/complete", agent, map[string]any{"verify": map[string]any{
		"responsibility": "merchant", "findings": "chat log: three unanswered messages", "evidence_checked": []string{"chat"},
	}}), http.StatusOK, "verify")
	choose := waitTask(t, id, cases.TaskChooseRemedy)
	mustStatus(t, do(t, http.MethodPost, "/v1/tasks/"+choose.ID+"/complete", agent,
		map[string]any{"remedy": map[string]any{"type": "apology"}}), http.StatusOK, "choose apology")

	reply := waitTask(t, id, cases.TaskApproveReply)
	mustStatus(t, do(t, http.MethodPost, "/v1/tasks/"+reply.ID+"/complete", manager,
		map[string]any{"approval": map[string]any{"approved": true}}), http.StatusOK, "approve reply")
	c := waitCase(t, id, func(c map[string]any) bool { return c["status"] == "closed" })
	if c["outcome"] != string(cases.OutcomeUnchanged) {
		t.Errorf("outcome %v, want unchanged", c["outcome"])
	}
	if types := eventTypes(t, id); !contains(types, "follow_up_sent") || !contains(types, "public_reply_posted") {
		t.Errorf("audit trail: %v", types)
	}
	replies := 0
	for _, e := range stack.Simulator.Ledger() {
		if e.Platform == cases.EBay && e.Kind == simulator.LedgerReply && e.ReviewID == review["review_id"] {
			replies++
		}
	}
	if replies != 1 {
		t.Errorf("public replies in the ledger: %d, want 1", replies)
	}
}

// TestManagerClosesCase: a manager closes a case early with a reason; its
// open tasks are cancelled and the audit trail names the manager.
func TestManagerClosesCase(t *testing.T) {
	review := newOrderReview(t, cases.Taobao, "demo-shop", 3, "物流太慢了，等了两个星期")
	created := do(t, http.MethodPost, "/v1/reviews", robot, review)
	mustStatus(t, created, http.StatusCreated, "post review")
	id := caseIDOf(t, created)
	contact := waitTask(t, id, cases.TaskContactBuyer)

	mustStatus(t, do(t, http.MethodPost, "/v1/cases/"+id+"/close", agent, map[string]any{"reason": "dup"}), http.StatusForbidden, "agent close")
	mustStatus(t, do(t, http.MethodPost, "/v1/cases/"+id+"/close", manager,
		map[string]any{"reason": "buyer withdrew the complaint by phone"}), http.StatusOK, "manager close")
	c := waitCase(t, id, func(c map[string]any) bool { return c["status"] == "closed" })
	if c["outcome"] != string(cases.OutcomeClosedByManager) {
		t.Errorf("outcome %v", c["outcome"])
	}
	r := do(t, http.MethodPost, "/v1/tasks/"+contact.ID+"/complete", agent,
		map[string]any{"contact": map[string]any{"message": "hola"}})
	if r.Status < 400 || r.Status >= 500 {
		t.Errorf("completing a task of a closed case: %d %s", r.Status, r.Body)
	}
	if types := eventTypes(t, id); !contains(types, "task_cancelled") || !contains(types, "case_closed") {
		t.Errorf("audit trail: %v", types)
	}
}

func taskDraft(t *testing.T, task cases.Task) string {
	t.Helper()
	var in struct {
		Draft string `json:"draft"`
	}
	if err := jsonUnmarshal(task.Input, &in); err != nil || in.Draft == "" {
		t.Fatalf("task %s has no draft: %s", task.ID, task.Input)
	}
	return in.Draft
}
