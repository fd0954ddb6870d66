package market

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/internal/testenv"
	"github.com/redress-hq/redress/simulator"
	"github.com/redress-hq/redress/workflows"
)

// driveAll drives the cases (case id → the remedy to choose) to their
// outcomes at the same time, as a team would, and returns them closed; a
// case that does not close fails the test.
func driveAll(t *testing.T, remedies map[string]cases.RemedyType) map[string]testenv.CaseView {
	t.Helper()
	var (
		mu     sync.Mutex
		wg     sync.WaitGroup
		closed = map[string]testenv.CaseView{}
	)
	for id, remedy := range remedies {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, err := driveToOutcome(t.Context(), id, remedy)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				t.Errorf("case %s: %v", id, err)
				return
			}
			closed[id] = v
		}()
	}
	wg.Wait()
	return closed
}

// driveToOutcome plays every role a case needs until it closes, only through
// the API: the buyer answers (entered by an automation), an agent completes
// contact, verification and the remedy choice (the given one where offered)
// and confirms the manual steps (where the platform has no API) with a
// reference, a manager approves, an automation retries any incident as it
// is, and a manager settles an ambiguous write after looking on the platform.
func driveToOutcome(ctx context.Context, caseID string, remedy cases.RemedyType) (testenv.CaseView, error) {
	deadline := time.Now().Add(testenv.WaitTimeout)
	replied := false
	var v testenv.CaseView
	for time.Now().Before(deadline) {
		var err error
		if v, err = stack.Case(ctx, agent, caseID); err != nil {
			return v, err
		}
		if v.Case.Status == cases.StatusClosed {
			return v, nil
		}
		if v.State != nil {
			for _, inc := range v.OpenIncidents() {
				if err := decideIncident(ctx, v, inc); err != nil {
					return v, err
				}
			}
			for _, task := range v.State.Tasks {
				if task.Status == cases.TaskOpen || task.Status == cases.TaskClaimed {
					if err := completeAsScripted(ctx, caseID, task, remedy); err != nil {
						return v, err
					}
				}
			}
			if !replied && v.State.Stage == cases.StageAwaitingReply && len(v.State.BuyerReplies) == 0 {
				if err := buyerAnswers(ctx, v, "scripted-"+caseID, "Yes please, I want a solution", http.StatusConflict); err != nil {
					return v, err
				}
				replied = true
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	return v, fmt.Errorf("not closed within %s: %s", testenv.WaitTimeout, summary(v))
}

// decideIncident: an automation retries a failed call as it is; an
// ambiguous write (it may have happened) is a manager's, who looks on the
// platform — here, the simulator's ledger — and skips it when it is there,
// else retries it saying so. 409/404: the incident was decided meanwhile.
func decideIncident(ctx context.Context, v testenv.CaseView, inc cases.Incident) error {
	path := "/v1/incidents/" + inc.ID
	if inc.ErrorClass != cases.ErrAmbiguous {
		return post(ctx, path+"/retry", robot, map[string]any{"reason": "scripted retry"}, http.StatusConflict, http.StatusNotFound)
	}
	if ref, ok := seenOnPlatform(v.Case, inc); ok {
		return post(ctx, path+"/skip", manager, map[string]any{"reason": "it is on the platform: " + ref},
			http.StatusConflict, http.StatusNotFound)
	}
	return post(ctx, path+"/retry", manager, map[string]any{"reason": "not on the platform", "checked_not_applied": true},
		http.StatusConflict, http.StatusNotFound)
}

// seenOnPlatform is what a person finds in the seller centre after an
// ambiguous write: the side effect of the incident's call on the case's
// order, if any (a message: the one with the incident's text).
func seenOnPlatform(c cases.Case, inc cases.Incident) (string, bool) {
	kind, ok := map[string]simulator.LedgerKind{
		"issue_coupon": simulator.LedgerCoupon, "send_buyer_message": simulator.LedgerMessage,
		"post_public_reply": simulator.LedgerReply, "issue_refund": simulator.LedgerRefund,
		"create_reship": simulator.LedgerReship, "submit_appeal": simulator.LedgerAppeal,
	}[inc.Call]
	if !ok {
		return "", false
	}
	for _, e := range ledgerOf(c.Marketplace, c.OrderID, kind) {
		if kind != simulator.LedgerMessage || strings.Contains(string(inc.Params), jsonText(e.Payload)) {
			return e.ID, true
		}
	}
	return "", false
}

// jsonText is s as it appears inside a JSON string.
func jsonText(s string) string {
	b, _ := json.Marshal(s)
	return string(b[1 : len(b)-1])
}

// scriptedRefs are the references the scripted agent confirmed manual steps
// with, per case: the audit must name them.
var scriptedRefs sync.Map // case id → *refSet

type refSet struct {
	mu   sync.Mutex
	refs map[string]bool
}

func (s *refSet) add(ref string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refs[ref] = true
}

func (s *refSet) has(ref string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.refs[ref]
}

// refsOf are the references the script gave for the case's manual steps.
func refsOf(caseID string) *refSet {
	v, _ := scriptedRefs.LoadOrStore(caseID, &refSet{refs: map[string]bool{}})
	return v.(*refSet)
}

// completeAsScripted completes one task the way the script's people would.
// A 409 means the task moved on meanwhile (the next round sees its successor).
func completeAsScripted(ctx context.Context, caseID string, task cases.Task, remedy cases.RemedyType) error {
	token, result := agent, map[string]any{}
	switch task.Kind {
	case cases.TaskManualStep:
		// The agent did the step in the seller console and confirms it with
		// the platform's proof.
		var in workflows.ManualStepInput
		if err := json.Unmarshal(task.Input, &in); err != nil || in.Console == "" || in.Step == "" {
			return fmt.Errorf("manual_step task %s does not say where to do what: %s", task.ID, task.Input)
		}
		ref := "SCRIPT-" + task.ID
		refsOf(caseID).add(ref)
		result["manual_step"] = map[string]any{"reference": ref, "note": "done in the seller console by the script"}
	case cases.TaskContactBuyer:
		var in workflows.ContactTaskInput
		if err := json.Unmarshal(task.Input, &in); err != nil || in.Draft == "" {
			return fmt.Errorf("contact task %s has no draft: %s", task.ID, task.Input)
		}
		result["contact"] = map[string]any{"message": in.Draft}
	case cases.TaskVerify:
		result["verify"] = map[string]any{"responsibility": "merchant", "findings": "QC log shows a faulty batch",
			"evidence_checked": []string{"order", "tracking"}}
	case cases.TaskChooseRemedy:
		choice, err := offeredRemedy(task, remedy)
		if err != nil {
			return err
		}
		result["remedy"] = map[string]any{"type": choice}
	case cases.TaskApproveRemedy, cases.TaskApproveReply:
		token, result["approval"] = manager, map[string]any{"approved": true, "reason": "scripted approval"}
	default:
		return fmt.Errorf("the script has no answer for task %s (%s)", task.ID, task.Kind)
	}
	return post(ctx, "/v1/tasks/"+task.ID+"/complete", token, result, http.StatusConflict)
}

// post sends a request that must answer 200 or one of the tolerated statuses.
func post(ctx context.Context, path, token string, body any, tolerated ...int) error {
	r, err := stack.Do(ctx, http.MethodPost, path, token, body)
	if err != nil {
		return err
	}
	if r.Status != http.StatusOK && !slices.Contains(tolerated, r.Status) {
		return fmt.Errorf("POST %s: %d %s", path, r.Status, r.Body)
	}
	return nil
}

// offeredRemedy is the wanted remedy where the task offers it, otherwise
// the first option.
func offeredRemedy(task cases.Task, want cases.RemedyType) (cases.RemedyType, error) {
	var in workflows.ChooseRemedyInput
	if err := json.Unmarshal(task.Input, &in); err != nil || len(in.Options) == 0 {
		return "", fmt.Errorf("choose_remedy task %s without options: %s", task.ID, task.Input)
	}
	for _, o := range in.Options {
		if o.Type == want {
			return o.Type, nil
		}
	}
	return in.Options[0].Type, nil
}

// buyerAnswers enters the buyer's answer. On Mercado Libre the buyer writes
// in the pack (its notification reaches the case): the platform lets a seller
// send more than the one reason message only after the buyer has written.
// Elsewhere an automation enters it through the API.
func buyerAnswers(ctx context.Context, v testenv.CaseView, messageID, text string, also ...int) error {
	if v.Case.Marketplace == cases.MercadoLibre {
		_, err := stack.Simulator.AddBuyerMessage(cases.MercadoLibre, v.Case.OrderID, text)
		return err
	}
	return post(ctx, "/v1/cases/"+v.Case.ID+"/buyer-replies", robot, map[string]any{"message_id": messageID, "text": text}, also...)
}

// reachRemedyChoice takes an open case past contact, the buyer's answer and
// verification, and returns its choose_remedy task.
func reachRemedyChoice(t *testing.T, caseID string) cases.Task {
	t.Helper()
	v := waitStage(t, caseID, cases.StageAwaitingReply)
	if err := buyerAnswers(t.Context(), v, "reply-"+caseID, "Yes, I want a solution"); err != nil {
		t.Fatalf("buyer reply: %v", err)
	}
	verify := waitTask(t, caseID, cases.TaskVerify)
	mustStatus(t, complete(t, verify, agent, map[string]any{"verify": map[string]any{
		"responsibility": "merchant", "findings": "QC log shows a faulty batch", "evidence_checked": []string{"order"},
	}}), http.StatusOK, "verify")
	return waitTask(t, caseID, cases.TaskChooseRemedy)
}

// chooseApprovedRefund chooses a full refund and has a manager approve it.
func chooseApprovedRefund(t *testing.T, caseID string, choose cases.Task) {
	t.Helper()
	mustStatus(t, complete(t, choose, agent, map[string]any{"remedy": map[string]any{"type": "refund_no_return"}}),
		http.StatusOK, "choose refund")
	approve := waitTask(t, caseID, cases.TaskApproveRemedy)
	mustStatus(t, complete(t, approve, manager, map[string]any{"approval": map[string]any{"approved": true, "reason": fmt.Sprintf("case %s", caseID)}}),
		http.StatusOK, "approve refund")
}
