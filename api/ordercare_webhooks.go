package api

import (
	"context"
	"errors"
	"strings"

	"go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace"
	"github.com/redress-hq/redress/ordercare"
	"github.com/redress-hq/redress/store"
)

// orderCareNotification hands an order, shipment or question notification to
// order care without calling the platform (the webhook is answered at once):
// an order notification starts or refreshes the order's care (shops that
// enabled it), a shipment one refreshes the order it belongs to, a question
// one starts a short workflow that reads the shop's open questions into the
// message centre.
func (s *Server) orderCareNotification(ctx context.Context, m cases.Marketplace, ev marketplace.WebhookEvent) error {
	st, err := s.ocStore()
	if err != nil {
		return err
	}
	tctx, cancel := s.temporalContext(ctx)
	defer cancel()
	switch ev.Kind {
	case marketplace.WebhookOrder:
		if ev.OrderID == "" {
			return nil
		}
		shop, err := st.GetOrderCareShop(ctx, m, ev.ShopID)
		if errors.Is(err, store.ErrNotFound) || (err == nil && !shop.Enabled) {
			return nil // order care is per shop
		} else if err != nil {
			return err
		}
		_, err = ordercare.Signal(tctx, s.temporal, shop, ordercare.Order{OrderID: ev.OrderID}, ordercare.OrderEvent{Refresh: true, Source: "notification"})
		return err
	case marketplace.WebhookShipment:
		shipment := ev.Resource[strings.LastIndex(ev.Resource, "/")+1:]
		if shipment == "" {
			return nil
		}
		o, err := st.FindCareOrderByShipment(ctx, m, ev.ShopID, shipment)
		if errors.Is(err, store.ErrNotFound) {
			return nil // not an order under care (yet: its orders_v2 notification starts it)
		} else if err != nil {
			return err
		}
		err = s.temporal.SignalWorkflow(tctx, o.WorkflowID, "", ordercare.SignalOrderEvent, ordercare.OrderEvent{Refresh: true, Source: "notification"})
		var nf *serviceerror.NotFound
		if errors.As(err, &nf) {
			return nil // its care has ended
		}
		return err
	case marketplace.WebhookQuestion:
		id := "questions-" + string(m) + "-" + ev.ShopID + "-" + ev.DeliveryID
		_, err := s.temporal.ExecuteWorkflow(tctx, client.StartWorkflowOptions{ID: id, TaskQueue: ordercare.TaskQueue,
			WorkflowIDReusePolicy: enums.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE},
			ordercare.QuestionsWorkflowName, ordercare.QuestionsInput{Marketplace: m, ShopID: ev.ShopID})
		var started *serviceerror.WorkflowExecutionAlreadyStarted
		if errors.As(err, &started) {
			return nil // a redelivery
		}
		return err
	}
	return nil
}
