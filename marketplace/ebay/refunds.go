package ebay

import (
	"context"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace"
)

// refundReason: Redress refunds are goodwill adjustments, partial or full
// (ReasonForRefundEnum OTHER_ADJUSTMENT: "for no specific reason").
const refundReason = "OTHER_ADJUSTMENT"

// maxRefundComment is IssueRefundRequest.comment's maximum length.
const maxRefundComment = 100

func (r orderRefund) result(orderID string) marketplace.RefundResult {
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
// eBay echoes no seller reference on the order's refunds (OrderRefund has
// amount, date, ids and status), so the read-back is: a refund issueRefund
// started on this order (it has a refundId), not failed, in this currency and
// not above this amount (eBay shows it net of eBay-collected tax) is this
// write, replayed. A case refunds an order at most once, so a lost answer is
// retried safely. Ids are "orderId:refundId".
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
		if r.RefundID != "" && r.RefundStatus != "FAILED" && r.Amount.Currency == req.Currency && r.Amount.money() <= req.Amount {
			res := r.result(req.OrderID)
			res.Replayed = true
			return res, nil
		}
	}
	body := map[string]any{"reasonForRefund": refundReason, "comment": truncate(req.Reason, maxRefundComment),
		"orderLevelRefundAmount": amount{Value: req.Amount.String(), Currency: req.Currency}}
	var out orderRefund
	if err := c.rest.Post(ctx, op, req.ShopID, "", c.url("/sell/fulfillment/v1/order/%s/issue_refund", req.OrderID), body, nil, &out); err != nil {
		return marketplace.RefundResult{}, err
	}
	out.Amount = amount{Value: req.Amount.String(), Currency: req.Currency}
	return out.result(req.OrderID), nil
}

// RefundStatus reads the refund on its order's paymentSummary.
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

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		r = r[:n]
	}
	return string(r)
}
