package amazon

import (
	"context"
	"net/http"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace"
)

// Amazon offers no review API, no public replies, no review or buyer-message
// notifications, and no seller coupons for one buyer. These say so, as a
// permanent error with code not_supported, without calling Amazon.

func (c *Client) ParseWebhook(ctx context.Context, r *http.Request, body []byte) ([]marketplace.WebhookEvent, error) {
	return nil, marketplace.NotSupported(cases.Amazon, "parse_webhook", "Amazon sends no review or buyer-message notifications")
}

func (c *Client) ListNegativeReviews(ctx context.Context, shopID, cursor string) ([]cases.Review, string, error) {
	return nil, cursor, marketplace.NotSupported(cases.Amazon, "list_negative_reviews", "Amazon has no API to read reviews")
}

func (c *Client) GetReview(ctx context.Context, shopID, reviewID string) (marketplace.ReviewState, error) {
	return marketplace.ReviewState{}, marketplace.NotSupported(cases.Amazon, "get_review", "Amazon has no API to read reviews")
}

func (c *Client) PostPublicReply(ctx context.Context, req marketplace.ReplyRequest) (marketplace.WriteResult, error) {
	return marketplace.WriteResult{}, marketplace.NotSupported(cases.Amazon, "post_public_reply", "Amazon has no public reply channel")
}

func (c *Client) IssueCoupon(ctx context.Context, req marketplace.CouponRequest) (marketplace.WriteResult, error) {
	return marketplace.WriteResult{}, marketplace.NotSupported(cases.Amazon, "issue_coupon", "Amazon has no per-buyer coupon API")
}

// SubmitAppeal: review and feedback removal requests are filed by a person in Seller Central.
func (c *Client) SubmitAppeal(ctx context.Context, req marketplace.AppealRequest) (marketplace.AppealResult, error) {
	return marketplace.AppealResult{Manual: true, Status: "manual_required"}, nil
}
