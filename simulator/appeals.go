package simulator

import (
	"github.com/redress-hq/redress/cases"
)

// Appeal is a review appeal a person filed in the seller centre: no
// platform Redress supports has an appeal API, so the simulator records the
// manual filing (POST /_sim/appeals) and its decision.
type Appeal struct {
	ID        string            `json:"id"`
	Platform  cases.Marketplace `json:"platform"`
	ShopID    string            `json:"shop_id"`
	ReviewID  string            `json:"review_id"`
	Statement string            `json:"statement"`
	// Reference ties the filing to the case step that asked for it.
	Reference string `json:"reference"`
}

// FileAppeal records a manually filed appeal. A won appeal is played out
// with RemoveReview.
func (s *Simulator) FileAppeal(a Appeal) (Appeal, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rv, ok := s.reviews[key(a.Platform, a.ReviewID)]
	if !ok || rv.ShopID != a.ShopID {
		return Appeal{}, ErrNotFound
	}
	a.ID = s.newID("AP")
	s.record(LedgerEntry{Platform: a.Platform, ShopID: a.ShopID, Kind: LedgerAppeal, Ref: a.Reference, ID: a.ID, OrderID: rv.OrderID, ReviewID: rv.ID, Payload: a.Statement})
	return a, nil
}

// findReview locates a review by id alone (ids are unique across
// platforms in one simulator); callers hold s.mu.
func (s *Simulator) findReview(id string) (*Review, bool) {
	for _, m := range cases.Marketplaces {
		if r, ok := s.reviews[key(m, id)]; ok {
			return r, true
		}
	}
	return nil, false
}

// PlatformOfReview returns the platform a review id belongs to.
func (s *Simulator) PlatformOfReview(id string) (cases.Marketplace, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.findReview(id)
	if !ok {
		return "", false
	}
	return r.Platform, true
}
