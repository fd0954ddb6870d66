package activities

import (
	"context"

	"github.com/redress-hq/redress/marketplace"
)

// GatherEvidence reads order, tracking, chat and claims for verification.
func (a *Activities) GatherEvidence(ctx context.Context, in OrderInput) (marketplace.Evidence, error) {
	c, err := a.connector(in.Marketplace)
	if err != nil {
		return marketplace.Evidence{}, err
	}
	ev, err := c.GetEvidence(ctx, in.ShopID, in.OrderID)
	return ev, marketError(ctx, "get_evidence", err)
}

// MessageEligibility asks whether the seller may message the buyer now.
func (a *Activities) MessageEligibility(ctx context.Context, in OrderInput) (marketplace.Eligibility, error) {
	c, err := a.connector(in.Marketplace)
	if err != nil {
		return marketplace.Eligibility{}, err
	}
	el, err := c.MessageEligibility(ctx, in.ShopID, in.OrderID)
	return el, marketError(ctx, "message_eligibility", err)
}

// GetReview reads the review as it stands now (revision, removal, 追评, reply).
func (a *Activities) GetReview(ctx context.Context, in ReviewInput) (marketplace.ReviewState, error) {
	c, err := a.connector(in.Marketplace)
	if err != nil {
		return marketplace.ReviewState{}, err
	}
	st, err := c.GetReview(ctx, in.ShopID, in.ReviewID)
	return st, marketError(ctx, "get_review", err)
}
