package mercadolibre

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace"
)

const pageSize = 50

// maxPages bounds one poll; the cursor resumes where it stopped.
const maxPages = 20

// ListNegativeReviews pages through the seller's orders updated since the
// cursor (an RFC 3339 time) and returns those whose buyer feedback is
// negative or neutral. A review is identified by its order (one buyer
// feedback per order). The cursor is inclusive, so the newest review may be
// returned again; case ids are derived from the review and dedupe it.
func (c *Client) ListNegativeReviews(ctx context.Context, shopID, cursor string) ([]cases.Review, string, error) {
	newest, _ := time.Parse(time.RFC3339Nano, cursor)
	var out []cases.Review
	for page := 0; page < maxPages; page++ {
		q := url.Values{"seller": {shopID}, "sort": {"date_asc"}, "offset": {strconv.Itoa(page * pageSize)}, "limit": {strconv.Itoa(pageSize)}}
		if cursor != "" {
			q.Set("order.date_last_updated.from", cursor)
		}
		var res struct {
			Results []order `json:"results"`
			Paging  struct {
				Total int `json:"total"`
			} `json:"paging"`
		}
		if err := c.get(ctx, "list_negative_reviews", shopID, "/orders/search?"+q.Encode(), &res); err != nil {
			return nil, cursor, err
		}
		for _, o := range res.Results {
			fb := o.Feedback.Purchase
			if fb == nil {
				continue
			}
			newest = latest(newest, latest(fb.DateCreated, fb.DateModified))
			if fb.Status == "hidden" || ratingOf(fb.Rating) > 3 {
				continue
			}
			out = append(out, o.review(shopID))
		}
		if (page+1)*pageSize >= res.Paging.Total {
			break
		}
	}
	return out, cursorOf(newest, cursor), nil
}

// cursorOf renders the newest time seen, or keeps the old cursor if none was.
func cursorOf(newest time.Time, old string) string {
	if newest.IsZero() {
		return old
	}
	return newest.UTC().Format(time.RFC3339Nano)
}

func latest(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

func (c *Client) purchaseFeedback(ctx context.Context, op, shopID, orderID string) (*feedback, error) {
	var res struct {
		Purchase *feedback `json:"purchase"`
	}
	if err := c.get(ctx, op, shopID, pathf("/orders/%s/feedback", orderID), &res); err != nil {
		return nil, err
	}
	return res.Purchase, nil
}

// GetReview reads the buyer's feedback on the order reviewID names.
func (c *Client) GetReview(ctx context.Context, shopID, reviewID string) (marketplace.ReviewState, error) {
	fb, err := c.purchaseFeedback(ctx, "get_review", shopID, reviewID)
	if me, ok := marketplace.AsError(err); ok && me.Status == 404 {
		return marketplace.ReviewState{ReviewID: reviewID, Removed: true, LastReadAt: time.Now().UTC()}, nil
	}
	if err != nil {
		return marketplace.ReviewState{}, err
	}
	st := marketplace.ReviewState{ReviewID: reviewID, LastReadAt: time.Now().UTC()}
	if fb == nil || fb.Status == "hidden" {
		st.Removed = true
		return st, nil
	}
	st.Rating, st.Text, st.UpdatedAt = ratingOf(fb.Rating), fb.Message, latest(fb.DateCreated, fb.DateModified)
	st.Revised = fb.DateModified.After(fb.DateCreated)
	if fb.Reply != nil {
		st.HasReply, st.ReplyText = true, fb.Reply.Text
	}
	return st, nil
}

// FetchReview turns a notification resource (/orders/{id}/feedback) into the review.
func (c *Client) FetchReview(ctx context.Context, shopID, resource string) (cases.Review, error) {
	orderID, ok := orderFromResource(resource)
	if !ok {
		return cases.Review{}, marketplace.Invalid(cases.MercadoLibre, "fetch_review", "bad_resource", "resource %q is not an order feedback", resource)
	}
	var o order
	if err := c.get(ctx, "fetch_review", shopID, pathf("/orders/%s", orderID), &o); err != nil {
		return cases.Review{}, err
	}
	if o.Feedback.Purchase == nil {
		return cases.Review{}, marketplace.Invalid(cases.MercadoLibre, "fetch_review", "not_found", "order %s has no buyer feedback", orderID)
	}
	return o.review(shopID), nil
}

func orderFromResource(resource string) (string, bool) {
	rest, ok := strings.CutPrefix(resource, "/orders/")
	if !ok {
		return "", false
	}
	id, _, _ := strings.Cut(rest, "/")
	return id, id != ""
}

// PostPublicReply answers the buyer's feedback. One reply per feedback: a
// reply already there with the same text is this write, replayed.
func (c *Client) PostPublicReply(ctx context.Context, req marketplace.ReplyRequest) (marketplace.WriteResult, error) {
	const op = "post_public_reply"
	if n := utf8.RuneCountInString(req.Text); n == 0 || n >= 160 {
		return marketplace.WriteResult{}, marketplace.Invalid(cases.MercadoLibre, op, "text_length", "reply must be 1–159 characters, got %d", n)
	}
	orderID := req.ReviewID
	var fb *feedback
	find := func(ctx context.Context) (string, bool, error) {
		var err error
		fb, err = c.purchaseFeedback(ctx, op, req.ShopID, orderID)
		if err != nil {
			return "", false, err
		}
		if fb == nil {
			return "", false, marketplace.Invalid(cases.MercadoLibre, op, "not_found", "order %s has no buyer feedback", orderID)
		}
		if fb.Reply == nil {
			return "", false, nil
		}
		if fb.Reply.Text == req.Text {
			return fb.ID, true, nil
		}
		return "", false, marketplace.Invalid(cases.MercadoLibre, op, "already_replied", "the feedback already has a different reply")
	}
	write := func(ctx context.Context) (string, error) {
		err := c.post(ctx, op, req.ShopID, c.cfg.BaseURL+pathf("/feedback/%s/reply", fb.ID), map[string]string{"reply": req.Text}, nil, nil)
		return fb.ID, err
	}
	return marketplace.WriteOnce(ctx, find, write)
}
