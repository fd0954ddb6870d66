package ebay

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"path"
	"time"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace"
)

// amountsOffOrder are the values eBay accepts for discountBenefit.amountOffOrder.
var amountsOffOrder = []cases.Money{500, 600, 700, 800, 900, 1000, 1500, 2000, 2500, 3000, 3500, 4000, 4500, 5000, 5500, 6000,
	6500, 7000, 7500, 8000, 8500, 9000, 9500, 10000, 11000, 12000, 12500, 15000, 20000, 25000}

// couponBudget is the smallest CODED_COUPON budget eBay accepts (100–1000000).
const couponBudget = "100"

// couponValidity is how long the coupon can be redeemed.
const couponValidity = 90 * 24 * time.Hour

// couponAmount is the smallest accepted amount off an order not below want:
// the offer told the buyer at least that much, so never round down.
func couponAmount(want cases.Money) (cases.Money, bool) {
	for _, a := range amountsOffOrder {
		if a >= want {
			return a, true
		}
	}
	return 0, false
}

// IssueCoupon creates a private coded coupon (createItemPromotion, CODED_COUPON)
// whose code derives from the key, so getPromotions finds an earlier one.
// Private coupons are not bound to a buyer: anyone with the code may use it
// once; the message to the buyer carries it.
func (c *Client) IssueCoupon(ctx context.Context, req marketplace.CouponRequest) (marketplace.WriteResult, error) {
	const op = "issue_coupon"
	if req.Amount <= 0 || req.Currency == "" || req.IdempotencyKey == "" {
		return marketplace.WriteResult{}, marketplace.Invalid(cases.EBay, op, "bad_request", "coupon needs a positive amount, a currency and an idempotency key")
	}
	off, ok := couponAmount(req.Amount)
	if !ok {
		return marketplace.WriteResult{}, marketplace.Invalid(cases.EBay, op, "coupon_amount", "eBay coupons take at most 250.00 off an order, asked %s", req.Amount)
	}
	if c.cfg.PromotionImageURL == "" {
		return marketplace.WriteResult{}, marketplace.Invalid(cases.EBay, op, "not_configured", "eBay requires a promotion image: set EBAY_PROMOTION_IMAGE_URL")
	}
	code := marketplace.ShortRef("RD", req.IdempotencyKey, 12) // 8–15 letters and digits
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
		start := time.Now().UTC()
		money := func(m cases.Money) amount { return amount{Value: m.String(), Currency: req.Currency} }
		body := map[string]any{
			"name": code, "description": "A thank-you from the seller", "marketplaceId": c.cfg.MarketplaceID,
			"promotionType": "CODED_COUPON", "promotionStatus": "SCHEDULED", "promotionImageUrl": c.cfg.PromotionImageURL,
			"startDate": start.Format(time.RFC3339), "endDate": start.Add(couponValidity).Format(time.RFC3339),
			"budget":              amount{Value: couponBudget, Currency: req.Currency},
			"couponConfiguration": map[string]any{"couponCode": code, "couponType": "PRIVATE_SINGLE_SELLER_COUPON", "maxCouponRedemptionPerUser": 1},
			"discountRules": []any{map[string]any{
				"discountBenefit":       map[string]any{"amountOffOrder": money(off)},
				"discountSpecification": map[string]any{"minQuantity": 1},
			}},
			"inventoryCriterion": map[string]any{"inventoryCriterionType": "INVENTORY_ANY"},
		}
		data, err := json.Marshal(body)
		if err != nil {
			return "", marketplace.Invalid(cases.EBay, op, "bad_request", "encode body: %v", err)
		}
		resp, err := c.rest.Call(ctx, marketplace.Request{Op: op, ShopID: req.ShopID, Method: http.MethodPost,
			URL: c.url("/sell/marketing/v1/item_promotion"), Body: data, Write: true}, nil)
		if err != nil {
			return "", err
		}
		// The promotion id is only in the Location header (…/item_promotion/{id}).
		if loc := resp.Header.Get("Location"); loc != "" {
			return path.Base(loc), nil
		}
		id, _, err := find(ctx)
		return id, err
	}
	return marketplace.WriteOnce(ctx, find, write)
}
