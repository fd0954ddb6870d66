package mercadolibre

import (
	"context"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace"
)

// Mercado Libre publishes no API for a seller's coupon to one buyer, for a
// replacement shipment, or for feedback appeals: these are manual steps in
// the seller console, and the connector says so without calling anything.

func (c *Client) IssueCoupon(ctx context.Context, req marketplace.CouponRequest) (marketplace.WriteResult, error) {
	return marketplace.WriteResult{}, marketplace.NotSupported(cases.MercadoLibre, "issue_coupon", "Mercado Libre has no public per-buyer coupon API")
}

func (c *Client) CreateReship(ctx context.Context, req marketplace.ReshipRequest) (marketplace.WriteResult, error) {
	return marketplace.WriteResult{}, marketplace.NotSupported(cases.MercadoLibre, "create_reship", "Mercado Libre has no public replacement-shipment API")
}

// SubmitAppeal: a person files the feedback appeal.
func (c *Client) SubmitAppeal(ctx context.Context, req marketplace.AppealRequest) (marketplace.AppealResult, error) {
	return marketplace.AppealResult{Manual: true, Status: "manual_required"}, nil
}
