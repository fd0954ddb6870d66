package simulator

import (
	"sort"
	"strings"
	"unicode"

	"github.com/redress-hq/redress/cases"
)

// addCoupon records a coupon; callers hold s.mu.
func (s *Simulator) addCoupon(m cases.Marketplace, shopID, orderID, buyerID, code string, amount cases.Money, ref string) *Coupon {
	c := &Coupon{ID: s.newID("C"), OrderID: orderID, BuyerID: buyerID, Code: code, Amount: amount, Reference: ref}
	k := key(m, orderID)
	s.coupons[k] = append(s.coupons[k], c)
	s.record(LedgerEntry{Platform: m, ShopID: shopID, Kind: LedgerCoupon, Ref: ref, ID: c.ID, OrderID: orderID, Payload: code + " " + amount.String()})
	return c
}

func (s *Simulator) couponsOf(m cases.Marketplace, orderID string) []*Coupon {
	return append([]*Coupon{}, s.coupons[key(m, orderID)]...)
}

// addReship records a replacement shipment; callers hold s.mu.
func (s *Simulator) addReship(m cases.Marketplace, shopID, orderID, ref, note string) *Reship {
	rs := &Reship{ID: s.newID("R"), OrderID: orderID, Reference: ref, Note: note}
	k := key(m, orderID)
	s.reships[k] = append(s.reships[k], rs)
	s.record(LedgerEntry{Platform: m, ShopID: shopID, Kind: LedgerReship, Ref: ref, ID: rs.ID, OrderID: orderID, Payload: note})
	return rs
}

func (s *Simulator) reshipsOf(m cases.Marketplace, orderID string) []*Reship {
	return append([]*Reship{}, s.reships[key(m, orderID)]...)
}

func sortReviews(rs []*Review) {
	sort.Slice(rs, func(i, j int) bool {
		if !rs[i].UpdatedAt.Equal(rs[j].UpdatedAt) {
			return rs[i].UpdatedAt.Before(rs[j].UpdatedAt)
		}
		return rs[i].ID < rs[j].ID
	})
}

// moderationReason mimics Mercado Libre's message moderation: contact data
// and links are rejected.
func moderationReason(text string) string {
	lower := strings.ToLower(text)
	switch {
	case strings.Contains(lower, "http") || strings.Contains(lower, "www."):
		return "SOCIAL_NETWORK_LINK"
	case strings.Contains(lower, "@") || digitRun(lower) >= 8:
		return "PERSONAL_DATA"
	}
	return ""
}

func digitRun(s string) int {
	best, cur := 0, 0
	for _, r := range s {
		if unicode.IsDigit(r) {
			cur++
			best = max(best, cur)
		} else if r != ' ' && r != '-' {
			cur = 0
		}
	}
	return best
}
