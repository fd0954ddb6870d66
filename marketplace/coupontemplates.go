package marketplace

import (
	"fmt"
	"strings"

	"github.com/redress-hq/redress/cases"
)

// CouponTemplate is a coupon a seller created in advance on a platform whose
// API can only send existing coupons (Taobao: taobao.promotion.coupon.send
// takes a coupon_id, not an amount).
type CouponTemplate struct {
	ShopID       string
	Denomination cases.Money
	CouponID     string
}

// ParseCouponTemplates reads "shop:denomination=coupon_id" entries separated
// by commas (TAOBAO_COUPON_TEMPLATES), e.g. "demo-shop:5=1001,demo-shop:10.00=1002".
func ParseCouponTemplates(s string) ([]CouponTemplate, error) {
	var out []CouponTemplate
	for _, entry := range strings.Split(s, ",") {
		entry = strings.TrimSpace(entry)
		if entry == "" {
			continue
		}
		left, id, ok := strings.Cut(entry, "=")
		i := strings.LastIndex(left, ":")
		if !ok || i <= 0 || strings.TrimSpace(id) == "" {
			return nil, fmt.Errorf("coupon template %q: want shop:denomination=coupon_id", entry)
		}
		amount, err := cases.ParseMoney(left[i+1:])
		if err != nil || amount <= 0 {
			return nil, fmt.Errorf("coupon template %q: denomination must be a positive amount", entry)
		}
		out = append(out, CouponTemplate{ShopID: left[:i], Denomination: amount, CouponID: strings.TrimSpace(id)})
	}
	return out, nil
}
