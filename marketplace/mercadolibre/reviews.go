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
// cursor (an RFC 3339 time, matched against date_last_updated) and, for those
// whose buyer has rated (feedback.purchase holds an id), reads the feedback
// and keeps negative and neutral ones. A review is identified by its order
// (one buyer feedback per order). The cursor is inclusive, so the newest
// order may be returned again; case ids dedupe it.
func (c *Client) ListNegativeReviews(ctx context.Context, shopID, cursor string) ([]cases.Review, string, error) {
	const op = "list_negative_reviews"
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
		if err := c.get(ctx, op, shopID, "/orders/search?"+q.Encode(), nil, &res); err != nil {
			return nil, cursor, err
		}
		for _, o := range res.Results {
			newest = latest(newest, o.DateLastUpdated)
			if o.Feedback.Purchase == "" {
				continue
			}
			fb, err := c.purchaseFeedback(ctx, op, shopID, string(o.ID))
			if err != nil {
				return nil, cursor, err
			}
			if fb == nil || !visible(fb) || ratingOf(fb.Rating) > 3 {
				continue
			}
			out = append(out, review(shopID, o, fb))
		}
		if (page+1)*pageSize >= res.Paging.Total {
			break
		}
	}
	return out, cursorOf(newest, cursor), nil
}

// visible: every documented feedback is "active"; anything else is treated
// as taken down.
func visible(fb *feedback) bool { return fb.Status == "active" }

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

// purchaseFeedback reads the buyer's feedback on the order (nil if none).
func (c *Client) purchaseFeedback(ctx context.Context, op, shopID, orderID string) (*feedback, error) {
	var res orderFeedback
	if err := c.get(ctx, op, shopID, pathf("/orders/%s/feedback", orderID), nil, &res); err != nil {
		return nil, err
	}
	return res.Purchase, nil
}

// GetReview reads the buyer's feedback on the order reviewID names: its
// current rating and text, and modified, the platform's flag that the buyer
// changed it, so a review changed mid-case is seen.
func (c *Client) GetReview(ctx context.Context, shopID, reviewID string) (marketplace.ReviewState, error) {
	fb, err := c.purchaseFeedback(ctx, "get_review", shopID, reviewID)
	st := marketplace.ReviewState{ReviewID: reviewID, LastReadAt: time.Now().UTC()}
	if me, ok := marketplace.AsError(err); ok && me.Status == 404 {
		st.Removed = true
		return st, nil
	}
	if err != nil {
		return marketplace.ReviewState{}, err
	}
	if fb == nil || !visible(fb) {
		st.Removed = true
		return st, nil
	}
	st.Rating, st.Text, st.UpdatedAt, st.Revised = ratingOf(fb.Rating), fb.Message, fb.DateCreated, fb.Modified
	if fb.Reply != nil {
		st.HasReply, st.ReplyText = true, fb.Reply.Text
	}
	return st, nil
}

// FetchReview turns a notification resource (/orders/{id}/feedback) into the review.
func (c *Client) FetchReview(ctx context.Context, shopID, resource string) (cases.Review, error) {
	const op = "fetch_review"
	orderID, ok := orderFromResource(resource)
	if !ok {
		return cases.Review{}, marketplace.Invalid(cases.MercadoLibre, op, "bad_resource", "resource %q is not an order feedback", resource)
	}
	o, err := c.order(ctx, op, shopID, orderID)
	if err != nil {
		return cases.Review{}, err
	}
	fb, err := c.purchaseFeedback(ctx, op, shopID, orderID)
	if err != nil {
		return cases.Review{}, err
	}
	if fb == nil {
		return cases.Review{}, marketplace.Invalid(cases.MercadoLibre, op, "not_found", "order %s has no buyer feedback", orderID)
	}
	return review(shopID, o, fb), nil
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
			return string(fb.ID), true, nil
		}
		return "", false, marketplace.Invalid(cases.MercadoLibre, op, "already_replied", "the feedback already has a different reply")
	}
	write := func(ctx context.Context) (string, error) {
		err := c.post(ctx, op, req.ShopID, c.cfg.BaseURL+pathf("/feedback/%s/reply", fb.ID), map[string]string{"reply": req.Text}, nil, nil)
		return string(fb.ID), err
	}
	return marketplace.WriteOnce(ctx, find, write)
}
