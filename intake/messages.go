package intake

import (
	"context"
	"errors"
	"fmt"

	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace"
	"github.com/redress-hq/redress/store"
	"github.com/redress-hq/redress/workflows"
)

// CaseFinder finds the case of an order: platforms send buyer messages by
// order, not by review.
type CaseFinder interface {
	FindCaseByOrder(ctx context.Context, m cases.Marketplace, shopID, orderID string) (cases.Case, error)
}

// DeliverBuyerMessage signals a buyer's message to its case, found by review
// when the event names one, else by order. A message on an order without a
// case, or for a case already closed, is not Redress's business: delivered
// is false and err nil. The workflow dedupes by message id, so redeliveries
// are harmless.
func DeliverBuyerMessage(ctx context.Context, c client.Client, finder CaseFinder, m cases.Marketplace, ev marketplace.WebhookEvent) (delivered bool, err error) {
	if err := recordInMessageCentre(ctx, c, finder, m, ev); err != nil { // messages_centre.go
		return false, err
	}
	var caseID string
	if ev.ReviewID != "" {
		caseID = cases.CaseIDFor(m, ev.ShopID, ev.ReviewID)
	} else {
		kase, err := finder.FindCaseByOrder(ctx, m, ev.ShopID, ev.OrderID)
		if errors.Is(err, store.ErrNotFound) {
			return false, nil
		}
		if err != nil {
			return false, fmt.Errorf("find case of order %s: %w", ev.OrderID, err)
		}
		caseID = kase.ID
	}
	reply := workflows.BuyerReply{
		MessageID: ev.MessageID, Text: ev.Text, At: ev.At, Source: "webhook",
		Actor: cases.Actor{ID: string(m), Role: cases.RoleSystem},
	}
	err = c.SignalWorkflow(ctx, cases.WorkflowIDFor(caseID), "", workflows.SignalBuyerReply, reply)
	var nf *serviceerror.NotFound
	if errors.As(err, &nf) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("signal buyer reply to %s: %w", caseID, err)
	}
	return true, nil
}
