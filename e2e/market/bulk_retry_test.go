package market

import (
	"net/http"
	"slices"
	"testing"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/simulator"
)

// Several cases each hold an incident for the same failed call; one bulk
// retry with a filter retries them all, reports what it matched and
// retried, and every case continues to its outcome. Mercado Libre is this
// test's own: no other parallel test leaves incidents there.
func TestBulkRetryIncidents(t *testing.T) {
	t.Parallel()
	const n = 3
	var reviews []simReview
	var incidents []string
	for range n {
		r := addReview(t, cases.MercadoLibre, 1, qualityComplaints[cases.MercadoLibre])
		choose := reachRemedyChoice(t, r.CaseID())
		setMessaging(t, r, "mediation")
		chooseApprovedRefund(t, r.CaseID(), choose)
		reviews = append(reviews, r)
	}
	for _, r := range reviews {
		incidents = append(incidents, waitIncident(t, r.CaseID()).ID)
		setMessaging(t, r, "")
	}

	resp := do(t, http.MethodPost, "/v1/incidents/retry", robot, map[string]any{
		"marketplace": "mercadolibre", "call": "send_buyer_message", "error_class": "permanent", "reason": "mediation over",
	})
	mustStatus(t, resp, http.StatusOK, "bulk retry")
	var out struct {
		Matched, Retried, Failed int
		Results                  []struct {
			ID    string `json:"id"`
			OK    bool   `json:"ok"`
			Error string `json:"error"`
		}
	}
	if err := resp.JSON(&out); err != nil {
		t.Fatal(err)
	}
	if out.Matched != n || out.Retried != n || out.Failed != 0 || len(out.Results) != n {
		t.Fatalf("bulk retry answer: %s", resp.Body)
	}
	for _, res := range out.Results {
		if !res.OK || !slices.Contains(incidents, res.ID) {
			t.Errorf("bulk result %+v, want one of %v retried", res, incidents)
		}
	}

	var ids []string
	for _, r := range reviews {
		ids = append(ids, r.CaseID())
	}
	waitAllClosed(t, ids)
	for _, r := range reviews {
		if got := len(ledgerOf(r.Platform, r.OrderID, simulator.LedgerRefund)); got != 1 {
			t.Errorf("refunds on order %s: %d, want 1", r.OrderID, got)
		}
	}
	again := do(t, http.MethodPost, "/v1/incidents/retry", robot, map[string]any{"marketplace": "mercadolibre", "call": "send_buyer_message"})
	mustStatus(t, again, http.StatusOK, "second bulk retry")
	if m := again.Map(); m["matched"] != 0.0 {
		t.Errorf("second bulk retry matched open incidents: %s", again.Body)
	}
	noDuplicates(t)
}
