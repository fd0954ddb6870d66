package mercadolibre

import (
	"context"
	"net/http"
	"net/url"
	"time"

	"github.com/redress-hq/redress/marketplace"
)

// GetEvidence gathers the order, its shipment history, the post-sale chat
// and claims.
func (c *Client) GetEvidence(ctx context.Context, shopID, orderID string) (marketplace.Evidence, error) {
	const op = "get_evidence"
	o, err := c.order(ctx, op, shopID, orderID)
	if err != nil {
		return marketplace.Evidence{}, err
	}
	ev := marketplace.Evidence{Order: marketplace.OrderInfo{
		OrderID: string(o.ID), Status: o.Status, Amount: o.TotalAmount, Currency: o.CurrencyID, Refunded: o.Status == "cancelled",
	}}
	for _, it := range o.OrderItems {
		ev.Order.Items = append(ev.Order.Items, it.Item.Title)
	}
	if len(o.Payments) > 0 {
		ev.Order.ShippingFee = o.Payments[0].ShippingCost
		ev.Order.PaidAt = o.Payments[0].DateApproved
	}
	if o.Shipping.ID != "" {
		ev.Order.ShipmentID = string(o.Shipping.ID)
		if err := c.shipment(ctx, shopID, string(o.Shipping.ID), &ev); err != nil {
			return marketplace.Evidence{}, err
		}
	}
	conv, err := c.conversation(ctx, op, shopID, o.pack())
	if err != nil {
		return marketplace.Evidence{}, err
	}
	for _, m := range conv.Messages {
		from := "buyer"
		if string(m.From.UserID) == shopID {
			from = "seller"
		}
		ev.Chat = append(ev.Chat, marketplace.ChatMessage{At: m.MessageDate.Created, From: from, Text: string(m.Text)})
	}
	var claims struct {
		Data []struct {
			ID       flexID `json:"id"`
			Status   string `json:"status"`
			ReasonID string `json:"reason_id"`
			Stage    string `json:"stage"`
		} `json:"data"`
	}
	if err := c.get(ctx, op, shopID, "/post-purchase/v1/claims/search?"+url.Values{"resource_id": {orderID}, "resource": {"order"}}.Encode(), nil, &claims); err != nil {
		return marketplace.Evidence{}, err
	}
	for _, cl := range claims.Data {
		ev.Claims = append(ev.Claims, marketplace.Claim{ID: string(cl.ID), Status: cl.Status, Reason: cl.ReasonID, Stage: cl.Stage})
	}
	return ev, nil
}

// shipment reads the shipment in the format the documentation makes
// mandatory (x-format-new: true; no status_history there) and its status
// history, from which the shipped and delivered dates come.
func (c *Client) shipment(ctx context.Context, shopID, shipmentID string, ev *marketplace.Evidence) error {
	const op = "get_evidence"
	var sh struct {
		TrackingMethod string `json:"tracking_method"`
	}
	if err := c.get(ctx, op, shopID, pathf("/shipments/%s", shipmentID), http.Header{"X-Format-New": {"true"}}, &sh); err != nil {
		return err
	}
	ev.Courier = sh.TrackingMethod
	var history []struct {
		Status    string    `json:"status"`
		Substatus string    `json:"substatus"`
		Date      time.Time `json:"date"`
	}
	if err := c.get(ctx, op, shopID, pathf("/shipments/%s/history", shipmentID), nil, &history); err != nil {
		return err
	}
	for _, h := range history {
		ev.Tracking = append(ev.Tracking, marketplace.TrackingStep{At: h.Date, Status: h.Status, Description: h.Substatus})
		at := h.Date
		switch h.Status {
		case "shipped":
			if ev.Order.ShippedAt == nil || at.Before(*ev.Order.ShippedAt) {
				ev.Order.ShippedAt = &at
			}
		case "delivered":
			if ev.Order.DeliveredAt == nil || at.After(*ev.Order.DeliveredAt) {
				ev.Order.DeliveredAt = &at
			}
		}
	}
	return nil
}
