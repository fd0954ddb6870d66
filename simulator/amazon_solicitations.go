package simulator

import (
	"net/http"
	"time"

	"github.com/redress-hq/redress/cases"
)

// LedgerSolicitation is Amazon's review-and-feedback solicitation.
const LedgerSolicitation LedgerKind = "solicitation"

// Amazon offers productReviewAndSellerFeedback once per order, 5–30 days
// after delivery (solicitations.json).
const (
	amazonSolicitFrom  = 5 * 24 * time.Hour
	amazonSolicitUntil = 30 * 24 * time.Hour
)

// amazonSolicitable says whether Amazon offers the solicitation now; callers hold s.mu.
func (s *Simulator) amazonSolicitable(o *Order) bool {
	if o.DeliveredAt == nil || o.Solicited {
		return false
	}
	since := s.now().Sub(*o.DeliveredAt)
	return since >= amazonSolicitFrom && since < amazonSolicitUntil
}

// amazonSolicitationActions serves getSolicitationActionsForOrder.
func (s *Simulator) amazonSolicitationActions(w http.ResponseWriter, r *http.Request, shopID string) {
	s.amazonActions(w, r, shopID, "/solicitations/v1/orders/", amazonHALError, func(o *Order) []string {
		if !s.amazonSolicitable(o) {
			return nil
		}
		return []string{"solicitations/productReviewAndSellerFeedback"}
	})
}

// amazonSolicit serves createProductReviewAndSellerFeedbackSolicitation: once, in the window.
func (s *Simulator) amazonSolicit(w http.ResponseWriter, r *http.Request, shopID string) {
	if r.URL.Query().Get("marketplaceIds") == "" {
		amazonHALError(w, 400, "InvalidInput", "marketplaceIds is required")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.amazonOrderOf(w, shopID, r.PathValue("id"))
	if !ok {
		return
	}
	if !s.amazonSolicitable(o) {
		amazonHALError(w, 403, "Unauthorized", "this solicitation is not available for the order")
		return
	}
	o.Solicited = true
	s.record(LedgerEntry{Platform: cases.Amazon, ShopID: shopID, Kind: LedgerSolicitation, Ref: o.ID, ID: o.ID, OrderID: o.ID})
	writeHAL(w, 201, map[string]any{})
}

// amazonHALError is SP-API's error list in the media type the Solicitations
// model produces (application/hal+json).
func amazonHALError(w http.ResponseWriter, status int, code, message string) {
	writeHAL(w, status, map[string]any{"errors": []any{map[string]any{"code": code, "message": message, "details": ""}}})
}

// BackdateDelivery moves an order's delivery into the past (e.g. into
// Amazon's solicitation window), for tests.
func (s *Simulator) BackdateDelivery(platform cases.Marketplace, orderID string, by time.Duration) error {
	return s.moveOrder(platform, orderID, func(o *Order, now time.Time) {
		at := now.Add(-by)
		o.DeliveredAt = &at
	})
}
