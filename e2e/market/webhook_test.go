package market

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/internal/testenv"
	"github.com/redress-hq/redress/workflows"
)

// A review added on the platform opens its case by itself through the
// platform's own notification: Mercado Libre names the resource (fetched by
// IngestNotificationWorkflow), eBay a signed notification; Taobao queues a
// TMC message that the shop's poll consumes (TMC is pulled, never pushed).
// A second notification of the same review opens no second case. The first
// contact then goes out: automatically where the platform has a message API,
// through an agent's contact_buyer task sent in 千牛 on Taobao, which has none.
func TestWebhookReviewOpensCase(t *testing.T) {
	t.Parallel()
	for _, m := range []cases.Marketplace{cases.MercadoLibre, cases.Taobao, cases.EBay} {
		t.Run(string(m), func(t *testing.T) {
			r := addReview(t, m, 1, qualityComplaints[m])
			pullTMC(t, m)
			v := waitCase(t, r.CaseID(), func(v testenv.CaseView) bool { return v.Case.Issue != "" })
			if v.Case.ReviewID != r.ReviewID || v.Case.OrderID != r.OrderID || v.Case.Rating != 1 {
				t.Fatalf("case %s from the webhook: %+v", r.CaseID(), v.Case)
			}
			if err := stack.Simulator.EmitReview(m, r.SimID); err != nil {
				t.Fatalf("notify again: %v", err)
			}
			pullTMC(t, m)
			if m == cases.Taobao {
				contactByHand(t, r.CaseID())
			}
			waitStage(t, r.CaseID(), cases.StageAwaitingReply) // the first contact went out
			if n := workflowRuns(t, r.CaseID()); n != 1 {
				t.Errorf("runs of the case after a second notification: %d, want 1", n)
			}
			if types := eventTypes(t, r.CaseID()); countOf(types, "case_opened") != 1 {
				t.Errorf("audit trail: %v", types)
			}
		})
	}
}

// The same Mercado Libre delivery, redelivered byte for byte (its _id is
// the delivery id), is answered as a duplicate and joins the first ingest.
func TestWebhookRedeliveryIsDuplicate(t *testing.T) {
	t.Parallel()
	r := addReview(t, cases.MercadoLibre, 2, "Llegó tarde y la caja estaba rota")
	waitCase(t, r.CaseID(), func(v testenv.CaseView) bool { return true })
	now := time.Now().UTC()
	delivery := map[string]any{"_id": fmt.Sprintf("redelivered-%d", now.UnixNano()), "resource": "/orders/" + r.OrderID + "/feedback",
		"user_id": r.Shop, "topic": "orders_feedback", "application_id": "sim-meli", "attempts": 2, "sent": now, "received": now}
	var answers []map[string]any
	for range 2 {
		resp := do(t, http.MethodPost, "/v1/webhooks/mercadolibre", "", delivery)
		mustStatus(t, resp, http.StatusOK, "webhook delivery")
		answers = append(answers, resp.Map())
	}
	if answers[0]["duplicates"] != 0.0 || answers[1]["duplicates"] != 1.0 || answers[1]["received"] != 1.0 {
		t.Errorf("webhook answers: %v", answers)
	}
	if n := workflowRuns(t, r.CaseID()); n != 1 {
		t.Errorf("runs of the case after redeliveries: %d, want 1", n)
	}
}

// A buyer's message on the platform reaches the case as a buyer reply
// (visible in the live state and the audit trail) and moves it on to
// verification. (Taobao has no chat API and no message notification.)
func TestWebhookBuyerMessageBecomesReply(t *testing.T) {
	t.Parallel()
	for _, m := range []cases.Marketplace{cases.MercadoLibre, cases.EBay} {
		t.Run(string(m), func(t *testing.T) {
			r := addReview(t, m, 1, qualityComplaints[m])
			waitStage(t, r.CaseID(), cases.StageAwaitingReply)
			text := "Quiero una solución, gracias"
			msg, err := stack.Simulator.AddBuyerMessage(m, r.OrderID, text)
			if err != nil {
				t.Fatal(err)
			}
			v := waitCase(t, r.CaseID(), func(v testenv.CaseView) bool { return v.State != nil && len(v.State.BuyerReplies) > 0 })
			got := v.State.BuyerReplies[0]
			if got.Text != text || got.Source != "webhook" || got.MessageID == "" {
				t.Errorf("buyer reply %+v, want text %q from the webhook (message %s)", got, text, msg.ID)
			}
			waitTask(t, r.CaseID(), cases.TaskVerify)
			waitEvent(t, r.CaseID(), cases.EventBuyerReplied)
		})
	}
}

// pullTMC runs Taobao's shop poll, which consumes the TMC queue.
func pullTMC(t *testing.T, m cases.Marketplace) {
	t.Helper()
	if m != cases.Taobao {
		return
	}
	if _, err := stack.PollShop(context.Background(), m, shops[m]); err != nil {
		t.Fatalf("poll %s: %v", m, err)
	}
}

func countOf(list []string, s string) int {
	n := 0
	for _, v := range list {
		if v == s {
			n++
		}
	}
	return n
}

// contactByHand has an agent send the first contact in the seller console,
// where the platform has no message API: the case's contact_buyer task says
// so and where, carries the draft, and sends nothing itself.
func contactByHand(t *testing.T, caseID string) {
	t.Helper()
	task := waitTask(t, caseID, cases.TaskContactBuyer)
	var in workflows.ContactTaskInput
	if err := json.Unmarshal(task.Input, &in); err != nil {
		t.Fatal(err)
	}
	if !in.Manual || in.Reason != "no_message_api" || in.Console == "" || in.Draft == "" {
		t.Fatalf("contact task of %s is not a manual contact with a draft: %s", caseID, task.Input)
	}
	mustStatus(t, complete(t, task, agent, map[string]any{"contact": map[string]any{
		"message": in.Draft, "reference": "qianniu-" + caseID}}), http.StatusOK, "manual contact")
}
