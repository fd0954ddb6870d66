package amazon

import (
	"context"
	"net/http"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace"
)

// Rate-limit buckets of the Solicitations API (solicitations.json: 1 per second, burst 5).
const (
	bucketSolicitationActions = "getSolicitationActionsForOrder"
	bucketSolicitationCreate  = "createProductReviewAndSellerFeedbackSolicitation"
)

// solicitationAction is the one solicitation type the API offers.
const solicitationAction = "productReviewAndSellerFeedback"

// SolicitationAvailable reads getSolicitationActionsForOrder: whether
// Amazon offers the review-and-feedback solicitation for the order now
// (Amazon decides: once per order, 5–30 days after delivery). Once sent it is
// no longer offered, which makes this call the write's read-back.
func (c *Client) SolicitationAvailable(ctx context.Context, shopID, orderID string) (bool, error) {
	var res struct {
		Links struct {
			Actions []struct {
				Name string `json:"name"`
			} `json:"actions"`
		} `json:"_links"`
	}
	k := call{op: "solicitation_actions", bucket: bucketSolicitationActions, method: http.MethodGet,
		url: c.url("/solicitations/v1/orders/%s", orderID) + c.marketplaceQuery(), accept: halJSON}
	if err := c.do(ctx, shopID, k, &res); err != nil {
		return false, err
	}
	for _, a := range res.Links.Actions {
		if a.Name == solicitationAction {
			return true, nil
		}
	}
	return false, nil
}

// RequestReviewSolicitation sends Amazon's own review-and-feedback request
// (createProductReviewAndSellerFeedbackSolicitation): no text of ours, so
// nothing can ask for a good review. A lost answer is read back: the action
// no longer offered means it went out; still offered means it did not, and
// the send is retried.
func (c *Client) RequestReviewSolicitation(ctx context.Context, shopID, orderID, idempotencyKey string) (marketplace.WriteResult, error) {
	id := marketplace.JoinID(orderID, solicitationAction)
	find := func(ctx context.Context) (string, bool, error) {
		avail, err := c.SolicitationAvailable(ctx, shopID, orderID)
		if err != nil {
			return "", false, err
		}
		if !avail {
			return "", false, marketplace.Invalid(cases.Amazon, "solicitation", "solicitation_unavailable",
				"Amazon does not offer the solicitation for order %s now (already sent, or outside its window)", orderID)
		}
		return "", false, nil
	}
	write := func(ctx context.Context) (string, error) {
		k := call{op: "solicitation", bucket: bucketSolicitationCreate, method: http.MethodPost, accept: halJSON,
			url: c.url("/solicitations/v1/orders/%s/solicitations/%s", orderID, solicitationAction) + c.marketplaceQuery()}
		if err := c.do(ctx, shopID, k, nil); err != nil {
			if me, ok := marketplace.AsError(err); ok && me.Class == cases.ErrAmbiguous {
				if avail, rerr := c.SolicitationAvailable(ctx, shopID, orderID); rerr == nil && !avail {
					return id, nil // the answer was lost, the solicitation went out
				}
			}
			return "", err
		}
		return id, nil
	}
	return marketplace.WriteOnce(ctx, find, write)
}

var _ marketplace.Solicitor = (*Client)(nil)
