package mercadolibre

import (
	"context"
	"net/http"
	"net/url"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace"
)

type refund struct {
	ID     flexID      `json:"id"`
	Amount cases.Money `json:"amount"`
	Status string      `json:"status"`
}

func (r refund) result(paymentID string) marketplace.RefundResult {
	status := "pending"
	switch r.Status {
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

// IssueCoupon creates a buyer coupon whose code is derived from the
// idempotency key, so read-back finds an earlier one by code. Mercado Libre
// publishes no per-buyer coupon API; /seller-promotions/coupons is modelled.
func (c *Client) IssueCoupon(ctx context.Context, req marketplace.CouponRequest) (marketplace.WriteResult, error) {
	const op = "issue_coupon"
	if req.Amount <= 0 && !req.FreeShipping {
		return marketplace.WriteResult{}, marketplace.Invalid(cases.MercadoLibre, op, "bad_request", "coupon needs an amount or free shipping")
	}
	code := marketplace.ShortRef("RD", req.IdempotencyKey, 10)
	find := func(ctx context.Context) (string, bool, error) {
		var res struct {
			Results []struct {
				ID   string `json:"id"`
				Code string `json:"code"`
			} `json:"results"`
		}
		if err := c.get(ctx, op, req.ShopID, "/seller-promotions/coupons?"+url.Values{"order_id": {req.OrderID}}.Encode(), &res); err != nil {
			return "", false, err
		}
		for _, cp := range res.Results {
			if cp.Code == code {
				return cp.ID, true, nil
			}
		}
		return "", false, nil
	}
	write := func(ctx context.Context) (string, error) {
		var out struct {
			ID string `json:"id"`
		}
		body := map[string]any{"order_id": req.OrderID, "buyer_id": req.BuyerID, "code": code, "amount": req.Amount, "free_shipping": req.FreeShipping}
		err := c.post(ctx, op, req.ShopID, c.cfg.BaseURL+"/seller-promotions/coupons", body, nil, &out)
		return out.ID, err
	}
	return marketplace.WriteOnce(ctx, find, write)
}

// CreateReship asks for a replacement shipment, tagged with the idempotency
// key as external_reference for read-back. Modelled: Mercado Libre has no
// public reship endpoint.
func (c *Client) CreateReship(ctx context.Context, req marketplace.ReshipRequest) (marketplace.WriteResult, error) {
	const op = "create_reship"
	find := func(ctx context.Context) (string, bool, error) {
		var res struct {
			Results []struct {
				ID        string `json:"id"`
				Reference string `json:"reference"`
			} `json:"results"`
		}
		if err := c.get(ctx, op, req.ShopID, pathf("/orders/%s/reships", req.OrderID), &res); err != nil {
			return "", false, err
		}
		for _, r := range res.Results {
			if r.Reference == req.IdempotencyKey {
				return r.ID, true, nil
			}
		}
		return "", false, nil
	}
	write := func(ctx context.Context) (string, error) {
		var out struct {
			ID string `json:"id"`
		}
		err := c.post(ctx, op, req.ShopID, c.cfg.BaseURL+pathf("/orders/%s/reships", req.OrderID),
			map[string]string{"note": req.Note, "external_reference": req.IdempotencyKey}, nil, &out)
		return out.ID, err
	}
	return marketplace.WriteOnce(ctx, find, write)
}

// SubmitAppeal: Mercado Libre has no appeal API for feedback; a person files it.
func (c *Client) SubmitAppeal(ctx context.Context, req marketplace.AppealRequest) (marketplace.AppealResult, error) {
	return marketplace.AppealResult{Manual: true, Status: "manual_required"}, nil
}
