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

// screen is the guard's full reading of a text for this case.
func (r *caseRun) screen(kind cases.TextKind, text string, offersRemedy bool) cases.Verdict {
	return cases.ScreenText(r.rules, kind, text, r.guardContext(offersRemedy))
}

// doubtsForAManager returns the guard's doubts about a text that someone
// other than a manager wrote or drafted: such a text is approved by a
// manager before it is sent. A manager's own text is that approval. It
// returns nil for a clean text, and for cases started before the rule.
func (r *caseRun) doubtsForAManager(ctx workflow.Context, kind cases.TextKind, text string, offersRemedy bool, by cases.Actor) []cases.Violation {
	if text == "" || by.Role.AtLeastManager() {
		return nil
	}
	doubts := r.screen(kind, text, offersRemedy).Doubts
	if len(doubts) == 0 || workflow.GetVersion(ctx, changeGuardDoubts, workflow.DefaultVersion, 1) == workflow.DefaultVersion {
		return nil
	}
	return doubts
}

// doubtReason is shown on the manager's task.
func doubtReason(doubts []cases.Violation) string {
	return fmt.Sprintf("guard_unsure: %s: %s", doubts[0].Rule, doubts[0].Message)
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
