package taobao

import (
	"context"
	"net/url"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace"
)

// tradeRate is one rate from taobao.traderates.get (TradeRate in the metadata).
type tradeRate struct {
	Tid       flexID      `json:"tid"`
	Oid       flexID      `json:"oid"`
	Role      string      `json:"role"`
	Nick      string      `json:"nick"`
	Result    string      `json:"result"` // good, neutral, bad
	Created   string      `json:"created"`
	ItemTitle string      `json:"item_title"`
	ItemPrice cases.Money `json:"item_price"`
	Content   string      `json:"content"`
	Reply     string      `json:"reply"`
}

type tradeRates struct {
	TradeRates topList[tradeRate] `json:"trade_rates"`
	HasNext    bool               `json:"has_next"`
}

// rateFields are the TradeRate fields Redress reads.
const rateFields = "tid,oid,role,nick,result,created,item_title,item_price,content,reply"

func ratingOf(result string) int {
	switch result {
	case "bad":
		return 1
	case "neutral":
		return 3
	}
	return 5
}

// pageSize is TOP's maximum for traderates.get.
const pageSize = 150

// maxPages bounds one read: TOP returns at most 1500 rates per time window
// (10 pages of 150), and page_no stops at 200.
const maxPages = 10

// rates reads the rates buyers gave the shop, page by page with
// use_has_next (without it TOP sends no has_next and only page 1 is read).
func (c *Client) rates(ctx context.Context, op, shopID string, extra url.Values) ([]tradeRate, error) {
	var out []tradeRate
	for page := 1; page <= maxPages; page++ {
		q := url.Values{"rate_type": {"get"}, "role": {"buyer"}, "page_no": {strconv.Itoa(page)}, "page_size": {strconv.Itoa(pageSize)},
			"use_has_next": {"true"}, "fields": {rateFields}}
		for k, v := range extra {
			q[k] = v
		}
		var res tradeRates
		if err := c.call(ctx, op, shopID, "taobao.traderates.get", q, false, &res); err != nil {
			return nil, err
		}
		out = append(out, res.TradeRates...)
		if !res.HasNext {
			break
		}
	}
	return out, nil
}

// ListNegativeReviews reads bad and neutral rates created since the cursor
// (a TOP timestamp, inclusive: the newest rate may come again; case ids
// dedupe it). A review id is "tid:oid": TOP finds rates by trade.
func (c *Client) ListNegativeReviews(ctx context.Context, shopID, cursor string) ([]cases.Review, string, error) {
	next := cursor
	var out []cases.Review
	for _, result := range []string{"bad", "neutral"} {
		q := url.Values{"result": {result}}
		if cursor != "" {
			q.Set("start_date", cursor)
		}
		rates, err := c.rates(ctx, "list_negative_reviews", shopID, q)
		if err != nil {
			return nil, cursor, err
		}
		for _, r := range rates {
			if t := topTimeOf(r.Created); !t.IsZero() && t.In(topZone).Format(topTime) > next {
				next = t.In(topZone).Format(topTime)
			}
			out = append(out, r.review(shopID))
		}
	}
	return out, next, nil
}

func (r tradeRate) review(shopID string) cases.Review {
	return cases.Review{
		Marketplace: cases.Taobao, ShopID: shopID, ReviewID: marketplace.JoinID(string(r.Tid), string(r.Oid)), OrderID: string(r.Tid),
		Rating: ratingOf(r.Result), Text: r.Content, Language: "zh", CreatedAt: topTimeOf(r.Created),
		Buyer: cases.Buyer{ID: r.Nick, Name: r.Nick}, OrderAmount: r.ItemPrice, Currency: "CNY",
	}
}

// rate finds one rate by its order and sub-order.
func (c *Client) rate(ctx context.Context, op, shopID, tid, oid string) (*tradeRate, error) {
	rates, err := c.rates(ctx, op, shopID, url.Values{"tid": {tid}})
	if err != nil {
		return nil, err
	}
	for i := range rates {
		if string(rates[i].Oid) == oid {
			return &rates[i], nil
		}
	}
	return nil, nil
}

// GetReview reads the rate "tid:oid" (a bare id is taken as both: single-item
// trades) and, for a rate still there, its 追评 from tmall.traderate.feeds.get.
func (c *Client) GetReview(ctx context.Context, shopID, reviewID string) (marketplace.ReviewState, error) {
	const op = "get_review"
	tid, oid := splitReview(reviewID)
	r, err := c.rate(ctx, op, shopID, tid, oid)
	if err != nil {
		return marketplace.ReviewState{}, err
	}
	st := marketplace.ReviewState{ReviewID: reviewID, LastReadAt: time.Now().UTC()}
	if r == nil {
		st.Removed = true
		return st, nil
	}
	st.Rating, st.Text, st.UpdatedAt = ratingOf(r.Result), r.Content, topTimeOf(r.Created)
	// Taobao only lets a buyer raise a bad or neutral rate: good means revised.
	st.Revised = r.Result == "good"
	st.HasReply, st.ReplyText = r.Reply != "", r.Reply
	fu, err := c.followUp(ctx, op, shopID, oid)
	if err != nil {
		return marketplace.ReviewState{}, err
	}
	st.FollowUp = fu.present()
	if at := topTimeOf(fu.AppendTime); at.After(st.UpdatedAt) {
		st.UpdatedAt = at
	}
	return st, nil
}

func splitReview(id string) (tid, oid string) {
	if t, o, ok := marketplace.SplitID(id); ok {
		return t, o
	}
	return id, id
}

// PostPublicReply adds the Tmall seller's explanation (解释) to a rate: ≤ 500
// characters, once, not after a 追评, within 30 days.
func (c *Client) PostPublicReply(ctx context.Context, req marketplace.ReplyRequest) (marketplace.WriteResult, error) {
	const op = "post_public_reply"
	if n := utf8.RuneCountInString(req.Text); n == 0 || n > 500 {
		return marketplace.WriteResult{}, marketplace.Invalid(cases.Taobao, op, "text_length", "reply must be 1–500 characters, got %d", n)
	}
	tid := req.OrderID
	_, oid := splitReview(req.ReviewID)
	if tid == "" {
		tid, _ = splitReview(req.ReviewID)
	}
	find := func(ctx context.Context) (string, bool, error) {
		r, err := c.rate(ctx, op, req.ShopID, tid, oid)
		if err != nil {
			return "", false, err
		}
		switch {
		case r == nil:
			return "", false, marketplace.Invalid(cases.Taobao, op, "isv.rate-not-exist", "rate %s not found", oid)
		case r.Reply == req.Text:
			return oid, true, nil
		case r.Reply != "":
			return "", false, marketplace.Invalid(cases.Taobao, op, "isv.explain-exist", "the rate already has a different explanation")
		}
		return "", false, nil
	}
	write := func(ctx context.Context) (string, error) {
		var res struct {
			IsSuccess bool `json:"is_success"`
		}
		if err := c.call(ctx, op, req.ShopID, "taobao.traderate.explain.add", url.Values{"oid": {oid}, "reply": {req.Text}}, true, &res); err != nil {
			return "", err
		}
		if !res.IsSuccess {
			return "", marketplace.Invalid(cases.Taobao, op, "explain_failed", "TOP answered is_success=false for the explanation of rate %s", oid)
		}
		return oid, nil
	}
	return marketplace.WriteOnce(ctx, find, write)
}
