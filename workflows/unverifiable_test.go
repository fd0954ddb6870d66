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
