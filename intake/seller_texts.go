package intake

import (
	"context"

	"github.com/redress-hq/redress/cases"
)

// SellerTextsSource gives a new case its seller's templates and the shop's
// display name; *store.Store satisfies it.
type SellerTextsSource interface {
	SellerTexts(ctx context.Context, m cases.Marketplace, shopID string) (cases.SellerTexts, error)
}

// sellerTexts reads what the review's case opens with. Without a source, or
// when it cannot be read, the case opens with the shipped texts: a review
// is never held back for its wording.
func (a *Activities) sellerTexts(ctx context.Context, r cases.Review) *cases.SellerTexts {
	if a.Texts == nil {
		return nil
	}
	t, err := a.Texts.SellerTexts(ctx, r.Marketplace, r.ShopID)
	if err != nil {
		if a.Logger != nil {
			a.Logger.WarnContext(ctx, "seller texts unavailable, using the shipped ones", "marketplace", r.Marketplace, "shop", r.ShopID, "error", err)
		}
		return nil
	}
	return &t
}
