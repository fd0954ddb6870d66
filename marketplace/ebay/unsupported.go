package ebay

import (
	"context"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace"
)

// CreateReship: eBay has no API to send a replacement (createShippingFulfillment
// only marks line items shipped); a person ships it and confirms.
func (c *Client) CreateReship(ctx context.Context, req marketplace.ReshipRequest) (marketplace.WriteResult, error) {
	return marketplace.WriteResult{}, marketplace.NotSupported(cases.EBay, "create_reship", "eBay has no reship API")
}

// SubmitAppeal: feedback removal requests go through eBay's seller help; a person files them.
func (c *Client) SubmitAppeal(ctx context.Context, req marketplace.AppealRequest) (marketplace.AppealResult, error) {
	return marketplace.AppealResult{Manual: true, Status: "manual_required"}, nil
}
