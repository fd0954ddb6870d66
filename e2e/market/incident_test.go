package market

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/internal/testenv"
	"github.com/redress-hq/redress/simulator"
)

// The platform refuses the remedy offer permanently (eBay: messaging closed
// during mediation): the case does not die or skip the step, it holds an
// incident the API lists with the call, platform, error class and attempts.
// Once the platform allows messages again, an automation's retry lets the
// case continue to its outcome, with every write made once.
func TestIncidentRetryAfterPlatformRecovers(t *testing.T) {
	t.Parallel()
	r := addReview(t, cases.EBay, 1, qualityComplaints[cases.EBay])
	id := r.CaseID()
	choose := reachRemedyChoice(t, id)
	setMessaging(t, r, "mediation")
	chooseApprovedRefund(t, id, choose)

	inc := waitIncident(t, id)
	if inc.Call != "send_buyer_message" || inc.Marketplace != cases.EBay || inc.ShopID != r.Shop ||
		inc.ErrorClass != cases.ErrPermanent || inc.Attempts < 1 || !strings.Contains(inc.Message, "no longer allowed") {
		t.Fatalf("incident: %+v", inc)
	}
	if got := len(ledgerOf(r.Platform, r.OrderID, simulator.LedgerRefund)); got != 0 {
		t.Fatalf("refunds before the offer went out: %d", got)
	}
	mustStatus(t, do(t, http.MethodPost, "/v1/incidents/"+inc.ID+"/retry", agent, map[string]any{}), http.StatusForbidden, "agent retry")

	setMessaging(t, r, "")
	mustStatus(t, do(t, http.MethodPost, "/v1/incidents/"+inc.ID+"/retry", robot,
		map[string]any{"reason": "mediation closed"}), http.StatusOK, "retry")
	v := waitClosed(t, id)
	if v.Case.Outcome == "" {
		t.Errorf("closed without an outcome: %+v", v.Case)
	}
	got := getIncident(t, inc.ID)
	if got.Status != cases.IncidentResolved || got.ResolvedBy == "" || got.Resolution != "mediation closed" {
		t.Errorf("incident after the retry: %+v", got)
	}
	types := eventTypes(t, id)
	for _, want := range []string{"incident_opened", "incident_resolved", "remedy_completed", "case_closed"} {
		if !contains(types, want) {
			t.Errorf("audit trail lacks %s: %v", want, types)
		}
	}
	if n := len(ledgerOf(r.Platform, r.OrderID, simulator.LedgerRefund)); n != 1 {
		t.Errorf("refunds: %d, want 1", n)
	}
	noDuplicates(t)
}

// A retry may correct the call's parameters: corrected params go through the
// compliance guard (a phone number is refused), and a clean, shorter
// message is what the platform receives. (eBay: its Message API sends the
// offer; Taobao's chat, which has none, is a manual step.)
func TestIncidentRetryWithCorrectedParams(t *testing.T) {
	t.Parallel()
	r := addReview(t, cases.EBay, 1, qualityComplaints[cases.EBay])
	id := r.CaseID()
	choose := reachRemedyChoice(t, id)
	setMessaging(t, r, "buyer_blocked_seller")
	chooseApprovedRefund(t, id, choose)
	inc := waitIncident(t, id)
	if inc.Marketplace != cases.EBay || inc.Call != "send_buyer_message" || inc.ErrorClass != cases.ErrPermanent {
		t.Fatalf("incident: %+v", inc)
	}

	bad := do(t, http.MethodPost, "/v1/incidents/"+inc.ID+"/retry", robot, map[string]any{
		"params": map[string]any{"request": map[string]any{"text": "We have refunded you in full. Any questions, please call us on +1 415 555 0199"}}})
	mustStatus(t, bad, http.StatusUnprocessableEntity, "retry with a phone number")
	if code := bad.Map()["code"]; code != "guard_rejected" || !strings.Contains(string(bad.Body), cases.RuleContactData) {
		t.Errorf("retry with a phone number: %s", bad.Body)
	}

	setMessaging(t, r, "")
	corrected := "Hello, we have refunded your order in full. We are very sorry for the trouble."
	mustStatus(t, do(t, http.MethodPost, "/v1/incidents/"+inc.ID+"/retry", robot, map[string]any{
		"params": map[string]any{"request": map[string]any{"text": corrected}}, "reason": "shorter message"}),
		http.StatusOK, "retry with corrected params")
	waitClosed(t, id)

	sent := 0
	for _, e := range ledgerOf(r.Platform, r.OrderID, simulator.LedgerMessage) {
		if e.Payload == corrected {
			sent++
		}
	}
	if sent != 1 {
		t.Errorf("corrected message in the ledger %d times, want 1: %+v", sent, ledgerOf(r.Platform, r.OrderID, simulator.LedgerMessage))
	}
	resolved := eventData(t, id, cases.EventIncidentResolved)
	if len(resolved) == 0 || resolved[0]["corrected_params"] != true {
		t.Errorf("incident_resolved events: %v", resolved)
	}
	noDuplicates(t)
}

// Skipping a failed step needs a reason, which the audit trail keeps; the
// case goes on without the step (eBay, whose refunds go through its API: the
// offer message is skipped, the refund is still made). eBay publishes no
// messaging window, so the follow-up meets the closed conversation too and
// is skipped with its own reason.
func TestIncidentSkipWithReason(t *testing.T) {
	t.Parallel()
	r := addReview(t, cases.EBay, 1, qualityComplaints[cases.EBay])
	id := r.CaseID()
	choose := reachRemedyChoice(t, id)
	setMessaging(t, r, "buyer_opted_out")
	chooseApprovedRefund(t, id, choose)
	inc := waitIncident(t, id)
	if inc.Marketplace != cases.EBay || inc.Call != "send_buyer_message" || inc.ErrorClass != cases.ErrPermanent {
		t.Fatalf("incident: %+v", inc)
	}

	mustStatus(t, do(t, http.MethodPost, "/v1/incidents/"+inc.ID+"/skip", robot, map[string]any{}),
		http.StatusBadRequest, "skip without a reason")
	reason := "buyer opted out of messages; refund goes ahead"
	mustStatus(t, do(t, http.MethodPost, "/v1/incidents/"+inc.ID+"/skip", robot, map[string]any{"reason": reason}),
		http.StatusOK, "skip")

	var followUp cases.Incident
	err := testenv.Eventually(t.Context(), testenv.WaitTimeout, func() (bool, error) {
		open, err := stack.Incidents(t.Context(), robot, url.Values{"case_id": {id}, "status": {string(cases.IncidentOpen)}})
		for _, o := range open {
			if o.ID != inc.ID { // the index may still show the skipped one open
				followUp = o
				return true, nil
			}
		}
		return false, err
	})
	if err != nil || followUp.Step != "message_follow_up" || followUp.Call != "send_buyer_message" || followUp.ErrorClass != cases.ErrPermanent {
		t.Fatalf("follow-up incident: %+v (first: %+v): %v", followUp, inc, err)
	}
	if n := len(ledgerOf(r.Platform, r.OrderID, simulator.LedgerRefund)); n != 1 {
		t.Errorf("refunds before the follow-up: %d, want 1", n)
	}
	followUpReason := "buyer still opted out; no follow-up"
	mustStatus(t, do(t, http.MethodPost, "/v1/incidents/"+followUp.ID+"/skip", robot, map[string]any{"reason": followUpReason}),
		http.StatusOK, "skip follow-up")
	waitClosed(t, id)

	if got := getIncident(t, inc.ID); got.Status != cases.IncidentSkipped || got.Resolution != reason {
		t.Errorf("incident after the skip: %+v", got)
	}
	skips := map[string]bool{}
	for _, d := range eventData(t, id, cases.EventIncidentResolved) {
		if d["action"] == "skip" {
			skips[fmt.Sprint(d["reason"])] = true
		}
	}
	if !skips[reason] || !skips[followUpReason] {
		t.Errorf("audit trail lacks a skip with its reason: %v", eventData(t, id, cases.EventIncidentResolved))
	}
	if n := len(ledgerOf(r.Platform, r.OrderID, simulator.LedgerRefund)); n != 1 {
		t.Errorf("refunds: %d, want 1", n)
	}
	if n := len(ledgerOf(r.Platform, r.OrderID, simulator.LedgerMessage)); n != 1 {
		t.Errorf("messages on the platform: %d, want only the first contact", n)
	}
	noDuplicates(t)
}

// setMessaging closes the buyer conversation on the platform ("" reopens it).
func setMessaging(t *testing.T, r simReview, closedReason string) {
	t.Helper()
	if err := stack.Simulator.CloseMessaging(r.Platform, r.OrderID, closedReason); err != nil {
		t.Fatal(err)
	}
}

// waitIncident waits for the case's open incident in GET /v1/incidents.
func waitIncident(t *testing.T, caseID string) cases.Incident {
	t.Helper()
	inc, err := stack.WaitIncident(t.Context(), robot, caseID, cases.IncidentOpen)
	if err != nil {
		t.Fatal(err)
	}
	return inc
}

func getIncident(t *testing.T, id string) cases.Incident {
	t.Helper()
	r := do(t, http.MethodGet, "/v1/incidents/"+id, manager, nil)
	mustStatus(t, r, http.StatusOK, "get incident")
	var inc cases.Incident
	if err := r.JSON(&inc); err != nil {
		t.Fatal(err)
	}
	return inc
}
