package workflows

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"

	"github.com/redress-hq/redress/activities"
	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/store"
)

// priorContact mocks the store read: found is the order's qualifying
// pre-emptive contact, or nil for none. It returns the inputs it saw.
func (h *harness) priorContact(found *store.PriorContact) *[]activities.PriorContactInput {
	var seen []activities.PriorContactInput
	h.env.OnActivity(acts.FindPriorContact, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in activities.PriorContactInput) (activities.PriorContactResult, error) {
			h.mu.Lock()
			defer h.mu.Unlock()
			seen = append(seen, in)
			if found == nil {
				return activities.PriorContactResult{}, nil
			}
			return activities.PriorContactResult{Found: true, Contact: found}, nil
		})
	return &seen
}

var preemptiveAnswer = store.PriorContact{
	Kind: "message_answer", MessageID: "bm-9", Text: "So sorry the parcel is stuck, we have asked the carrier and will reship if it does not move by Friday.",
	Ref: "ebay-msg-41", Via: "platform", By: "ana", At: testStart.Add(-5 * time.Hour),
}

func firstContactSends(h *harness) int {
	n := 0
	for _, m := range h.messages {
		if strings.Contains(m.Request.IdempotencyKey, ":message_first_contact:") {
			n++
		}
	}
	return n
}

// An agent answered the buyer's complaint on the order five hours before the
// review: that is the case's first contact. No templated message goes out,
// the first-contact deadline is met at intake, the audit names the prior
// message, and the case goes on waiting for the buyer's reply.
func TestPriorContactCountsAsFirstContact(t *testing.T) {
	h := newHarness(t, cases.EBay, issueTexts[cases.IssueLogisticsDelay], 2)
	h.review.Revised, h.review.Rating = true, 4
	seen := h.priorContact(&preemptiveAnswer)
	opt := h.firstOption(cases.IssueLogisticsDelay, cases.RespCourier)
	h.verifyAs(10*time.Minute, cases.RespCourier)
	h.buyerReplies(20*time.Minute, "m-1")
	h.complete(30*time.Minute, cases.TaskChooseRemedy, 1, agent, CompleteTaskRequest{Remedy: &RemedyChoice{Type: opt.Type}})

	res := h.run()
	require.Equal(t, cases.OutcomeRevised, res.Outcome)
	require.False(t, res.Breached)

	// Read once, at intake, over the first-contact window before the review.
	require.Len(t, *seen, 1)
	in := (*seen)[0]
	require.Equal(t, "ord-1", in.OrderID)
	require.Equal(t, "shop-1", in.ShopID)
	require.True(t, in.From.Equal(testStart.Add(-cases.SLAFor(cases.EBay, cases.IssueLogisticsDelay, time.UTC).FirstContact)), in.From)
	require.True(t, in.To.Equal(testStart), in.To)

	require.Zero(t, firstContactSends(h), "no templated first message")
	require.NotEmpty(t, h.messages, "the offer and follow-up still go out")
	for _, task := range h.tasks() {
		require.NotEqual(t, cases.TaskContactBuyer, task.Kind, "no contact_buyer task")
	}

	dl := h.deadlines()[cases.DeadlineFirstContact]
	require.Equal(t, cases.DeadlineMet, dl.Status)
	require.NotNil(t, dl.MetAt)
	require.True(t, dl.MetAt.Equal(testStart), "met at intake: %v", dl.MetAt)

	c := h.lastCase()
	require.NotNil(t, c.FirstContactAt)
	require.True(t, c.FirstContactAt.Equal(testStart))

	sent := h.events(cases.EventMessageSent)
	require.NotEmpty(t, sent)
	first := sent[0]
	require.Equal(t, "ana", first.Actor)
	var data struct {
		Kind   string `json:"kind"`
		Text   string `json:"text"`
		Ref    string `json:"ref"`
		Manual bool   `json:"manual"`
		Prior  struct {
			Kind      string    `json:"kind"`
			MessageID string    `json:"message_id"`
			At        time.Time `json:"at"`
			By        string    `json:"by"`
			Ref       string    `json:"ref"`
		} `json:"prior_contact"`
	}
	require.NoError(t, json.Unmarshal(first.Data, &data))
	require.Equal(t, msgFirstContact, data.Kind)
	require.Equal(t, preemptiveAnswer.Text, data.Text)
	require.Equal(t, "ebay-msg-41", data.Ref)
	require.True(t, data.Manual)
	require.Equal(t, "bm-9", data.Prior.MessageID)
	require.Equal(t, "ana", data.Prior.By)
	require.True(t, data.Prior.At.Equal(preemptiveAnswer.At))
	require.Equal(t, cases.StageClosed, c.Stage)
}

// A prior contact is a first contact like any other: without a reply by
// NoReplyAfter the case takes the public path (Mercado Libre posts it
// without a person).
func TestPriorContactThenNoReplyGoesPublic(t *testing.T) {
	h := newHarness(t, cases.MercadoLibre, issueTexts[cases.IssueLogisticsDelay], 1)
	h.priorContact(&preemptiveAnswer)
	h.verifyAs(10*time.Minute, cases.RespCourier)
	res := h.run()
	require.Equal(t, cases.OutcomeBuyerUnreachable, res.Outcome)
	require.Zero(t, firstContactSends(h))
	require.Len(t, h.replies, 1)
	require.Equal(t, cases.DeadlineMet, h.deadlines()[cases.DeadlineFirstContact].Status)
}

// No qualifying prior contact: the templated first message goes out as before.
func TestNoPriorContactSendsTemplate(t *testing.T) {
	h := newHarness(t, cases.EBay, issueTexts[cases.IssueLogisticsDelay], 2)
	h.review.Revised, h.review.Rating = true, 4
	seen := h.priorContact(nil)
	opt := h.firstOption(cases.IssueLogisticsDelay, cases.RespCourier)
	h.verifyAs(10*time.Minute, cases.RespCourier)
	h.buyerReplies(20*time.Minute, "m-1")
	h.complete(30*time.Minute, cases.TaskChooseRemedy, 1, agent, CompleteTaskRequest{Remedy: &RemedyChoice{Type: opt.Type}})

	res := h.run()
	require.Equal(t, cases.OutcomeRevised, res.Outcome)
	require.Len(t, *seen, 1)
	require.Equal(t, 1, firstContactSends(h))
	require.Equal(t, h.in.CaseID+":message_first_contact:1", h.messages[0].Request.IdempotencyKey)
	require.Equal(t, cases.DeadlineMet, h.deadlines()[cases.DeadlineFirstContact].Status)
	sent := h.events(cases.EventMessageSent)
	require.NotEmpty(t, sent)
	require.NotContains(t, string(sent[0].Data), "prior_contact")
}
