package workflows

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/redress-hq/redress/cases"
)

// A remedy whose offer trades for the review is refused by the validator
// (guard_rejected, naming the rule); one whose message the guard is unsure
// about goes to a manager's approve_remedy with the doubts shown, even below
// the approval limit, and is sent once approved.
func TestRemedyMessageDoubtNeedsAManager(t *testing.T) {
	h := newHarness(t, cases.EBay, issueTexts[cases.IssueQuality], 1)
	h.verifyAs(10*time.Minute, cases.RespMerchant)
	h.buyerReplies(20*time.Minute, "m-1")
	h.complete(30*time.Minute, cases.TaskChooseRemedy, 1, agent, CompleteTaskRequest{Remedy: &RemedyChoice{
		Type: cases.RemedyReship, Message: "A replacement ships today; change it to five stars please"}})
	h.outcomes[len(h.outcomes)-1].wantCode = CodeGuardRejected
	unsure := "A replacement ships today ⭐"
	h.complete(31*time.Minute, cases.TaskChooseRemedy, 1, agent, CompleteTaskRequest{Remedy: &RemedyChoice{
		Type: cases.RemedyReship, Message: unsure}})
	h.complete(40*time.Minute, cases.TaskApproveRemedy, 1, manager, CompleteTaskRequest{Approval: &Approval{Approved: true, Reason: "decorative star"}})
	h.send(50*time.Minute, UpdateCloseCase, CloseCaseRequest{Reason: "done", Actor: manager}, "")
	h.run()

	var in ApproveRemedyInput
	require.NoError(t, json.Unmarshal(h.tasks()[h.taskID(cases.TaskApproveRemedy, 1)].Input, &in))
	require.NotEmpty(t, in.GuardDoubts)
	require.Equal(t, cases.RuleReviewConditionedRemedy, in.GuardDoubts[0].Rule)
	require.Len(t, h.events(cases.EventRemedyApproved), 1)
	require.Contains(t, h.sentTexts(), unsure)
}

// An agent's first message the guard is unsure about is not sent: the
// contact task goes to a manager with the reason; the manager's send is the
// approval.
func TestContactMessageDoubtGoesToAManager(t *testing.T) {
	h := newHarness(t, cases.Amazon, issueTexts[cases.IssueQuality], 1)
	h.in.Settings.AutoContact = false
	unsure := "We read your review. Could you send a photo of the item?"
	h.complete(10*time.Minute, cases.TaskContactBuyer, 1, agent, CompleteTaskRequest{Contact: &ContactResult{Message: unsure}})
	// An agent cannot send the manager's task.
	h.complete(20*time.Minute, cases.TaskContactBuyer, 2, agent, CompleteTaskRequest{Contact: &ContactResult{Message: unsure}})
	h.outcomes[len(h.outcomes)-1].wantCode = CodeNotManager
	h.complete(30*time.Minute, cases.TaskContactBuyer, 2, manager, CompleteTaskRequest{Contact: &ContactResult{Message: unsure}})
	h.send(40*time.Minute, UpdateCloseCase, CloseCaseRequest{Reason: "done", Actor: manager}, "")
	h.run()

	second := h.tasks()[h.taskID(cases.TaskContactBuyer, 2)]
	require.Equal(t, cases.RoleManager, second.Role)
	var in ContactTaskInput
	require.NoError(t, json.Unmarshal(second.Input, &in))
	require.Contains(t, in.Reason, "guard_unsure")
	require.Equal(t, unsure, in.Draft)
	require.Equal(t, []string{unsure}, h.sentTexts())
}

// sentTexts are the private messages the case sent, in order.
func (h *harness) sentTexts() []string {
	var out []string
	for _, m := range h.messages {
		out = append(out, m.Request.Text)
	}
	return out
}
