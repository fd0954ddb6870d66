package mercadolibre

import (
	"context"
	"net/http"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace"
)

// refund is Mercado Pago's refund resource (id and payment_id numbers).
type refund struct {
	ID     flexID      `json:"id"`
	Amount cases.Money `json:"amount"`
	Status string      `json:"status"`
}

func (r refund) result(paymentID string) marketplace.RefundResult {
	status := "pending"
	switch r.Status { // approved, in_process, authorized, rejected, cancelled
	case "approved":
		status = "completed"
	case "rejected", "cancelled":
		status = "failed"
	}
	return marketplace.RefundResult{ID: marketplace.JoinID(paymentID, string(r.ID)), Status: status, Amount: r.Amount}
}

// IssueRefund refunds through Mercado Pago, which deduplicates by
// X-Idempotency-Key: a repeat returns the first refund. The refund id is
// "paymentID:refundID". Send the buyer message first: a refund blocks the chat.
func (c *Client) IssueRefund(ctx context.Context, req marketplace.RefundRequest) (marketplace.RefundResult, error) {
	const op = "issue_refund"
	if req.Amount <= 0 || req.IdempotencyKey == "" {
		return marketplace.RefundResult{}, marketplace.Invalid(cases.MercadoLibre, op, "bad_request", "refund needs a positive amount and an idempotency key")
	}
	o, err := c.order(ctx, op, req.ShopID, req.OrderID)
	if err != nil {
		return marketplace.RefundResult{}, err
	}
	payment := o.paymentID()
	if payment == "" {
		return marketplace.RefundResult{}, marketplace.Invalid(cases.MercadoLibre, op, "no_payment", "order %s has no payment", req.OrderID)
	}
	var rf refund
	target := c.cfg.PaymentsURL + pathf("/v1/payments/%s/refunds", payment)
	if err := c.post(ctx, op, req.ShopID, target, map[string]any{"amount": req.Amount}, http.Header{"X-Idempotency-Key": {req.IdempotencyKey}}, &rf); err != nil {
		return marketplace.RefundResult{}, err
	}
	return rf.result(payment), nil
}

// RefundStatus reads a refund by the id IssueRefund returned.
func (c *Client) RefundStatus(ctx context.Context, shopID, refundID string) (marketplace.RefundResult, error) {
	payment, id, ok := marketplace.SplitID(refundID)
	if !ok {
		return marketplace.RefundResult{}, marketplace.Invalid(cases.MercadoLibre, "refund_status", "bad_id", "refund id %q is not payment:refund", refundID)
	}
	var rf refund
	if err := c.rest.Get(ctx, "refund_status", shopID, c.cfg.PaymentsURL+pathf("/v1/payments/%s/refunds/%s", payment, id), &rf); err != nil {
		return marketplace.RefundResult{}, err
	}
	return rf.result(payment), nil
}
