package workflows

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/redress-hq/redress/cases"
)

// Mercado Libre closes the conversation once a refund is made: the follow-up
// is skipped with a recorded reason, never forced and never an incident, and
// the review is still checked for the outcome.
func TestFollowUpSkippedWhenConversationClosed(t *testing.T) {
	h := newHarness(t, cases.MercadoLibre, issueTexts[cases.IssueQuality], 1)
	h.review.Revised, h.review.Rating = true, 4
	h.verifyAs(10*time.Minute, cases.RespMerchant)
	h.buyerReplies(20*time.Minute, "m-1")
	h.complete(30*time.Minute, cases.TaskChooseRemedy, 1, agent, CompleteTaskRequest{Remedy: &RemedyChoice{Type: cases.RemedyRefundNoReturn}})
	h.at(45*time.Minute, func() {
		h.mu.Lock()
		defer h.mu.Unlock()
		h.eligible = false // the platform blocked the conversation after the refund
	})

	res := h.run()
	require.Equal(t, cases.OutcomeRevised, res.Outcome)
	require.Len(t, h.refunds, 1)
	for _, m := range h.messages {
		require.False(t, strings.Contains(m.Request.IdempotencyKey, "follow_up"), "follow-up sent into a closed conversation")
	}
	require.Empty(t, h.events(cases.EventFollowUpSent))
	require.Empty(t, h.incidents())
	blocked := h.events(cases.EventMessageBlocked)
	require.Len(t, blocked, 1)
	require.Contains(t, string(blocked[0].Data), "conversation_closed")
	require.Len(t, h.events(cases.EventReviewChecked), 1)
}
