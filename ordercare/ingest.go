package ordercare

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace"
	"github.com/redress-hq/redress/store"
)

// MessageID is a message's id in the centre: stable per platform message.
func MessageID(m cases.Marketplace, shopID, externalID string) string {
	sum := sha256.Sum256([]byte(string(m) + "\x00" + shopID + "\x00" + externalID))
	return "bm-" + hex.EncodeToString(sum[:8])
}

// NewMessage builds a message-centre entry: the buyer's mood (the
// classifier's issues and a sentiment cue), the reply deadline, and the
// group similar questions share.
func NewMessage(m cases.Marketplace, shopID, externalID, kind, orderID, itemID, buyerID, text string, received time.Time) store.BuyerMessage {
	mood := ReadMood(text)
	cues, _ := json.Marshal(append([]string{}, mood.Cues...))
	return store.BuyerMessage{ID: MessageID(m, shopID, externalID), Marketplace: m, ShopID: shopID, ExternalID: externalID,
		Kind: kind, OrderID: orderID, ItemID: itemID, BuyerID: buyerID, Text: text, Language: mood.Language,
		Complaint: mood.Complaint, Cues: cues, GroupKey: GroupKey(text), ReceivedAt: received.UTC(),
		DueAt: ReplyDeadline(m, mood.Complaint, received.UTC())}
}

// QuestionsWorkflowName ingests a shop's open listing questions into the
// message centre (a questions notification, or a poll).
const QuestionsWorkflowName = "IngestQuestionsWorkflow"

// QuestionsInput names the shop.
type QuestionsInput struct {
	Marketplace cases.Marketplace `json:"marketplace"`
	ShopID      string            `json:"shop_id"`
}

// IngestQuestionsWorkflow runs the one activity that reads the questions:
// the webhook answers the platform at once and the read happens here, retried.
func IngestQuestionsWorkflow(ctx workflow.Context, in QuestionsInput) (int, error) {
	ctx = workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 30 * time.Second,
		RetryPolicy: &temporal.RetryPolicy{InitialInterval: 2 * time.Second, BackoffCoefficient: 2, MaximumInterval: time.Minute,
			MaximumAttempts: 10, NonRetryableErrorTypes: []string{"permanent"}},
	})
	var n int
	err := workflow.ExecuteActivity(ctx, "IngestQuestions", in).Get(ctx, &n)
	return n, err
}

// MessageStore is where ingested messages go; *store.Store satisfies it.
type MessageStore interface {
	AddBuyerMessage(ctx context.Context, m store.BuyerMessage) (store.BuyerMessage, bool, error)
}

// IngestQuestions lists the shop's unanswered questions and adds the new
// ones to the message centre (a question already there is left alone).
func (a *Activities) IngestQuestions(ctx context.Context, in QuestionsInput) (int, error) {
	conn, err := a.Markets.Get(in.Marketplace)
	if err != nil {
		return 0, temporal.NewNonRetryableApplicationError(err.Error(), "permanent", err)
	}
	lister, ok := conn.(marketplace.QuestionLister)
	if !ok {
		return 0, nil
	}
	ms, ok := a.Store.(MessageStore)
	if !ok {
		return 0, temporal.NewNonRetryableApplicationError("the store keeps no messages", "permanent", nil)
	}
	qs, err := lister.UnansweredQuestions(ctx, in.ShopID)
	if err != nil {
		return 0, classify(err)
	}
	added := 0
	for _, q := range qs {
		at := q.CreatedAt
		if at.IsZero() {
			at = time.Now()
		}
		_, first, err := ms.AddBuyerMessage(ctx, NewMessage(in.Marketplace, in.ShopID, q.ID, KindQuestion, "", q.ItemID, q.BuyerID, q.Text, at))
		if err != nil {
			return added, err
		}
		if first {
			added++
		}
	}
	return added, nil
}
