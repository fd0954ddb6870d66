package amazon

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace"
)

// Wire types of Orders API v2026-01-01 getOrder: only the fields Redress reads.

type money struct {
	Amount       string `json:"amount"`
	CurrencyCode string `json:"currencyCode"`
}

func (m money) value() cases.Money {
	v, _ := cases.ParseMoney(m.Amount)
	return v
}

type address struct {
	Name             string `json:"name"`
	AddressLine1     string `json:"addressLine1"`
	AddressLine2     string `json:"addressLine2"`
	AddressLine3     string `json:"addressLine3"`
	City             string `json:"city"`
	DistrictOrCounty string `json:"districtOrCounty"`
	StateOrRegion    string `json:"stateOrRegion"`
	PostalCode       string `json:"postalCode"`
	CountryCode      string `json:"countryCode"`
	Phone            string `json:"phone"`
}

type orderItem struct {
	OrderItemID     string `json:"orderItemId"`
	QuantityOrdered int    `json:"quantityOrdered"`
	Product         struct {
		Title     string `json:"title"`
		SellerSKU string `json:"sellerSku"`
	} `json:"product"`
}

type orderPackage struct {
	PackageReferenceID string     `json:"packageReferenceId"`
	Carrier            string     `json:"carrier"`
	ShippingService    string     `json:"shippingService"`
	TrackingNumber     string     `json:"trackingNumber"`
	ShipTime           *time.Time `json:"shipTime"`
	PackageStatus      struct {
		Status         string `json:"status"`
		DetailedStatus string `json:"detailedStatus"`
	} `json:"packageStatus"`
}

type order struct {
	OrderID         string    `json:"orderId"`
	CreatedTime     time.Time `json:"createdTime"`
	LastUpdatedTime time.Time `json:"lastUpdatedTime"`
	Recipient       struct {
		DeliveryAddress address `json:"deliveryAddress"`
	} `json:"recipient"`
	Proceeds struct {
		GrandTotal money `json:"grandTotal"`
		Breakdowns []struct {
			Type     string `json:"type"`
			Subtotal money  `json:"subtotal"`
		} `json:"breakdowns"`
	} `json:"proceeds"`
	Fulfillment struct {
		FulfillmentStatus string `json:"fulfillmentStatus"`
	} `json:"fulfillment"`
	OrderItems []orderItem    `json:"orderItems"`
	Packages   []orderPackage `json:"packages"`
}

// Datasets of getOrder's includedData. Items are always included; PACKAGES
// only exist for merchant-fulfilled orders.
const (
	dataEvidence  = "PROCEEDS,FULFILLMENT,PACKAGES"
	dataRecipient = "RECIPIENT"
)

// getOrder reads one order with the datasets named (comma-separated, the
// model's csv array format).
func (c *Client) getOrder(ctx context.Context, op, shopID, orderID, includedData string) (order, error) {
	var res struct {
		Order order `json:"order"`
	}
	k := call{op: op, bucket: bucketGetOrder, method: http.MethodGet,
		url: c.url("/orders/2026-01-01/orders/%s", orderID) + "?" + url.Values{"includedData": {includedData}}.Encode()}
	err := c.do(ctx, shopID, k, &res)
	return res.Order, err
}

// GetEvidence reads the order, its items and its packages in one getOrder
// call. Tracking comes from the packages the seller confirmed (carrier,
// tracking number, ship time, current status): SP-API has no carrier event
// history for them (Shipping v2 getTracking only knows labels bought
// through Amazon Buy Shipping). What SP-API cannot show is listed in
// Evidence.Unavailable.
func (c *Client) GetEvidence(ctx context.Context, shopID, orderID string) (marketplace.Evidence, error) {
	o, err := c.getOrder(ctx, "get_evidence", shopID, orderID, dataEvidence)
	if err != nil {
		return marketplace.Evidence{}, err
	}
	return evidenceOf(o), nil
}

// evidenceUnavailable is what SP-API cannot show; the agent looks in Seller Central.
var evidenceUnavailable = []string{
	"chat: SP-API has no buyer-seller message history (Seller Central: Buyer-Seller Messages)",
	"refunds: SP-API has no seller refund list (Seller Central: Manage Orders)",
	"carrier events: only the package's ship time and current status (the carrier's own tracking has the history)",
}

func evidenceOf(o order) marketplace.Evidence {
	created := o.CreatedTime
	ev := marketplace.Evidence{Order: marketplace.OrderInfo{
		OrderID: o.OrderID, Status: o.Fulfillment.FulfillmentStatus,
		Amount: o.Proceeds.GrandTotal.value(), Currency: o.Proceeds.GrandTotal.CurrencyCode,
		// Amazon collects payment with the order; createdTime is when the buyer placed it.
		PaidAt: &created,
	}, Unavailable: evidenceUnavailable}
	for _, b := range o.Proceeds.Breakdowns {
		if b.Type == "SHIPPING" {
			ev.Order.ShippingFee += b.Subtotal.value()
		}
	}
	for _, it := range o.OrderItems {
		ev.Order.Items = append(ev.Order.Items, it.Product.Title)
	}
	for _, p := range o.Packages {
		if ev.Courier == "" {
			ev.Courier = p.Carrier
		}
		if p.ShipTime != nil && (ev.Order.ShippedAt == nil || p.ShipTime.Before(*ev.Order.ShippedAt)) {
			ev.Order.ShippedAt = p.ShipTime
		}
		ev.Tracking = append(ev.Tracking, packageSteps(p, o.LastUpdatedTime)...)
	}
	return ev
}

// packageSteps: the hand-over to the carrier at shipTime, then the
// package's current status as of the order's last update (the model gives
// no time for a status, e.g. no delivery time).
func packageSteps(p orderPackage, asOf time.Time) []marketplace.TrackingStep {
	what := strings.TrimSpace(strings.Join([]string{p.Carrier, p.ShippingService, p.TrackingNumber}, " "))
	var steps []marketplace.TrackingStep
	if p.ShipTime != nil {
		steps = append(steps, marketplace.TrackingStep{At: *p.ShipTime, Status: "SHIPPED", Description: "handed to carrier: " + what})
	}
	status := p.PackageStatus.Status
	if p.PackageStatus.DetailedStatus != "" {
		status += "/" + p.PackageStatus.DetailedStatus
	}
	if status != "" && status != "SHIPPED" {
		steps = append(steps, marketplace.TrackingStep{At: asOf, Status: status, Description: "package status as of the order's last update: " + what})
	}
	return steps
}
