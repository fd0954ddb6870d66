package workflows

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/redress-hq/redress/cases"
)

// Amazon lists no sent messages, so a send whose attempt timed out (the
// worker may have died after the platform applied it) is not retried by the
// retry policy: it becomes an ambiguous_write incident a person checks.
func TestUnverifiableMessageTimeoutIsAnIncident(t *testing.T) {
	h := newHarness(t, cases.Amazon, issueTexts[cases.IssueQuality], 1)
	h.messageTimeouts = 1
	incID := h.in.CaseID + "-message_first_contact"
	h.send(time.Hour, UpdateResolveIncident, ResolveIncidentRequest{IncidentID: incID, Action: IncidentSkip,
		Reason: "seller central shows the message was delivered", Actor: manager}, "")
	h.send(2*time.Hour, UpdateCloseCase, CloseCaseRequest{Reason: "done checking", Actor: manager}, "")

	h.run()
	inc := h.incidents()[incID]
	require.Equal(t, cases.ErrAmbiguous, inc.ErrorClass, "a timed-out unverifiable write is ambiguous")
	require.Equal(t, cases.IncidentSkipped, inc.Status)
	require.Equal(t, 1, h.messageAttempts, "the send must not be retried automatically")
}

// An ambiguous write may have happened: an automation cannot retry it, and a
// person retries it only saying they looked on the platform and it is not
// there; then the message is sent once more.
func TestAmbiguousWriteRetryNeedsAPersonWhoChecked(t *testing.T) {
	h := newHarness(t, cases.Amazon, issueTexts[cases.IssueQuality], 1)
	h.messageTimeouts = 1
	incID := h.in.CaseID + "-message_first_contact"
	robot := cases.Actor{ID: "bot-retrier", Role: cases.RoleAutomation}
	h.send(30*time.Minute, UpdateResolveIncident, ResolveIncidentRequest{IncidentID: incID, Action: IncidentRetry,
		Reason: "bulk retry", Actor: robot, CheckedNotApplied: true}, CodeUncheckedWrite)
	h.send(40*time.Minute, UpdateResolveIncident, ResolveIncidentRequest{IncidentID: incID, Action: IncidentRetry,
		Reason: "try again", Actor: manager}, CodeUncheckedWrite)
	h.send(time.Hour, UpdateResolveIncident, ResolveIncidentRequest{IncidentID: incID, Action: IncidentRetry,
		Reason: "seller central shows no such message", Actor: manager, CheckedNotApplied: true}, "")
	h.send(2*time.Hour, UpdateCloseCase, CloseCaseRequest{Reason: "done checking", Actor: manager}, "")

	h.run()
	require.Equal(t, 2, h.messageAttempts, "sent again only after the manager checked")
}
