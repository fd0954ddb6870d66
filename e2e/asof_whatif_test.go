package e2e

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/redress-hq/redress/cases"
)

// On the real stack: a case read as of a moment in its past is folded from
// its case_events up to then; the what-if SLA replay folds the same events
// under a proposed policy.
func TestCaseAsOfAndSLAWhatIf(t *testing.T) {
	review := newOrderReview(t, cases.MercadoLibre, "1001", 1, "Llegó roto, la caja estaba aplastada")
	r := do(t, http.MethodPost, "/v1/reviews", robot, review)
	mustStatus(t, r, http.StatusCreated, "review")
	id := caseIDOf(t, r)
	verify := waitTask(t, id, cases.TaskContactBuyer)
	if verify.TimeToBreach == nil {
		t.Errorf("a live task shows its time to breach: %+v", verify)
	}
	beforeClaim := time.Now().UTC()
	time.Sleep(10 * time.Millisecond)
	mustStatus(t, do(t, http.MethodPost, "/v1/tasks/"+verify.ID+"/claim", agent, map[string]any{}), http.StatusOK, "claim")
	c := waitCase(t, id, func(c map[string]any) bool { return c["assignee"] != nil })
	if c["time_to_breach"] == nil {
		t.Errorf("an open case shows its time to breach: %v", c)
	}
	opened, err := time.Parse(time.RFC3339Nano, c["opened_at"].(string))
	if err != nil {
		t.Fatal(err)
	}

	then := do(t, http.MethodGet, "/v1/cases/"+id+"?as_of="+url.QueryEscape(beforeClaim.Format(time.RFC3339Nano)), agent, nil)
	mustStatus(t, then, http.StatusOK, "as_of before the claim")
	folded, _ := then.Map()["folded"].(map[string]any)
	early, _ := then.Map()["case"].(map[string]any)
	if folded == nil || early == nil || early["assignee"] != nil || early["status"] != "open" {
		t.Fatalf("as of before the claim the case had no assignee: %s", then.Body)
	}
	if seq, _ := folded["seq"].(float64); seq < 1 || int64(seq) >= int64(c["version"].(float64)) {
		t.Errorf("as_of folded %v events, the case now has %v", folded["seq"], c["version"])
	}
	before := do(t, http.MethodGet, "/v1/cases/"+id+"?as_of="+url.QueryEscape(opened.Add(-time.Hour).Format(time.RFC3339)), agent, nil)
	mustStatus(t, before, http.StatusNotFound, "as_of before the case opened")

	day := opened.UTC().Truncate(24 * time.Hour)
	body := map[string]any{
		"from": day.Format(time.RFC3339), "to": day.Add(48 * time.Hour).Format(time.RFC3339),
		"policy": map[string]any{"rules": []any{map[string]any{"marketplace": "mercadolibre", "durations": map[string]string{"resolution": "1ms"}, "business_hours": map[string]any{"none": true}}}},
	}
	w := do(t, http.MethodPost, "/v1/sla/whatif", manager, body)
	mustStatus(t, w, http.StatusOK, "what-if")
	rep := w.Map()
	if n, _ := rep["cases"].(float64); n < 1 {
		t.Fatalf("what-if saw no case: %s", w.Body)
	}
	found := false
	for _, row := range rep["rows"].([]any) {
		row := row.(map[string]any)
		if row["kind"] == string(cases.DeadlineResolution) && row["marketplace"] == "mercadolibre" {
			found = true
			if p := row["proposed"].(map[string]any); p["breached"].(float64) < 1 {
				t.Errorf("a 1 ms resolution deadline is breached by every open case: %v", row)
			}
		}
	}
	if !found {
		t.Errorf("no resolution row for mercadolibre: %s", w.Body)
	}
	mustStatus(t, do(t, http.MethodPost, "/v1/sla/whatif", agent, body), http.StatusForbidden, "what-if is for managers")
}
