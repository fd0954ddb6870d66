package taobao

import (
	"context"
	"net/url"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace"
)

type refund struct {
	RefundID  string      `json:"refund_id"`
	Tid       string      `json:"tid"`
	RefundFee cases.Money `json:"refund_fee"`
	Status    string      `json:"status"`
	Reason    string      `json:"reason"`
}

func (r refund) result() marketplace.RefundResult {
	status := "pending"
	switch r.Status {
	case "SUCCESS":
		status = "completed"
	case "CLOSED", "SELLER_REFUSE_BUYER":
		status = "failed"
	}
	return marketplace.RefundResult{ID: r.RefundID, Status: status, Amount: r.RefundFee}
}

// IssueRefund refunds part or all of a trade. TOP has no idempotency key,
// so the key travels in the refund reason and an existing refund carrying
// it is returned as a replay.
func (c *Client) IssueRefund(ctx context.Context, req marketplace.RefundRequest) (marketplace.RefundResult, error) {
	const op = "issue_refund"
	if req.Amount <= 0 || req.IdempotencyKey == "" {
		return marketplace.RefundResult{}, marketplace.Invalid(cases.Taobao, op, "bad_request", "refund needs a positive amount and an idempotency key")
	}
	var list struct {
		Refunds struct {
			Refund []refund `json:"refund"`
		} `json:"refunds"`
	}
	if err := c.call(ctx, op, req.ShopID, "taobao.refunds.receive.get", url.Values{"tid": {req.OrderID}, "fields": {"refund_id,tid,refund_fee,status,reason"}}, false, &list); err != nil {
		return marketplace.RefundResult{}, err
	}
	for _, r := range list.Refunds.Refund {
		if marketplace.HasRefTag(r.Reason, req.IdempotencyKey) {
			res := r.result()
			res.Replayed = true
			return res, nil
		}
	}
	reason := req.Reason + " " + marketplace.RefTag(req.IdempotencyKey)
	var out struct {
		Refund refund `json:"refund"`
	}
	if err := c.call(ctx, op, req.ShopID, "taobao.refund.seller.create", url.Values{"tid": {req.OrderID}, "refund_fee": {req.Amount.String()}, "reason": {reason}}, true, &out); err != nil {
		return marketplace.RefundResult{}, err
	}
	return out.Refund.result(), nil
}

// RefundStatus reads a refund (taobao.refund.get).
func (c *Client) RefundStatus(ctx context.Context, shopID, refundID string) (marketplace.RefundResult, error) {
	var out struct {
		Refund refund `json:"refund"`
	}
	if err := c.call(ctx, "refund_status", shopID, "taobao.refund.get", url.Values{"refund_id": {refundID}, "fields": {"refund_id,tid,refund_fee,status,reason"}}, false, &out); err != nil {
		return marketplace.RefundResult{}, err
	}
	return out.Refund.result(), nil
}

// IssueCoupon sends a shop coupon to the buyer with out_biz_id = the key.
// The 2021 review rules forbid coupons in exchange for reviews; callers
// never make one conditional.
func (c *Client) IssueCoupon(ctx context.Context, req marketplace.CouponRequest) (marketplace.WriteResult, error) {
	const op = "issue_coupon"
	if req.Amount <= 0 {
		return marketplace.WriteResult{}, marketplace.Invalid(cases.Taobao, op, "bad_request", "coupon needs a positive denomination")
	}
	find := func(ctx context.Context) (string, bool, error) {
		var res struct {
			Coupons struct {
				Coupon []struct {
					CouponID string `json:"coupon_id"`
					OutBizID string `json:"out_biz_id"`
				} `json:"coupon"`
			} `json:"coupons"`
		}
		if err := c.call(ctx, op, req.ShopID, "taobao.promotion.coupon.buyer.search", url.Values{"tid": {req.OrderID}}, false, &res); err != nil {
			return "", false, err
		}
		for _, cp := range res.Coupons.Coupon {
			if cp.OutBizID == req.IdempotencyKey {
				return cp.CouponID, true, nil
			}
		}
		return "", false, nil
	}
	write := func(ctx context.Context) (string, error) {
		var res struct {
			CouponID string `json:"coupon_id"`
		}
		q := url.Values{"tid": {req.OrderID}, "buyer_nick": {req.BuyerID}, "denomination": {req.Amount.String()}, "out_biz_id": {req.IdempotencyKey}}
		err := c.call(ctx, op, req.ShopID, "taobao.promotion.coupon.send", q, true, &res)
		return res.CouponID, err
	}
	return marketplace.WriteOnce(ctx, find, write)
}

// CreateReship records a replacement shipment with out_biz_id = the key.
func (c *Client) CreateReship(ctx context.Context, req marketplace.ReshipRequest) (marketplace.WriteResult, error) {
	const op = "create_reship"
	find := func(ctx context.Context) (string, bool, error) {
		var res struct {
			Reships struct {
				Reship []struct {
					ReshipID string `json:"reship_id"`
					OutBizID string `json:"out_biz_id"`
				} `json:"reship"`
			} `json:"reships"`
		}
		if err := c.call(ctx, op, req.ShopID, "taobao.logistics.reship.list", url.Values{"tid": {req.OrderID}}, false, &res); err != nil {
			return "", false, err
		}
		for _, r := range res.Reships.Reship {
			if r.OutBizID == req.IdempotencyKey {
				return r.ReshipID, true, nil
			}
		}
		return "", false, nil
	}
	write := func(ctx context.Context) (string, error) {
		var res struct {
			ReshipID string `json:"reship_id"`
		}
		err := c.call(ctx, op, req.ShopID, "taobao.logistics.reship.create", url.Values{"tid": {req.OrderID}, "memo": {req.Note}, "out_biz_id": {req.IdempotencyKey}}, true, &res)
		return res.ReshipID, err
	}
	return marketplace.WriteOnce(ctx, find, write)
}

// SubmitAppeal: rate appeals (评价申诉) are filed in the seller centre by a person.
func (c *Client) SubmitAppeal(ctx context.Context, req marketplace.AppealRequest) (marketplace.AppealResult, error) {
	return marketplace.AppealResult{Manual: true, Status: "manual_required"}, nil
}
