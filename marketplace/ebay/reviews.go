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

type feedbackEntry struct {
	FeedbackID          string    `json:"feedbackId"`
	CommentType         string    `json:"commentType"` // POSITIVE, NEUTRAL, NEGATIVE
	CommentText         string    `json:"commentText"`
	Status              string    `json:"status"`
	FeedbackEnteredDate time.Time `json:"feedbackEnteredDate"`
	LastModifiedDate    time.Time `json:"lastModifiedDate"`
	Revised             bool      `json:"revised"`
	OrderID             string    `json:"orderId"`
	ProviderUserDetail  struct {
		Username string `json:"username"`
	} `json:"providerUserDetail"`
	FeedbackResponses []struct {
		ResponseText string `json:"responseText"`
		ResponseType string `json:"responseType"`
	} `json:"feedbackResponses"`
	TransactionPrice amount `json:"transactionPrice"`
}

func (f feedbackEntry) reply() (string, bool) {
	for _, r := range f.FeedbackResponses {
		if r.ResponseType == "REPLY" {
			return r.ResponseText, true
		}
	}
	return "", false
}

func ratingOf(commentType string) int {
	switch commentType {
	case "NEGATIVE":
		return 1
	case "NEUTRAL":
		return 3
	}
	return 5
}

const pageSize = 200

// maxPages bounds one poll; the cursor resumes where it stopped.
const maxPages = 20

func (c *Client) feedback(ctx context.Context, op, shopID string, extra url.Values) ([]feedbackEntry, error) {
	var out []feedbackEntry
	for page := 0; page < maxPages; page++ {
		q := url.Values{"user_id": {shopID}, "feedback_type": {"FEEDBACK_RECEIVED"}, "limit": {strconv.Itoa(pageSize)}, "offset": {strconv.Itoa(page * pageSize)}}
		for k, v := range extra {
			q[k] = v
		}
		var res struct {
			FeedbackEntries []feedbackEntry `json:"feedbackEntries"`
			Total           int             `json:"total"`
		}
		if err := c.rest.Get(ctx, op, shopID, c.url("/commerce/feedback/v1/feedback")+"?"+q.Encode(), &res); err != nil {
			return nil, err
		}
		out = append(out, res.FeedbackEntries...)
		if (page+1)*pageSize >= res.Total {
			break
		}
	}
	return out, nil
}

// ListNegativeReviews reads negative and neutral feedback received since the
// cursor (RFC 3339, inclusive; case ids dedupe a repeat). Revised feedback
// comes again, so the cursor follows the last modification.
func (c *Client) ListNegativeReviews(ctx context.Context, shopID, cursor string) ([]cases.Review, string, error) {
	q := url.Values{"comment_type": {"NEGATIVE,NEUTRAL"}}
	if cursor != "" {
		q.Set("modified_after", cursor)
	}
	entries, err := c.feedback(ctx, "list_negative_reviews", shopID, q)
	if err != nil {
		return nil, cursor, err
	}
	newest, _ := time.Parse(time.RFC3339Nano, cursor)
	var out []cases.Review
	for _, f := range entries {
		if f.LastModifiedDate.After(newest) {
			newest = f.LastModifiedDate
		}
		if f.Status == "WITHDRAWN" {
			continue
		}
		out = append(out, f.review(shopID))
	}
	next := cursor
	if !newest.IsZero() {
		next = newest.UTC().Format(time.RFC3339Nano)
	}
	return out, next, nil
}

func (f feedbackEntry) review(shopID string) cases.Review {
	return cases.Review{Marketplace: cases.EBay, ShopID: shopID, ReviewID: f.FeedbackID, OrderID: f.OrderID,
		Rating: ratingOf(f.CommentType), Text: f.CommentText, CreatedAt: f.FeedbackEnteredDate,
		Buyer:       cases.Buyer{ID: f.ProviderUserDetail.Username, Name: f.ProviderUserDetail.Username},
		OrderAmount: f.TransactionPrice.money(), Currency: f.TransactionPrice.Currency}
}

func (c *Client) entry(ctx context.Context, op, shopID, feedbackID string) (*feedbackEntry, error) {
	entries, err := c.feedback(ctx, op, shopID, url.Values{"feedback_id": {feedbackID}})
	if err != nil || len(entries) == 0 {
		return nil, err
	}
	return &entries[0], nil
}

// GetReview reads one feedback; revised reflects eBay's feedback revision.
func (c *Client) GetReview(ctx context.Context, shopID, reviewID string) (marketplace.ReviewState, error) {
	f, err := c.entry(ctx, "get_review", shopID, reviewID)
	if err != nil {
		return marketplace.ReviewState{}, err
	}
	st := marketplace.ReviewState{ReviewID: reviewID, LastReadAt: time.Now().UTC()}
	if f == nil || f.Status == "WITHDRAWN" {
		st.Removed = true
		return st, nil
	}
	st.Rating, st.Text, st.Revised, st.UpdatedAt = ratingOf(f.CommentType), f.CommentText, f.Revised, f.LastModifiedDate
	st.ReplyText, st.HasReply = f.reply()
	return st, nil
}

// PostPublicReply responds to a feedback, once, ≤ 500 characters. Callers
// must hold a person's approval (eBay forbids automated negative-feedback replies).
func (c *Client) PostPublicReply(ctx context.Context, req marketplace.ReplyRequest) (marketplace.WriteResult, error) {
	const op = "post_public_reply"
	if n := utf8.RuneCountInString(req.Text); n == 0 || n > 500 {
		return marketplace.WriteResult{}, marketplace.Invalid(cases.EBay, op, "text_length", "response must be 1–500 characters, got %d", n)
	}
	find := func(ctx context.Context) (string, bool, error) {
		f, err := c.entry(ctx, op, req.ShopID, req.ReviewID)
		if err != nil {
			return "", false, err
		}
		if f == nil {
			return "", false, marketplace.Invalid(cases.EBay, op, "not_found", "feedback %s not found", req.ReviewID)
		}
		text, ok := f.reply()
		switch {
		case ok && text == req.Text:
			return f.FeedbackID, true, nil
		case ok:
			return "", false, marketplace.Invalid(cases.EBay, op, "already_replied", "the feedback already has a different response")
		}
		return "", false, nil
	}
	write := func(ctx context.Context) (string, error) {
		body := map[string]string{"feedbackId": req.ReviewID, "responseText": req.Text, "responseType": "REPLY"}
		return req.ReviewID, c.rest.Post(ctx, op, req.ShopID, "", c.url("/commerce/feedback/v1/respond_to_feedback"), body, nil, nil)
	}
	return marketplace.WriteOnce(ctx, find, write)
}
