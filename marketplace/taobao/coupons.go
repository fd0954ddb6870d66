package taobao

import (
	"context"
	"net/url"
	"slices"
	"strings"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace"
)

// couponResult is taobao.promotion.coupon.send's answer. is_success is true
// even when every buyer failed: failure_buyers says who.
type couponResult struct {
	IsSuccess     bool `json:"is_success"`
	FailureBuyers topList[struct {
		BuyerNick string `json:"buyer_nick"`
		Reason    string `json:"reason"`
	}] `json:"failure_buyers"`
	CouponResults topList[struct {
		CouponNumber flexID `json:"coupon_number"`
		BuyerNick    string `json:"buyer_nick"`
	}] `json:"coupon_results"`
}

// template finds the shop's smallest prepared coupon worth at least amount
// (coupon.send can only send a coupon the seller created beforehand; the
// offer promised at least that much, so never less).
func (c *Client) template(shopID string, amount cases.Money) (string, []string) {
	var have []string
	var best *marketplace.CouponTemplate
	for i, t := range c.cfg.CouponTemplates {
		if t.ShopID != shopID {
			continue
		}
		have = append(have, t.Denomination.String())
		if t.Denomination >= amount && (best == nil || t.Denomination < best.Denomination) {
			best = &c.cfg.CouponTemplates[i]
		}
	}
	if best != nil {
		return best.CouponID, nil
	}
	slices.Sort(have)
	return "", have
}

// IssueCoupon sends the shop's coupon template of the requested denomination
// to the buyer (taobao.promotion.coupon.send with coupon_id and buyer_nick).
// TOP has no way to list the coupons a buyer received, so a lost answer
// cannot be checked: it is ambiguous_write with code unverifiable_write, for
// a person to look in the seller centre, never retried automatically.
// The 2021 review rules forbid coupons in exchange for reviews; callers never
// make one conditional.
func (c *Client) IssueCoupon(ctx context.Context, req marketplace.CouponRequest) (marketplace.WriteResult, error) {
	const op = "issue_coupon"
	if req.Amount <= 0 || req.BuyerID == "" {
		return marketplace.WriteResult{}, marketplace.Invalid(cases.Taobao, op, "bad_request", "a coupon needs a positive denomination and the buyer's nick")
	}
	couponID, have := c.template(req.ShopID, req.Amount)
	if couponID == "" {
		return marketplace.WriteResult{}, marketplace.Invalid(cases.Taobao, op, "no_coupon_template",
			"shop %s has no coupon template worth at least ¥%s (configured: %s): create a shop coupon of ¥%s in the seller centre and add %s:%s=<coupon_id> to TAOBAO_COUPON_TEMPLATES, or choose a configured amount",
			req.ShopID, req.Amount, orNone(have), req.Amount, req.ShopID, req.Amount)
	}
	var res couponResult
	err := c.call(ctx, op, req.ShopID, "taobao.promotion.coupon.send", url.Values{"coupon_id": {couponID}, "buyer_nick": {req.BuyerID}}, true, &res)
	if me, ok := marketplace.AsError(err); ok && me.Class == cases.ErrAmbiguous {
		me.Code = marketplace.CodeUnverifiable
	}
	if err != nil {
		return marketplace.WriteResult{}, err
	}
	for _, f := range res.FailureBuyers {
		if f.BuyerNick == req.BuyerID {
			return marketplace.WriteResult{}, marketplace.Invalid(cases.Taobao, op, "coupon_refused", "Taobao did not send coupon %s to %s: %s", couponID, req.BuyerID, f.Reason)
		}
	}
	for _, r := range res.CouponResults {
		if r.BuyerNick == req.BuyerID {
			return marketplace.WriteResult{ID: string(r.CouponNumber)}, nil
		}
	}
	if !res.IsSuccess {
		return marketplace.WriteResult{}, marketplace.Invalid(cases.Taobao, op, "coupon_refused", "Taobao answered is_success=false for coupon %s", couponID)
	}
	return marketplace.WriteResult{ID: marketplace.JoinID(couponID, req.BuyerID)}, nil
}

func orNone(list []string) string {
	if len(list) == 0 {
		return "none"
	}
	return strings.Join(list, ", ")
}
