package activities

import (
	"context"
	"errors"
	"fmt"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/store"
)

// OpeningInput names the shop a new case belongs to.
type OpeningInput struct {
	Marketplace cases.Marketplace `json:"marketplace"`
	ShopID      string            `json:"shop_id"`
}

// Opening is what a new case copies from its shop when it opens: the shop
// (its policy, zone and currency; nil when the shop is not registered) and
// the seller's texts (the shop's display name and templates). The case keeps
// the copy for its whole life — it sits in the case's history — so a later
// change of the shop never rewrites a running or finished case.
type Opening struct {
	Shop  *store.Shop        `json:"shop,omitempty"`
	Texts *cases.SellerTexts `json:"texts,omitempty"`
}

// OpeningSource is the store's side of ReadOpening; *store.Store satisfies it.
type OpeningSource interface {
	ShopForCase(ctx context.Context, m cases.Marketplace, shopID string) (store.Shop, error)
	SellerTemplates(ctx context.Context, m cases.Marketplace, shopID string) ([]cases.SellerTemplate, error)
}

// ReadOpening reads a new case's shop and texts. It runs in the case's first
// workflow task (a local activity), not on the intake's HTTP path: a review
// is accepted while PostgreSQL is away, and its case waits for its shop's
// rules rather than opening with the wrong ones.
func (a *Activities) ReadOpening(ctx context.Context, in OpeningInput) (Opening, error) {
	src, ok := a.Store.(OpeningSource)
	if !ok {
		return Opening{}, nil // a store without shops: the deployment's defaults
	}
	var o Opening
	sh, err := src.ShopForCase(ctx, in.Marketplace, in.ShopID)
	switch {
	case err == nil:
		o.Shop = &sh
	case !errors.Is(err, store.ErrNotFound):
		return o, fmt.Errorf("shop %s/%s: %w", in.Marketplace, in.ShopID, err)
	}
	templates, err := src.SellerTemplates(ctx, in.Marketplace, in.ShopID)
	if err != nil {
		return o, fmt.Errorf("seller templates of %s/%s: %w", in.Marketplace, in.ShopID, err)
	}
	// The shop's display name signs the messages (its id when it has none).
	o.Texts = &cases.SellerTexts{ShopName: in.ShopID, Templates: templates}
	if o.Shop != nil && o.Shop.DisplayName != "" {
		o.Texts.ShopName = o.Shop.DisplayName
	}
	return o, nil
}
