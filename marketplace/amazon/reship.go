package amazon

import (
	"context"
	"net/http"
	"time"
	"unicode/utf8"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace"
)

// Limits of createFulfillmentOrder in the MCF model.
const (
	maxFulfillmentIDChars = 40
	maxOrderCommentChars  = 750
)

// CreateReship ships the order's items again from FBA inventory with a
// Multi-Channel Fulfillment order (createFulfillmentOrder). Its
// sellerFulfillmentOrderId derives from the key; an existing one with that
// id (getFulfillmentOrder) is this write, replayed.
//
// The destination is the order's recipient address from Orders API
// v2026-01-01 (includedData=RECIPIENT). That is PII: Amazon returns it only
// to apps with the Direct-to-Consumer Shipping (Restricted) role, without a
// Restricted Data Token in this API version; Redress passes it straight to
// MCF and never stores it. Without it the reship is refused here
// (address_unavailable) and a person ships it from Seller Central.
func (c *Client) CreateReship(ctx context.Context, req marketplace.ReshipRequest) (marketplace.WriteResult, error) {
	const op = "create_reship"
	id := marketplace.ShortRef("RD", req.IdempotencyKey, 30)
	find := func(ctx context.Context) (string, bool, error) {
		k := call{op: op, bucket: bucketGetMCF, method: http.MethodGet, url: c.url("/fba/outbound/2020-07-01/fulfillmentOrders/%s", id)}
		err := c.do(ctx, req.ShopID, k, nil)
		if me, ok := marketplace.AsError(err); ok && me.Status == http.StatusNotFound {
			return "", false, nil
		}
		if err != nil {
			return "", false, err
		}
		return id, true, nil
	}
	write := func(ctx context.Context) (string, error) {
		o, err := c.getOrder(ctx, op, req.ShopID, req.OrderID, dataRecipient)
		if err != nil {
			return "", err
		}
		body, err := c.fulfillmentOrder(id, req.Note, o)
		if err != nil {
			return "", err
		}
		k := call{op: op, bucket: bucketCreateMCF, method: http.MethodPost, url: c.url("/fba/outbound/2020-07-01/fulfillmentOrders"), body: body}
		return id, c.do(ctx, req.ShopID, k, nil)
	}
	return marketplace.WriteOnce(ctx, find, write)
}

type fulfillmentItem struct {
	SellerSKU                    string `json:"sellerSku"`
	SellerFulfillmentOrderItemID string `json:"sellerFulfillmentOrderItemId"`
	Quantity                     int    `json:"quantity"`
}

type fulfillmentOrder struct {
	SellerFulfillmentOrderID string            `json:"sellerFulfillmentOrderId"`
	DisplayableOrderID       string            `json:"displayableOrderId"`
	DisplayableOrderDate     time.Time         `json:"displayableOrderDate"`
	DisplayableOrderComment  string            `json:"displayableOrderComment"`
	MarketplaceID            string            `json:"marketplaceId"`
	ShippingSpeedCategory    string            `json:"shippingSpeedCategory"`
	FulfillmentAction        string            `json:"fulfillmentAction"`
	DestinationAddress       mcfAddress        `json:"destinationAddress"`
	Items                    []fulfillmentItem `json:"items"`
}

type mcfAddress struct {
	Name             string `json:"name"`
	AddressLine1     string `json:"addressLine1"`
	AddressLine2     string `json:"addressLine2,omitempty"`
	AddressLine3     string `json:"addressLine3,omitempty"`
	City             string `json:"city,omitempty"`
	DistrictOrCounty string `json:"districtOrCounty,omitempty"`
	StateOrRegion    string `json:"stateOrRegion,omitempty"`
	PostalCode       string `json:"postalCode"`
	CountryCode      string `json:"countryCode"`
	Phone            string `json:"phone,omitempty"`
}

// fulfillmentOrder builds the MCF request from the original order: its
// items (SKU, order item id, quantity), its recipient, its date and id as
// the packing slip shows them.
func (c *Client) fulfillmentOrder(id, note string, o order) (fulfillmentOrder, error) {
	const op = "create_reship"
	a := o.Recipient.DeliveryAddress
	if a.Name == "" || a.AddressLine1 == "" || a.PostalCode == "" || a.CountryCode == "" {
		return fulfillmentOrder{}, marketplace.Invalid(cases.Amazon, op, "address_unavailable",
			"order %s has no recipient address for this app (needs the Direct-to-Consumer Shipping role)", o.OrderID)
	}
	dest := mcfAddress{Name: a.Name, AddressLine1: a.AddressLine1, AddressLine2: a.AddressLine2, AddressLine3: a.AddressLine3,
		City: a.City, DistrictOrCounty: a.DistrictOrCounty, StateOrRegion: a.StateOrRegion, PostalCode: a.PostalCode, CountryCode: a.CountryCode, Phone: a.Phone}
	if a.CountryCode == "JP" {
		dest.City = "" // MCF: city is required everywhere but must not be used in Japan
	}
	var items []fulfillmentItem
	for _, it := range o.OrderItems {
		if it.QuantityOrdered <= 0 {
			continue
		}
		if it.Product.SellerSKU == "" {
			return fulfillmentOrder{}, marketplace.Invalid(cases.Amazon, op, "no_sku", "order item %s has no seller SKU", it.OrderItemID)
		}
		items = append(items, fulfillmentItem{SellerSKU: it.Product.SellerSKU, SellerFulfillmentOrderItemID: it.OrderItemID, Quantity: it.QuantityOrdered})
	}
	if len(items) == 0 {
		return fulfillmentOrder{}, marketplace.Invalid(cases.Amazon, op, "no_items", "order %s has no items to ship", o.OrderID)
	}
	displayID := o.OrderID
	if displayID == "" || len(displayID) > maxFulfillmentIDChars {
		displayID = id
	}
	if note == "" {
		note = "Replacement for order " + o.OrderID
	}
	return fulfillmentOrder{
		SellerFulfillmentOrderID: id, DisplayableOrderID: displayID, DisplayableOrderDate: o.CreatedTime.UTC(),
		DisplayableOrderComment: truncateRunes(note, maxOrderCommentChars), MarketplaceID: c.cfg.MarketplaceID,
		ShippingSpeedCategory: "Standard", FulfillmentAction: "Ship", DestinationAddress: dest, Items: items,
	}, nil
}

func truncateRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}
