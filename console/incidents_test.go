package console_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/redress-hq/redress/cases"
)

// TestRetrySelectedIncidents: a manager ticks two incidents and retries both
// at once; a skip needs a reason.
func TestRetrySelectedIncidents(t *testing.T) {
	var ids, caseIDs, orders []string
	for range 2 {
		o := addReview(t, cases.EBay, "demo-seller", "Nobody answered my messages and the box was crushed")
		if err := stack.Simulator.CloseMessaging(cases.EBay, o.Order, "mediation"); err != nil {
			t.Fatal(err)
		}
		caseID := postReview(t, o)
		inc, err := stack.WaitIncident(context.Background(), manager, caseID, cases.IncidentOpen)
		if err != nil {
			t.Fatal(err)
		}
		ids, caseIDs, orders = append(ids, inc.ID), append(caseIDs, caseID), append(orders, o.Order)
	}
	mg := signIn(t, manager)
	if p := mg.get("/ui/incidents?error_class=permanent"); p.Status != http.StatusOK || !strings.Contains(p.Body, ids[0]) || !strings.Contains(p.Body, ids[1]) {
		t.Fatalf("incident list: %d, want both incidents listed", p.Status)
	}
	if p := mg.post("/ui/incidents/"+ids[0]+"/skip", url.Values{"reason": {""}}); p.Status < 400 || !strings.Contains(p.Body, `class="refusal"`) {
		t.Errorf("skip without a reason: %d, want the refusal inline", p.Status)
	}
	for _, order := range orders {
		if err := stack.Simulator.CloseMessaging(cases.EBay, order, ""); err != nil {
			t.Fatal(err)
		}
	}
	p := mg.post("/ui/incidents/retry", url.Values{"id": ids, "reason": {"mediation over"}})
	if p.Status != http.StatusSeeOther || !strings.Contains(p.Location, "retried=2&failed=0") {
		t.Fatalf("retry selected: %d → %q", p.Status, p.Location)
	}
	for _, caseID := range caseIDs {
		if _, err := stack.WaitIncident(context.Background(), manager, caseID, cases.IncidentResolved); err != nil {
			t.Errorf("case %s: incident not resolved by the bulk retry: %v", caseID, err)
		}
	}
}
