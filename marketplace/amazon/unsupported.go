package amazon

import (
	"context"
	"net/http"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace"
)

// Amazon offers no public replies, no feedback or buyer-message
// notifications, no seller coupons for one buyer, and no seller refund API
// (refunds and concessions are issued in Seller Central). These say so, as
// a permanent error with code not_supported, without calling Amazon; the
// workflow turns them into manual steps (cases.PlatformRules *API flags).

func (c *Client) ParseWebhook(ctx context.Context, r *http.Request, body []byte) ([]marketplace.WebhookEvent, error) {
	return nil, marketplace.NotSupported(cases.Amazon, "parse_webhook", "Amazon sends no review or buyer-message notifications")
}

func (c *Client) PostPublicReply(ctx context.Context, req marketplace.ReplyRequest) (marketplace.WriteResult, error) {
	return marketplace.WriteResult{}, marketplace.NotSupported(cases.Amazon, "post_public_reply", "Amazon has no public reply channel")
}

func (c *Client) IssueCoupon(ctx context.Context, req marketplace.CouponRequest) (marketplace.WriteResult, error) {
	return marketplace.WriteResult{}, marketplace.NotSupported(cases.Amazon, "issue_coupon", "Amazon has no per-buyer coupon API")
}

func (c *Client) IssueRefund(ctx context.Context, req marketplace.RefundRequest) (marketplace.RefundResult, error) {
	return marketplace.RefundResult{}, marketplace.NotSupported(cases.Amazon, "issue_refund", "SP-API has no seller refund operation: refund in Seller Central")
}

func (c *Client) RefundStatus(ctx context.Context, shopID, refundID string) (marketplace.RefundResult, error) {
	return marketplace.RefundResult{}, marketplace.NotSupported(cases.Amazon, "refund_status", "SP-API has no seller refund operation: refunds are tracked in Seller Central")
}

// SubmitAppeal: feedback removal requests are filed by a person in Seller Central.
func (c *Client) SubmitAppeal(ctx context.Context, req marketplace.AppealRequest) (marketplace.AppealResult, error) {
	return marketplace.AppealResult{Manual: true, Status: "manual_required"}, nil
}
