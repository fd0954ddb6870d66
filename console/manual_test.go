package console_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/internal/testenv"
)

// TestManualSteps: where a platform has no API for a step (Taobao sends no
// chat messages and books no reships through TOP), the console shows where
// to do it in the seller console and records the platform's reference.
func TestManualSteps(t *testing.T) {
	caseID := openCase(t, cases.Taobao, "demo-shop", "质量太差了，用了两天就坏了")
	ag := signIn(t, agent)

	contact := waitTask(t, caseID, cases.TaskContactBuyer)
	p := ag.get("/ui/tasks/" + contact.ID)
	if p.Status != http.StatusOK || !strings.Contains(p.Body, `class="console-path"`) || !strings.Contains(p.Body, `name="reference"`) {
		t.Fatalf("manual contact page: %d %.400s", p.Status, p.Body)
	}
	var in struct{ Draft string }
	if err := jsonDecode(contact.Input, &in); err != nil {
		t.Fatal(err)
	}
	done := ag.post("/ui/tasks/"+contact.ID+"/complete", url.Values{"message": {in.Draft}, "reference": {"chat-2026-11-30 10:02"}})
	if done.Status != http.StatusSeeOther || !strings.Contains(done.Location, "/ui/cases/"+caseID) {
		t.Fatalf("complete manual contact: %d → %q %.400s", done.Status, done.Location, done.Body)
	}

	buyerAnswers(t, caseID)
	verify := waitTask(t, caseID, cases.TaskVerify)
	if p := ag.post("/ui/tasks/"+verify.ID+"/complete", url.Values{"responsibility": {"merchant"}, "findings": {"faulty batch"}}); p.Status != http.StatusSeeOther {
		t.Fatalf("verify: %d %.400s", p.Status, p.Body)
	}
	choose := waitTask(t, caseID, cases.TaskChooseRemedy)
	if p := ag.post("/ui/tasks/"+choose.ID+"/complete", url.Values{"type": {"reship"}}); p.Status != http.StatusSeeOther {
		t.Fatalf("choose reship: %d %.400s", p.Status, p.Body)
	}
	approve := waitTask(t, caseID, cases.TaskApproveRemedy)
	if p := signIn(t, manager).post("/ui/tasks/"+approve.ID+"/complete", url.Values{"decision": {"approve"}}); p.Status != http.StatusSeeOther {
		t.Fatalf("approve: %d %.400s", p.Status, p.Body)
	}

	step := waitTask(t, caseID, cases.TaskManualStep)
	p = ag.get("/ui/tasks/" + step.ID)
	if p.Status != http.StatusOK || !strings.Contains(p.Body, `class="console-path"`) || !strings.Contains(p.Body, "Manual step") {
		t.Fatalf("manual step page: %d %.600s", p.Status, p.Body)
	}
	// A reference is what proves the step; without one the case refuses, inline.
	if p := ag.post("/ui/tasks/"+step.ID+"/complete", url.Values{"reference": {""}}); p.Status < 400 || !strings.Contains(p.Body, `class="refusal"`) {
		t.Errorf("manual step without a reference: %d %.300s", p.Status, p.Body)
	}
	if p := ag.post("/ui/tasks/"+step.ID+"/complete", url.Values{"reference": {"SF1234567890"}}); p.Status != http.StatusSeeOther {
		t.Fatalf("manual step: %d %.400s", p.Status, p.Body)
	}
	// The completion reaches the index at the case's next wait (events are
	// shipped where someone waits, not after every step).
	found := false
	err := testenv.Eventually(context.Background(), 30*time.Second, func() (bool, error) {
		events, err := stack.Events(context.Background(), manager, caseID)
		if err != nil {
			return false, err
		}
		for _, e := range events {
			found = found || (e.Type == cases.EventTaskCompleted && strings.Contains(string(e.Data), "SF1234567890"))
		}
		return found, nil
	})
	if err != nil || !found {
		t.Errorf("the audit trail does not record the manual step's reference: %v", err)
	}
}
