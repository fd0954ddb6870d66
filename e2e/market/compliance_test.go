package market

import (
	"net/http"
	"testing"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/internal/testenv"
)

// guardCase is a text the compliance guard must refuse, and the rule it breaks.
type guardCase struct {
	name, text, rule string
}

// contactViolations per platform: contact data and links everywhere; a
// request to change the review where the platform forbids asking (Amazon,
// Taobao).
var contactViolations = map[cases.Marketplace][]guardCase{
	cases.MercadoLibre: {
		{"phone", "Hola, llámenos al 11 5555 1234 y lo resolvemos", cases.RuleContactData},
		{"link", "Hola, vea las instrucciones en https://tienda.example.com/ayuda", cases.RuleLink},
	},
	cases.EBay: {
		{"phone", "Hi, please call us on +1 415 555 0199 and we will sort it out", cases.RuleContactData},
		{"link", "Hi, the instructions are at www.shop-example.com/help", cases.RuleLink},
	},
	cases.Amazon: {
		{"phone", "Hi, please call us on +1 415 555 0199 and we will sort it out", cases.RuleContactData},
		{"link", "Hi, the instructions are at https://shop.example.com/help", cases.RuleLink},
		{"review change", "Sorry about this. Once it is fixed, could you please update your review?", cases.RuleReviewChangeRequest},
	},
	cases.Taobao: {
		{"phone", "亲，请拨打13800138000联系我们", cases.RuleContactData},
		{"link", "亲，请看 https://shop.example.com/help 的说明", cases.RuleLink},
		{"review change", "亲，问题解决后麻烦您修改一下评价", cases.RuleReviewChangeRequest},
	},
}

// conditionedOffers offer a remedy in exchange for a better review, in the
// platform's language: forbidden on every platform.
var conditionedOffers = map[cases.Marketplace]string{
	cases.MercadoLibre: "Le devolvemos el dinero si cambia su calificación a 5 estrellas",
	cases.EBay:         "We will refund you in full in exchange for a 5-star review",
	cases.Amazon:       "We will refund you in full in exchange for a 5-star review",
	cases.Taobao:       "给您全额退款，麻烦给个五星好评",
}

// Completing a contact task with a message that breaks a platform rule is
// refused with 422 guard_rejected naming the rule, and a remedy offered in
// exchange for a 5★ review is refused on every platform. The contact task
// comes from the platform refusing the automatic message (conversation
// closed); the case then goes on with a clean message.
func TestComplianceGuardThroughAPI(t *testing.T) {
	t.Parallel()
	for _, m := range cases.Marketplaces {
		t.Run(string(m), func(t *testing.T) {
			// The review arrives 5★ (opening nothing) so the conversation can
			// be closed before its case starts; the buyer then revises it to
			// 1★ on the platform, which notifies nobody, and it is posted as
			// such. (A case whose platform review still reads 5★ would close
			// as revised when the 5★ notification reaches it.)
			r := addReview(t, m, 5, "ok")
			setMessaging(t, r, "window_closed")
			r.Rating, r.Text = 1, qualityComplaints[m]
			if err := stack.Simulator.Revise(m, r.SimID, r.Rating, r.Text); err != nil {
				t.Fatal(err)
			}
			id := postReview(t, r)

			contact := contactTaskOf(t, id)
			for _, v := range contactViolations[m] {
				resp := complete(t, contact, agent, map[string]any{"contact": map[string]any{"message": v.text}})
				expectGuard(t, v.name, resp, v.rule)
			}
			setMessaging(t, r, "")
			mustStatus(t, complete(t, contact, agent, map[string]any{"contact": map[string]any{"message": cleanMessage(m)}}),
				http.StatusOK, "clean contact")

			choose := reachRemedyChoice(t, id)
			resp := complete(t, choose, agent, map[string]any{"remedy": map[string]any{
				"type": "refund_no_return", "message": conditionedOffers[m]}})
			expectGuard(t, "remedy for a 5-star review", resp, cases.RuleReviewConditionedRemedy)

			mustStatus(t, do(t, http.MethodPost, "/v1/cases/"+id+"/close", manager,
				map[string]any{"reason": "compliance check done"}), http.StatusOK, "close")
			waitClosed(t, id)
			if n := len(stack.Simulator.Duplicates()); n > 0 {
				t.Errorf("duplicates: %d", n)
			}
		})
	}
}

// contactTaskOf returns the case's contact task. Where the platform's
// eligibility check does not see the closed conversation (eBay, Taobao), the
// automatic message fails instead, and skipping that incident hands the
// contact to an agent.
func contactTaskOf(t *testing.T, caseID string) cases.Task {
	t.Helper()
	v := waitCase(t, caseID, func(v testenv.CaseView) bool {
		_, ok := v.OpenTask(cases.TaskContactBuyer)
		return ok || len(v.OpenIncidents()) > 0
	})
	if task, ok := v.OpenTask(cases.TaskContactBuyer); ok {
		return task
	}
	inc := v.OpenIncidents()[0]
	if inc.Call != "send_buyer_message" || inc.ErrorClass != cases.ErrPermanent {
		t.Fatalf("unexpected incident: %+v", inc)
	}
	mustStatus(t, do(t, http.MethodPost, "/v1/incidents/"+inc.ID+"/skip", robot,
		map[string]any{"reason": "conversation closed; an agent writes once it reopens"}), http.StatusOK, "skip automatic message")
	return waitTask(t, caseID, cases.TaskContactBuyer)
}

func expectGuard(t *testing.T, what string, resp testenv.Response, rule string) {
	t.Helper()
	if resp.Status != http.StatusUnprocessableEntity {
		t.Errorf("%s: status %d, want 422: %s", what, resp.Status, resp.Body)
		return
	}
	var p struct {
		Code    string `json:"code"`
		Details []struct {
			Rule string `json:"rule"`
		} `json:"details"`
	}
	if err := resp.JSON(&p); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	var rules []string
	for _, d := range p.Details {
		rules = append(rules, d.Rule)
	}
	if p.Code != "guard_rejected" || !contains(rules, rule) {
		t.Errorf("%s: code %s rules %v, want guard_rejected with %s: %s", what, p.Code, rules, rule, resp.Body)
	}
}

// cleanMessage is a first message every platform accepts.
func cleanMessage(m cases.Marketplace) string {
	switch m {
	case cases.MercadoLibre:
		return "Hola, lamentamos lo ocurrido. ¿Nos cuenta qué pasó para darle una solución?"
	case cases.Taobao:
		return "亲，非常抱歉给您带来不便，请告诉我们具体情况，我们马上处理。"
	}
	return "Hi, we are sorry about this. Could you tell us what happened so we can fix it?"
}
