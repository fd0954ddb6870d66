package ebay

import (
	"context"
	"net/url"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace"
)

func (r refundEntry) result(orderID string) marketplace.RefundResult {
	status := "pending"
	switch r.RefundStatus {
	case "REFUNDED":
		status = "completed"
	case "FAILED":
		status = "failed"
	}
	return marketplace.RefundResult{ID: marketplace.JoinID(orderID, r.RefundID), Status: status, Amount: r.Amount.money()}
}

// IssueRefund issues an order-level refund (asynchronous: poll RefundStatus).
// The key travels in the refund comment; a refund on the order carrying it
// is this write, replayed. Refund ids are "orderId:refundId".
func (c *Client) IssueRefund(ctx context.Context, req marketplace.RefundRequest) (marketplace.RefundResult, error) {
	const op = "issue_refund"
	if req.Amount <= 0 || req.IdempotencyKey == "" || req.Currency == "" {
		return marketplace.RefundResult{}, marketplace.Invalid(cases.EBay, op, "bad_request", "refund needs a positive amount, a currency and an idempotency key")
	}
	o, err := c.order(ctx, op, req.ShopID, req.OrderID)
	if err != nil {
		return marketplace.RefundResult{}, err
	}
	for _, r := range o.PaymentSummary.Refunds {
		if marketplace.HasRefTag(r.Comment, req.IdempotencyKey) {
			res := r.result(req.OrderID)
			res.Replayed = true
			return res, nil
		}
	}
	body := map[string]any{"reasonForRefund": "OTHER", "comment": req.Reason + " " + marketplace.RefTag(req.IdempotencyKey),
		"orderLevelRefundAmount": amount{Value: req.Amount.String(), Currency: req.Currency}}
	var out refundEntry
	if err := c.rest.Post(ctx, op, req.ShopID, "", c.url("/sell/fulfillment/v1/order/%s/issue_refund", req.OrderID), body, nil, &out); err != nil {
		return marketplace.RefundResult{}, err
	}
	out.Amount = amount{Value: req.Amount.String(), Currency: req.Currency}
	return out.result(req.OrderID), nil
}

// RefundStatus polls the order for the refund's status.
func (c *Client) RefundStatus(ctx context.Context, shopID, refundID string) (marketplace.RefundResult, error) {
	orderID, id, ok := marketplace.SplitID(refundID)
	if !ok {
		return marketplace.RefundResult{}, marketplace.Invalid(cases.EBay, "refund_status", "bad_id", "refund id %q is not orderId:refundId", refundID)
	}
	o, err := c.order(ctx, "refund_status", shopID, orderID)
	if err != nil {
		return marketplace.RefundResult{}, err
	}
	for _, r := range o.PaymentSummary.Refunds {
		if r.RefundID == id {
			return r.result(orderID), nil
		}
	}
	return marketplace.RefundResult{}, marketplace.Invalid(cases.EBay, "refund_status", "not_found", "refund %s not on order %s", id, orderID)
}

// IssueCoupon creates a private coded coupon whose code derives from the key.
func (c *Client) IssueCoupon(ctx context.Context, req marketplace.CouponRequest) (marketplace.WriteResult, error) {
	const op = "issue_coupon"
	if req.Amount <= 0 || req.Currency == "" {
		return marketplace.WriteResult{}, marketplace.Invalid(cases.EBay, op, "bad_request", "coupon needs a positive amount and a currency")
	}
	code := marketplace.ShortRef("RD", req.IdempotencyKey, 12)
	find := func(ctx context.Context) (string, bool, error) {
		var res struct {
			Promotions []struct {
				PromotionID string `json:"promotionId"`
				CouponCode  string `json:"couponCode"`
			} `json:"promotions"`
		}
		q := url.Values{"marketplace_id": {c.cfg.MarketplaceID}, "q": {code}, "promotion_type": {"CODED_COUPON"}}
		if err := c.rest.Get(ctx, op, req.ShopID, c.url("/sell/marketing/v1/promotion")+"?"+q.Encode(), &res); err != nil {
			return "", false, err
		}
		for _, p := range res.Promotions {
			if p.CouponCode == code {
				return p.PromotionID, true, nil
			}
		}
		return "", false, nil
	}
	write := func(ctx context.Context) (string, error) {
		body := map[string]any{
			"name": code, "marketplaceId": c.cfg.MarketplaceID, "promotionType": "CODED_COUPON", "promotionStatus": "SCHEDULED",
			"couponConfiguration": map[string]any{"couponCode": code, "couponType": "PRIVATE_SINGLE_SELLER_COUPON", "maxCouponRedemptionPerUser": 1},
			"discountRules":       []any{map[string]any{"discountBenefit": map[string]any{"amountOffOrder": amount{Value: req.Amount.String(), Currency: req.Currency}}}},
		}
		var res struct {
			PromotionID string `json:"promotionId"`
		}
		err := c.rest.Post(ctx, op, req.ShopID, "", c.url("/sell/marketing/v1/item_promotion"), body, nil, &res)
		return res.PromotionID, err
	}
	return marketplace.WriteOnce(ctx, find, write)
}

// CreateReship records a replacement shipping fulfillment tagged with the key.
func (c *Client) CreateReship(ctx context.Context, req marketplace.ReshipRequest) (marketplace.WriteResult, error) {
	const op = "create_reship"
	find := func(ctx context.Context) (string, bool, error) {
		fs, err := c.fulfillments(ctx, op, req.ShopID, req.OrderID)
		if err != nil {
			return "", false, err
		}
		for _, f := range fs {
			if f.SellerReference == req.IdempotencyKey {
				return f.FulfillmentID, true, nil
			}
		}
		return "", false, nil
	}
	write := func(ctx context.Context) (string, error) {
		var res struct {
			FulfillmentID string `json:"fulfillmentId"`
		}
		err := c.rest.Post(ctx, op, req.ShopID, "", c.url("/sell/fulfillment/v1/order/%s/shipping_fulfillment", req.OrderID),
			map[string]string{"sellerReference": req.IdempotencyKey, "note": req.Note}, nil, &res)
		return res.FulfillmentID, err
	}
	return marketplace.WriteOnce(ctx, find, write)
}

// SubmitAppeal: feedback removal requests go through eBay's seller help; a person files them.
func (c *Client) SubmitAppeal(ctx context.Context, req marketplace.AppealRequest) (marketplace.AppealResult, error) {
	return marketplace.AppealResult{Manual: true, Status: "manual_required"}, nil
}
