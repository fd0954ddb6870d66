package amazon

import (
	"context"
	"net/url"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace"
)

type refund struct {
	RefundID          string `json:"refundId"`
	AmazonOrderID     string `json:"amazonOrderId"`
	Status            string `json:"status"` // PENDING, SUCCEEDED, FAILED
	ClientReferenceID string `json:"clientReferenceId"`
	Amount            struct {
		CurrencyCode string `json:"currencyCode"`
		Value        string `json:"value"`
	} `json:"amount"`
}

func (r refund) result() marketplace.RefundResult {
	status := "pending"
	switch r.Status {
	case "SUCCEEDED":
		status = "completed"
	case "FAILED":
		status = "failed"
	}
	amount, _ := cases.ParseMoney(r.Amount.Value)
	return marketplace.RefundResult{ID: r.RefundID, Status: status, Amount: amount}
}

func (c *Client) refunds(ctx context.Context, op, shopID, orderID string) ([]refund, error) {
	var res struct {
		Refunds []refund `json:"refunds"`
	}
	err := c.rest.Get(ctx, op, shopID, c.url("/refunds/2026-01-01/refunds")+"?"+url.Values{"amazonOrderId": {orderID}}.Encode(), &res)
	return res.Refunds, err
}

// IssueRefund refunds with clientReferenceId = the key, after looking for a
// refund that already carries it.
func (c *Client) IssueRefund(ctx context.Context, req marketplace.RefundRequest) (marketplace.RefundResult, error) {
	const op = "issue_refund"
	if req.Amount <= 0 || req.IdempotencyKey == "" || req.Currency == "" {
		return marketplace.RefundResult{}, marketplace.Invalid(cases.Amazon, op, "bad_request", "refund needs a positive amount, a currency and an idempotency key")
	}
	existing, err := c.refunds(ctx, op, req.ShopID, req.OrderID)
	if err != nil {
		return marketplace.RefundResult{}, err
	}
	for _, r := range existing {
		if r.ClientReferenceID == req.IdempotencyKey {
			res := r.result()
			res.Replayed = true
			return res, nil
		}
	}
	body := map[string]any{"amazonOrderId": req.OrderID, "marketplaceId": c.cfg.MarketplaceID, "clientReferenceId": req.IdempotencyKey,
		"reason": req.Reason, "amount": map[string]string{"currencyCode": req.Currency, "value": req.Amount.String()}}
	var out refund
	if err := c.rest.Post(ctx, op, req.ShopID, "", c.url("/refunds/2026-01-01/refunds"), body, nil, &out); err != nil {
		return marketplace.RefundResult{}, err
	}
	return out.result(), nil
}

// RefundStatus reads one refund.
func (c *Client) RefundStatus(ctx context.Context, shopID, refundID string) (marketplace.RefundResult, error) {
	var out refund
	if err := c.rest.Get(ctx, "refund_status", shopID, c.url("/refunds/2026-01-01/refunds/%s", refundID), &out); err != nil {
		return marketplace.RefundResult{}, err
	}
	return out.result(), nil
}

// CreateReship creates a Multi-Channel Fulfillment order whose
// sellerFulfillmentOrderId (≤ 40 characters) derives from the key; an
// existing one with that id is this write, replayed.
func (c *Client) CreateReship(ctx context.Context, req marketplace.ReshipRequest) (marketplace.WriteResult, error) {
	const op = "create_reship"
	id := marketplace.ShortRef("RD", req.IdempotencyKey, 30)
	find := func(ctx context.Context) (string, bool, error) {
		err := c.rest.Get(ctx, op, req.ShopID, c.url("/fba/outbound/2020-07-01/fulfillmentOrders/%s", id), nil)
		if me, ok := marketplace.AsError(err); ok && me.Status == 404 {
			return "", false, nil
		}
		if err != nil {
			return "", false, err
		}
		return id, true, nil
	}
	write := func(ctx context.Context) (string, error) {
		body := map[string]any{"sellerFulfillmentOrderId": id, "displayableOrderId": req.OrderID, "displayableOrderComment": req.Note,
			"marketplaceId": c.cfg.MarketplaceID, "shippingSpeedCategory": "Standard", "fulfillmentAction": "Ship"}
		return id, c.rest.Post(ctx, op, req.ShopID, "", c.url("/fba/outbound/2020-07-01/fulfillmentOrders"), body, nil, nil)
	}
	return marketplace.WriteOnce(ctx, find, write)
}
