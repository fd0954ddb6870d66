package simulator

import (
	"net/http"
	"time"
	"unicode/utf8"

	"github.com/redress-hq/redress/cases"
)

// Multi-Channel Fulfillment (fulfillmentOutbound 2020-07-01): create and
// read back a fulfillment order, checked the way the model requires.

type amazonState struct {
	reports     map[string]*amazonReport
	fulfillment map[string]*amazonFulfillmentOrder // by seller + sellerFulfillmentOrderId
}

type amazonFulfillmentOrder struct {
	Request  amazonFulfillmentRequest
	Received time.Time
}

type amazonFulfillmentRequest struct {
	SellerFulfillmentOrderID string         `json:"sellerFulfillmentOrderId"`
	DisplayableOrderID       string         `json:"displayableOrderId"`
	DisplayableOrderDate     *time.Time     `json:"displayableOrderDate"`
	DisplayableOrderComment  string         `json:"displayableOrderComment"`
	MarketplaceID            string         `json:"marketplaceId"`
	ShippingSpeedCategory    string         `json:"shippingSpeedCategory"`
	DestinationAddress       map[string]any `json:"destinationAddress"`
	Items                    []struct {
		SellerSKU                    string `json:"sellerSku"`
		SellerFulfillmentOrderItemID string `json:"sellerFulfillmentOrderItemId"`
		Quantity                     int    `json:"quantity"`
	} `json:"items"`
}

// problem names the first rule of the model the request breaks, if any.
func (q amazonFulfillmentRequest) problem(o *Order) string {
	addr := func(k string) string { v, _ := q.DestinationAddress[k].(string); return v }
	switch {
	case q.SellerFulfillmentOrderID == "" || len(q.SellerFulfillmentOrderID) > 40:
		return "sellerFulfillmentOrderId must be 1-40 characters"
	case q.DisplayableOrderID == "" || len(q.DisplayableOrderID) > 40:
		return "displayableOrderId must be 1-40 characters"
	case q.DisplayableOrderDate == nil:
		return "displayableOrderDate is required"
	case q.DisplayableOrderComment == "" || utf8.RuneCountInString(q.DisplayableOrderComment) > 750:
		return "displayableOrderComment must be 1-750 characters"
	case q.ShippingSpeedCategory != "Standard" && q.ShippingSpeedCategory != "Expedited" && q.ShippingSpeedCategory != "Priority" && q.ShippingSpeedCategory != "ScheduledDelivery":
		return "shippingSpeedCategory is not valid"
	case addr("name") == "" || addr("addressLine1") == "" || addr("postalCode") == "" || addr("countryCode") == "":
		return "destinationAddress needs name, addressLine1, postalCode and countryCode"
	case len(q.Items) == 0:
		return "items are required"
	}
	for _, it := range q.Items {
		if it.SellerSKU != amazonSKU(o) || it.SellerFulfillmentOrderItemID == "" || it.Quantity <= 0 {
			return "the SellerSKU for Item Id: " + it.SellerFulfillmentOrderItemID + " is invalid"
		}
	}
	return ""
}

func (s *Simulator) amazonCreateFulfillment(w http.ResponseWriter, r *http.Request, shopID string) {
	var body amazonFulfillmentRequest
	if !readJSON(w, r, &body, amazonFault) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.amazonOrderOf(w, shopID, body.DisplayableOrderID)
	if !ok {
		return
	}
	if p := body.problem(o); p != "" {
		amazonError(w, 400, "InvalidInput", p)
		return
	}
	k := key(cases.Amazon, shopID+"\x00"+body.SellerFulfillmentOrderID)
	if _, exists := s.amazon.fulfillment[k]; exists {
		amazonError(w, 400, "InvalidInput", "a fulfillment order with this sellerFulfillmentOrderId already exists")
		return
	}
	if s.amazon.fulfillment == nil {
		s.amazon.fulfillment = map[string]*amazonFulfillmentOrder{}
	}
	s.amazon.fulfillment[k] = &amazonFulfillmentOrder{Request: body, Received: s.now()}
	s.addReship(cases.Amazon, shopID, o.ID, body.SellerFulfillmentOrderID, body.DisplayableOrderComment)
	writeJSON(w, 200, map[string]any{})
}

func (s *Simulator) amazonGetFulfillment(w http.ResponseWriter, r *http.Request, shopID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, ok := s.amazon.fulfillment[key(cases.Amazon, shopID+"\x00"+r.PathValue("id"))]
	if !ok {
		amazonError(w, 404, "NotFound", "fulfillment order not found")
		return
	}
	q, at := f.Request, f.Received.Format(time.RFC3339)
	items := []any{}
	for _, it := range q.Items {
		items = append(items, map[string]any{"sellerSku": it.SellerSKU, "sellerFulfillmentOrderItemId": it.SellerFulfillmentOrderItemID,
			"quantity": it.Quantity, "cancelledQuantity": 0, "unfulfillableQuantity": 0})
	}
	writeJSON(w, 200, map[string]any{"payload": map[string]any{
		"fulfillmentOrder": map[string]any{
			"sellerFulfillmentOrderId": q.SellerFulfillmentOrderID, "marketplaceId": q.MarketplaceID,
			"displayableOrderId": q.DisplayableOrderID, "displayableOrderDate": q.DisplayableOrderDate.Format(time.RFC3339),
			"displayableOrderComment": q.DisplayableOrderComment, "shippingSpeedCategory": q.ShippingSpeedCategory,
			"destinationAddress": q.DestinationAddress, "receivedDate": at, "fulfillmentOrderStatus": "Received", "statusUpdatedDate": at,
		},
		"fulfillmentOrderItems": items, "returnItems": []any{}, "returnAuthorizations": []any{},
	}})
}
