package simulator

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/redress-hq/redress/cases"
)

// Orders API v2026-01-01 getOrder, written from the model's schema: the
// order with its items always, and the datasets includedData asks for.

var amazonDatasets = map[string]bool{"BUYER": true, "RECIPIENT": true, "PROCEEDS": true, "EXPENSE": true, "PROMOTION": true,
	"CANCELLATION": true, "FULFILLMENT": true, "PACKAGES": true, "TAX": true, "PAYMENT": true, "FULFILLMENT_ORDERS": true}

// amazonSKU and amazonOrderItemID are the simulated seller SKU and order
// item id of an order's single item.
func amazonSKU(o *Order) string         { return "SIM-SKU-" + o.ID }
func amazonOrderItemID(o *Order) string { return "1" + o.ID }

// amazonRecipient is the simulated delivery address of an order.
func amazonRecipient(o *Order) map[string]any {
	return map[string]any{"name": o.BuyerName, "addressLine1": "1 Simulated Way", "city": "Seattle", "stateOrRegion": "WA",
		"postalCode": "98109", "countryCode": "US", "addressType": "RESIDENTIAL"}
}

func amazonAmount(m cases.Money, currency string) map[string]any {
	return map[string]any{"amount": m.String(), "currencyCode": currency}
}

func (s *Simulator) amazonOrder(w http.ResponseWriter, r *http.Request, shopID string) {
	datasets := map[string]bool{}
	if v := r.URL.Query().Get("includedData"); v != "" {
		for _, d := range strings.Split(v, ",") {
			if !amazonDatasets[d] {
				amazonError(w, 400, "InvalidInput", fmt.Sprintf("includedData %q is not a dataset", d))
				return
			}
			datasets[d] = true
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.amazonOrderOf(w, shopID, r.PathValue("id"))
	if !ok {
		return
	}
	updated := o.CreatedAt
	for _, t := range o.Tracking {
		updated = t.At
	}
	out := map[string]any{
		"orderId": o.ID, "createdTime": o.CreatedAt.Format(time.RFC3339), "lastUpdatedTime": updated.Format(time.RFC3339),
		"salesChannel": map[string]any{"channelName": "AMAZON", "marketplaceId": "ATVPDKIKX0DER", "marketplaceName": "Amazon.com"},
		"orderItems": []any{map[string]any{"orderItemId": amazonOrderItemID(o), "quantityOrdered": 1,
			"product": map[string]any{"asin": "B0SIM" + o.ID, "title": o.Item, "sellerSku": amazonSKU(o),
				"price": map[string]any{"unitPrice": amazonAmount(o.Amount-o.ShippingFee, o.Currency)}}}},
	}
	if datasets["PROCEEDS"] {
		out["proceeds"] = map[string]any{"grandTotal": amazonAmount(o.Amount, o.Currency), "breakdowns": []any{
			map[string]any{"type": "ITEM", "subtotal": amazonAmount(o.Amount-o.ShippingFee, o.Currency)},
			map[string]any{"type": "SHIPPING", "subtotal": amazonAmount(o.ShippingFee, o.Currency)},
		}}
	}
	if datasets["FULFILLMENT"] {
		status := "UNSHIPPED"
		if o.ShippedAt != nil {
			status = "SHIPPED"
		}
		out["fulfillment"] = map[string]any{"fulfillmentStatus": status, "fulfilledBy": "MERCHANT", "fulfillmentServiceLevel": "STANDARD"}
	}
	if datasets["RECIPIENT"] {
		out["recipient"] = map[string]any{"deliveryAddress": amazonRecipient(o)}
	}
	if datasets["PACKAGES"] && o.ShippedAt != nil {
		status := "IN_TRANSIT"
		if o.DeliveredAt != nil {
			status = "DELIVERED"
		}
		out["packages"] = []any{map[string]any{"packageReferenceId": "1", "carrier": o.Courier, "trackingNumber": o.TrackingNumber,
			"shippingService": o.Courier + " Ground", "shipTime": o.ShippedAt.Format(time.RFC3339), "packageStatus": map[string]any{"status": status},
			"packageItems": []any{map[string]any{"orderItemId": amazonOrderItemID(o), "quantity": 1}}}}
	}
	writeJSON(w, 200, map[string]any{"order": out})
}
