package intake

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace"
	"github.com/redress-hq/redress/ordercare"
	"github.com/redress-hq/redress/store"
)

// messageCentre is where buyer messages are kept for the message centre
// (issue 15); *store.Store satisfies it.
type messageCentre interface {
	AddBuyerMessage(ctx context.Context, m store.BuyerMessage) (store.BuyerMessage, bool, error)
	LinkBuyerMessageToCase(ctx context.Context, id, caseID string) (store.BuyerMessage, error)
}

// recordInMessageCentre puts a buyer's message that reached Redress by
// notification into the message centre (part of the order's case when it has
// an open one) and tells the order's care, which watches for an angry buyer.
// Our own messages echoed back are not the buyer's.
func recordInMessageCentre(ctx context.Context, c client.Client, finder CaseFinder, m cases.Marketplace, ev marketplace.WebhookEvent) error {
	mc, ok := finder.(messageCentre)
	if !ok || ev.Kind == marketplace.WebhookIgnored || ev.Text == "" {
		return nil
	}
	ext := ev.MessageID
	if ext == "" {
		ext = ev.DeliveryID
	}
	if ext == "" {
		return nil
	}
	at := ev.At
	if at.IsZero() {
		at = time.Now()
	}
	msg, first, err := mc.AddBuyerMessage(ctx, ordercare.NewMessage(m, ev.ShopID, ext, ordercare.KindMessage, ev.OrderID, "", "", ev.Text, at))
	if err != nil {
		return fmt.Errorf("message centre: %w", err)
	}
	if !first || ev.OrderID == "" {
		return nil
	}
	if kase, err := finder.FindCaseByOrder(ctx, m, ev.ShopID, ev.OrderID); err == nil && kase.Status == cases.StatusOpen {
		if _, err := mc.LinkBuyerMessageToCase(ctx, msg.ID, kase.ID); err != nil {
			return fmt.Errorf("message centre: %w", err)
		}
	} else if err != nil && !errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("message centre: %w", err)
	}
	err = c.SignalWorkflow(ctx, ordercare.WorkflowID(m, ev.ShopID, ev.OrderID), "", ordercare.SignalBuyerMessage,
		ordercare.BuyerMessage{MessageID: msg.ID, Text: ev.Text, At: at})
	var nf *serviceerror.NotFound
	if err != nil && !errors.As(err, &nf) {
		return fmt.Errorf("signal order care: %w", err)
	}
	return nil
}
