package market

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/redress-hq/redress/cases"
)

// tradesForStars are the issue's example — a reship plus a coupon for "five
// stars" on a Taobao case — as an agent might write it, obfuscated.
var tradesForStars = []struct{ name, text string }{
	{"plain", "我们给您补发一件，再送一张优惠券，麻烦把评价改成五星"},
	{"english", "We'll reship it and add a coupon. Could you change it to five stars?"},
	{"traditional", "給您補發並送優惠券，能不能把評價改成五星好評"},
	{"spaced and invisible", "补发+优惠券都安排了，好\u200b评 改 成 ⭐⭐⭐⭐⭐ 可以吗"},
	{"soft ask", "Replacement and a coupon are on the way — it would mean the world if you'd revisit your rating."},
}

// Through the HTTP API: a choose_remedy completion whose offer trades for the
// review is a 422 guard_rejected naming the rule; one the guard is unsure
// about is accepted and becomes a manager's approve_remedy showing why,
// instead of being sent.
func TestGuardDoubtsThroughAPI(t *testing.T) {
	t.Parallel()
	m := cases.Taobao
	id := postReview(t, addReview(t, m, 1, qualityComplaints[m]))
	contact := waitTask(t, id, cases.TaskContactBuyer)
	mustStatus(t, complete(t, contact, agent, map[string]any{"contact": map[string]any{"message": cleanMessage(m)}}),
		http.StatusOK, "contact")
	choose := reachRemedyChoice(t, id)

	for _, tr := range tradesForStars {
		resp := complete(t, choose, agent, map[string]any{"remedy": map[string]any{
			"type": "reship_and_coupon", "message": tr.text}})
		expectGuard(t, tr.name, resp, cases.RuleReviewConditionedRemedy)
		if !strings.Contains(string(resp.Body), cases.RuleReviewConditionedRemedy) {
			t.Errorf("%s: the problem does not name the rule: %s", tr.name, resp.Body)
		}
	}

	unsure := "已为您安排补发，并送一张优惠券 ⭐"
	mustStatus(t, complete(t, choose, agent, map[string]any{"remedy": map[string]any{
		"type": "reship_and_coupon", "message": unsure}}), http.StatusOK, "unsure offer")
	approve := waitTask(t, id, cases.TaskApproveRemedy)
	var in struct {
		GuardDoubts []cases.Violation `json:"guard_doubts"`
		Choice      struct {
			Message string `json:"message"`
		} `json:"choice"`
	}
	if err := json.Unmarshal(approve.Input, &in); err != nil {
		t.Fatal(err)
	}
	if len(in.GuardDoubts) == 0 || in.Choice.Message != unsure {
		t.Fatalf("approve_remedy does not show the guard's doubts: %s", approve.Input)
	}
	// The offer waits for the manager: no remedy step ran.
	if contains(eventTypes(t, id), string(cases.EventRemedyStepDone)) {
		t.Fatalf("a remedy step ran before the approval: %v", eventTypes(t, id))
	}
	mustStatus(t, complete(t, approve, manager, map[string]any{"approval": map[string]any{"approved": false, "reason": "rewrite without the star"}}),
		http.StatusOK, "reject")
	waitTask(t, id, cases.TaskChooseRemedy)
	mustStatus(t, do(t, http.MethodPost, "/v1/cases/"+id+"/close", manager, map[string]any{"reason": "guard check done"}), http.StatusOK, "close")
	waitClosed(t, id)
}
