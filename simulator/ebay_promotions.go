package simulator

import (
	"net/http"
	"regexp"
	"strings"

	"github.com/redress-hq/redress/cases"
)

// ebayCouponCode: 8–15 letters and digits, at most two dashes.
var ebayCouponCode = regexp.MustCompile(`^[A-Za-z0-9-]{8,15}$`)

// ebayCreatePromotion serves createItemPromotion for CODED_COUPON: the
// fields eBay requires for it, a code unique to the seller, the new id in
// the Location header.
func (s *Simulator) ebayCreatePromotion(w http.ResponseWriter, r *http.Request, shopID string) {
	var body struct {
		Name                string `json:"name"`
		Description         string `json:"description"`
		MarketplaceID       string `json:"marketplaceId"`
		PromotionType       string `json:"promotionType"`
		PromotionStatus     string `json:"promotionStatus"`
		PromotionImageURL   string `json:"promotionImageUrl"`
		StartDate           string `json:"startDate"`
		EndDate             string `json:"endDate"`
		CouponConfiguration struct {
			CouponCode string `json:"couponCode"`
			CouponType string `json:"couponType"`
		} `json:"couponConfiguration"`
		DiscountRules []struct {
			DiscountBenefit struct {
				AmountOffOrder struct {
					Value string `json:"value"`
				} `json:"amountOffOrder"`
			} `json:"discountBenefit"`
			DiscountSpecification map[string]any `json:"discountSpecification"`
		} `json:"discountRules"`
		InventoryCriterion struct {
			InventoryCriterionType string `json:"inventoryCriterionType"`
		} `json:"inventoryCriterion"`
	}
	if !readJSON(w, r, &body, ebayFault) {
		return
	}
	code := body.CouponConfiguration.CouponCode
	switch {
	case body.PromotionType != "CODED_COUPON" || body.CouponConfiguration.CouponType == "":
		ebayError(w, 400, 38201, "REQUEST", "a CODED_COUPON with a couponType is required")
		return
	case !ebayCouponCode.MatchString(code) || strings.Count(code, "-") > 2:
		ebayError(w, 400, 38204, "REQUEST", "couponCode must be 8-15 alphanumeric characters")
		return
	case body.Description == "" || body.PromotionImageURL == "" || body.MarketplaceID == "" || body.StartDate == "" || body.EndDate == "":
		ebayError(w, 400, 38205, "REQUEST", "description, promotionImageUrl, marketplaceId, startDate and endDate are required for CODED_COUPON")
		return
	case body.PromotionStatus != "DRAFT" && body.PromotionStatus != "SCHEDULED":
		ebayError(w, 400, 38206, "REQUEST", "promotionStatus must be DRAFT or SCHEDULED")
		return
	case len(body.DiscountRules) == 0 || body.DiscountRules[0].DiscountSpecification == nil || body.InventoryCriterion.InventoryCriterionType == "":
		ebayError(w, 400, 38207, "REQUEST", "discountRules need discountBenefit and discountSpecification; inventoryCriterion is required")
		return
	}
	amount, err := cases.ParseMoney(body.DiscountRules[0].DiscountBenefit.AmountOffOrder.Value)
	if err != nil || amount < 500 {
		ebayError(w, 400, 38202, "REQUEST", "invalid amountOffOrder")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range s.couponsOf(cases.EBay, "shop:"+shopID) {
		if c.Code == code {
			ebayError(w, 409, 38203, "REQUEST", "couponCode already exists")
			return
		}
	}
	c := s.addCoupon(cases.EBay, shopID, "shop:"+shopID, "", code, amount, code)
	w.Header().Set("Location", "/sell/marketing/v1/item_promotion/"+c.ID)
	writeJSON(w, 201, map[string]any{})
}

// ebayPromotions serves getPromotions: q matches the promotion's name.
func (s *Simulator) ebayPromotions(w http.ResponseWriter, r *http.Request, shopID string) {
	q := r.URL.Query()
	if q.Get("marketplace_id") == "" {
		ebayError(w, 400, 38100, "REQUEST", "marketplace_id is required")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	list := []any{}
	for _, c := range s.couponsOf(cases.EBay, "shop:"+shopID) {
		if strings.Contains(c.Code, q.Get("q")) {
			list = append(list, map[string]any{"promotionId": c.ID, "name": c.Code, "promotionType": "CODED_COUPON", "couponCode": c.Code,
				"promotionStatus": "SCHEDULED", "marketplaceId": q.Get("marketplace_id")})
		}
	}
	writeJSON(w, 200, map[string]any{"promotions": list, "total": len(list), "limit": 200, "offset": 0})
}
