package workflows

import (
	"encoding/json"
	"fmt"

	"go.temporal.io/sdk/workflow"

	"github.com/redress-hq/redress/cases"
)

// changeGuardDoubts: texts the compliance guard is unsure about wait for a
// manager instead of being sent. Cases started before it send as before.
const changeGuardDoubts = "guard-doubts-need-a-manager"

// changeGuardRecorded: every guard verdict the workflow acts on is recorded
// in history (a side effect), so a later lexicon change cannot change how an
// in-flight case replays. Cases started before it read the guard directly.
const changeGuardRecorded = "guard-verdict-in-history"

// changeFollowUpDoubts: a follow-up text the guard is unsure about, and a
// text sent by hand (Taobao's first contact and follow-up), wait for a
// manager like the other send paths.
const changeFollowUpDoubts = "follow-up-and-by-hand-doubts-need-a-manager"

// screen is the guard's full reading of a text for this case. Workflow code
// that acts on it calls verdict; Update validators (which write no history)
// may call screen or cases.CheckText directly.
func (r *caseRun) screen(kind cases.TextKind, text string, offersRemedy bool) cases.Verdict {
	return cases.ScreenText(r.rules, kind, text, r.guardContext(offersRemedy))
}

// verdict is the guard's reading of a text for one decision of the
// workflow, taken once and recorded in history: on replay the recorded
// verdict is read back, whatever the guard's lexicons say by then.
func (r *caseRun) verdict(ctx workflow.Context, kind cases.TextKind, text string, offersRemedy bool) cases.Verdict {
	if r.version(ctx, changeGuardRecorded) == workflow.DefaultVersion {
		return r.screen(kind, text, offersRemedy)
	}
	var v cases.Verdict
	if err := workflow.SideEffect(ctx, func(workflow.Context) any {
		return r.screen(kind, text, offersRemedy)
	}).Get(&v); err != nil {
		// Only a corrupt marker gets here; refuse rather than send unread.
		return cases.Verdict{Violations: []cases.Violation{{Rule: "guard_unreadable", Message: err.Error()}}}
	}
	return v
}

// doubtsForAManager returns the guard's doubts about a text that someone
// other than a manager wrote or drafted: such a text is approved by a
// manager before it is sent. A manager's own text is that approval. It
// returns nil for a clean text, and for cases started before the rule.
func (r *caseRun) doubtsForAManager(ctx workflow.Context, kind cases.TextKind, text string, offersRemedy bool, by cases.Actor) []cases.Violation {
	if text == "" || by.Role.AtLeastManager() {
		return nil
	}
	return r.managerDoubts(ctx, r.verdict(ctx, kind, text, offersRemedy), by)
}

// managerDoubts: doubtsForAManager for a verdict already taken.
func (r *caseRun) managerDoubts(ctx workflow.Context, v cases.Verdict, by cases.Actor) []cases.Violation {
	if by.Role.AtLeastManager() || len(v.Doubts) == 0 ||
		r.version(ctx, changeGuardDoubts) == workflow.DefaultVersion {
		return nil
	}
	return v.Doubts
}

// byHandDoubts: the doubts that send a by-hand or follow-up text to a
// manager (nil for cases started before the rule).
func (r *caseRun) byHandDoubts(ctx workflow.Context, v cases.Verdict, by cases.Actor) []cases.Violation {
	doubts := r.managerDoubts(ctx, v, by)
	if len(doubts) == 0 || r.version(ctx, changeFollowUpDoubts) == workflow.DefaultVersion {
		return nil
	}
	return doubts
}

// doubtReason is shown on the manager's task.
func doubtReason(doubts []cases.Violation) string {
	return fmt.Sprintf("guard_unsure: %s: %s", doubts[0].Rule, doubts[0].Message)
}

// checkByHandText: a first contact sent by hand (Taobao) is out before the
// task is completed, so it cannot wait for an approval afterwards: an
// agent's text the guard is unsure about is refused on completion and a
// manager sends it (the console shows the guard's verdict before sending).
// A validator writes no history, so it reads the guard directly.
func (r *caseRun) checkByHandText(t *cases.Task, text string, by cases.Actor) error {
	var in ContactTaskInput
	if by.Role.AtLeastManager() || json.Unmarshal(t.Input, &in) != nil || !in.Manual {
		return nil
	}
	doubts := r.screen(cases.TextMessage, text, false).Doubts
	if len(doubts) == 0 {
		return nil
	}
	return reject(CodeGuardRejected, "a text sent by hand that the guard is unsure about is sent by a manager: "+doubtReason(doubts), doubts)
}

// checkRetryText: a corrected text in an incident retry passes the guard
// like any other (the step's check); one the guard is unsure about is only
// sent when a manager retries it, since a retry has no approval step.
func (r *caseRun) checkRetryText(inc *cases.Incident, params json.RawMessage, by cases.Actor) error {
	if by.Role.AtLeastManager() {
		return nil
	}
	var p struct {
		Request struct {
			Text string `json:"text"`
		} `json:"request"`
	}
	if json.Unmarshal(params, &p) != nil || p.Request.Text == "" {
		return nil
	}
	kind := cases.TextMessage
	if inc.Step == msgPublicReply {
		kind = cases.TextPublicReply
	}
	doubts := r.screen(kind, p.Request.Text, inc.Step == "message_"+msgRemedyOffer).Doubts
	if len(doubts) == 0 {
		return nil
	}
	return reject(CodeGuardRejected, "the corrected text needs a manager: "+doubtReason(doubts), doubts)
}
