package ebay

import (
	"context"
	"net/url"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace"
)

// feedbackDetail is the part of the Feedback API's FeedbackDetail Redress reads.
type feedbackDetail struct {
	FeedbackID          string    `json:"feedbackId"`
	CommentType         string    `json:"commentType"` // POSITIVE, NEUTRAL, NEGATIVE
	FeedbackState       string    `json:"feedbackState"`
	FeedbackEnteredDate time.Time `json:"feedbackEnteredDate"`
	FeedbackComment     *comment  `json:"feedbackComment"`
	ReplyComment        *comment  `json:"replyComment"`
	ProviderUserDetail  struct {
		UserID string `json:"userId"`
	} `json:"providerUserDetail"`
	OrderLineItemSummary struct {
		OrderLineItemID string `json:"orderLineItemId"`
		ListingID       string `json:"listingId"`
		ListingPrice    *struct {
			Currency string  `json:"currency"`
			Value    float64 `json:"value"`
		} `json:"listingPrice"`
	} `json:"orderLineItemSummary"`
}

type comment struct {
	CommentText string `json:"commentText"`
}

func (c *comment) text() string {
	if c == nil {
		return ""
	}
	return c.CommentText
}

// ratingOf maps eBay's comment type onto stars; ok is false for positive or
// unknown types, which never become cases.
func ratingOf(commentType string) (rating int, negative bool) {
	switch commentType {
	case "NEGATIVE":
		return 1, true
	case "NEUTRAL":
		return 3, true
	}
	return 5, false
}

// getFeedback pages: limit is 25–200.
const (
	pageSize = 200
	maxPages = 20
)

// feedbackPages reads feedback received by the shop, newest first, until a
// page ends before `since` (zero: read up to maxPages pages).
func (c *Client) feedbackPages(ctx context.Context, op, shopID, filter string, since time.Time) ([]feedbackDetail, error) {
	var out []feedbackDetail
	for page := 0; page < maxPages; page++ {
		q := url.Values{"user_id": {shopID}, "feedback_type": {"FEEDBACK_RECEIVED"}, "filter": {filter}, "sort": {"TIME"},
			"limit": {strconv.Itoa(pageSize)}, "offset": {strconv.Itoa(page * pageSize)}}
		res, err := c.getFeedback(ctx, op, shopID, q)
		if err != nil {
			return nil, err
		}
		older := false
		for _, f := range res.FeedbackEntries {
			if f.FeedbackEnteredDate.Before(since) {
				older = true
				continue
			}
			out = append(out, f)
		}
		if older || (page+1)*pageSize >= res.Pagination.Total {
			break
		}
	}
	return out, nil
}

type feedbackPage struct {
	FeedbackEntries []feedbackDetail `json:"feedbackEntries"`
	Pagination      struct {
		Total int `json:"total"`
	} `json:"pagination"`
}

func (c *Client) getFeedback(ctx context.Context, op, shopID string, q url.Values) (feedbackPage, error) {
	var res feedbackPage
	err := c.rest.Get(ctx, op, shopID, c.url("/commerce/feedback/v1/feedback")+"?"+q.Encode(), &res)
	return res, err
}

// ListNegativeReviews reads negative and neutral feedback received since the
// cursor (RFC 3339 of the newest feedbackEnteredDate seen, inclusive: case
// ids dedupe a repeat). eBay filters by one comment type per call; the
// comment type is checked again here, so positive feedback never opens a case.
func (c *Client) ListNegativeReviews(ctx context.Context, shopID, cursor string) ([]cases.Review, string, error) {
	const op = "list_negative_reviews"
	since, _ := time.Parse(time.RFC3339Nano, cursor)
	newest := since
	var out []cases.Review
	for _, filter := range []string{"commentType:NEGATIVE", "commentType:NEUTRAL"} {
		entries, err := c.feedbackPages(ctx, op, shopID, filter, since)
		if err != nil {
			return nil, cursor, err
		}
		for _, f := range entries {
			if _, negative := ratingOf(f.CommentType); !negative {
				continue
			}
			if f.FeedbackEnteredDate.After(newest) {
				newest = f.FeedbackEnteredDate
			}
			rv, err := c.review(ctx, op, shopID, f)
			if err != nil {
				return nil, cursor, err
			}
			out = append(out, rv)
		}
	}
	next := cursor
	if !newest.IsZero() {
		next = newest.UTC().Format(time.RFC3339Nano)
	}
	return out, next, nil
}

// review turns a feedback into a review of its order: feedback names a line
// item, so the order is the one among the shop's recent orders holding it.
func (c *Client) review(ctx context.Context, op, shopID string, f feedbackDetail) (cases.Review, error) {
	rating, _ := ratingOf(f.CommentType)
	rv := cases.Review{Marketplace: cases.EBay, ShopID: shopID, ReviewID: f.FeedbackID, Rating: rating,
		Text: f.FeedbackComment.text(), CreatedAt: f.FeedbackEnteredDate,
		Buyer: cases.Buyer{ID: f.ProviderUserDetail.UserID, Name: f.ProviderUserDetail.UserID}}
	if p := f.OrderLineItemSummary.ListingPrice; p != nil {
		rv.OrderAmount, _ = cases.ParseMoney(strconv.FormatFloat(p.Value, 'f', 2, 64))
		rv.Currency = p.Currency
	}
	lineItem := f.OrderLineItemSummary.OrderLineItemID
	if lineItem == "" {
		return rv, nil
	}
	o, found, err := c.findOrder(ctx, op, shopID, f.FeedbackEnteredDate, func(o order) bool { return o.hasLineItem(lineItem) })
	if err != nil || !found {
		return rv, err
	}
	rv.OrderID, rv.OrderAmount, rv.Currency = o.OrderID, o.PricingSummary.Total.money(), o.PricingSummary.Total.Currency
	if o.Buyer.Username != "" {
		rv.Buyer.Name = o.Buyer.Username
	}
	return rv, nil
}

// entry reads one feedback by id (no other filter applies with feedback_id).
func (c *Client) entry(ctx context.Context, op, shopID, feedbackID string) (*feedbackDetail, error) {
	q := url.Values{"user_id": {shopID}, "feedback_type": {"FEEDBACK_RECEIVED"}, "feedback_id": {feedbackID}}
	res, err := c.getFeedback(ctx, op, shopID, q)
	if err != nil {
		return nil, err
	}
	for _, f := range res.FeedbackEntries {
		if f.FeedbackID == feedbackID {
			return &f, nil
		}
	}
	return nil, nil
}

// FetchReview reads a notified feedback (FEEDBACK_RECEIVED) as a review.
func (c *Client) FetchReview(ctx context.Context, shopID, feedbackID string) (cases.Review, error) {
	const op = "fetch_review"
	f, err := c.entry(ctx, op, shopID, feedbackID)
	if err != nil {
		return cases.Review{}, err
	}
	if f == nil {
		return cases.Review{}, marketplace.Invalid(cases.EBay, op, "not_found", "feedback %s not found", feedbackID)
	}
	return c.review(ctx, op, shopID, *f)
}

// GetReview reads one feedback; eBay keeps no revision flag, so a revision
// shows as a changed comment type (rating). Feedback no longer listed is removed.
func (c *Client) GetReview(ctx context.Context, shopID, reviewID string) (marketplace.ReviewState, error) {
	f, err := c.entry(ctx, "get_review", shopID, reviewID)
	if err != nil {
		return marketplace.ReviewState{}, err
	}
	st := marketplace.ReviewState{ReviewID: reviewID, LastReadAt: time.Now().UTC()}
	if f == nil {
		st.Removed = true
		return st, nil
	}
	st.Rating, _ = ratingOf(f.CommentType)
	st.Text, st.UpdatedAt = f.FeedbackComment.text(), f.FeedbackEnteredDate
	st.ReplyText, st.HasReply = f.ReplyComment.text(), f.ReplyComment != nil
	return st, nil
}

// PostPublicReply replies to a feedback, once, ≤ 500 characters, addressed
// to the buyer who left it. Callers must hold a person's approval (eBay
// forbids automated replies to negative feedback).
func (c *Client) PostPublicReply(ctx context.Context, req marketplace.ReplyRequest) (marketplace.WriteResult, error) {
	const op = "post_public_reply"
	if n := utf8.RuneCountInString(req.Text); n == 0 || n > 500 {
		return marketplace.WriteResult{}, marketplace.Invalid(cases.EBay, op, "text_length", "response must be 1–500 characters, got %d", n)
	}
	f, err := c.entry(ctx, op, req.ShopID, req.ReviewID)
	if err != nil {
		return marketplace.WriteResult{}, err
	}
	if f == nil {
		return marketplace.WriteResult{}, marketplace.Invalid(cases.EBay, op, "not_found", "feedback %s not found", req.ReviewID)
	}
	find := func(ctx context.Context) (string, bool, error) {
		switch {
		case f.ReplyComment == nil:
			return "", false, nil
		case f.ReplyComment.CommentText == req.Text:
			return f.FeedbackID, true, nil
		}
		return "", false, marketplace.Invalid(cases.EBay, op, "already_replied", "the feedback already has a different reply")
	}
	write := func(ctx context.Context) (string, error) {
		body := map[string]string{"feedbackId": req.ReviewID, "recipientUserId": f.ProviderUserDetail.UserID, "responseText": req.Text, "responseType": "REPLY"}
		return req.ReviewID, c.rest.Post(ctx, op, req.ShopID, "", c.url("/commerce/feedback/v1/respond_to_feedback"), body, nil, nil)
	}
	return marketplace.WriteOnce(ctx, find, write)
}
