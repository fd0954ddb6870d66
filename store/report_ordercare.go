package store

import (
	"context"
	"time"

	"github.com/redress-hq/redress/cases"
)

// OrderCareReport is the weekly report's order-care part (issue 15):
// touchpoints per shop and outcome, how buyer messages were answered against
// their deadline, and per shop the bad-review (1–2★) rate of the orders under
// care that received a sent touchpoint versus those that received none.
type OrderCareReport struct {
	Touchpoints          []TouchpointStat      `json:"touchpoints"`
	MessageResponseTimes []MessageResponseStat `json:"message_response_times"`
	BadReviewRates       []CareBadReviewRate   `json:"bad_review_rates"`
}

// reportOrderCare covers the report's range, marketplace and shop.
func (s *Store) reportOrderCare(ctx context.Context, f ReportFilter) (OrderCareReport, error) {
	in := func(m, shop string) bool {
		return (f.Marketplace == "" || f.Marketplace == m) && (f.ShopID == "" || f.ShopID == shop)
	}
	out := OrderCareReport{Touchpoints: []TouchpointStat{}, MessageResponseTimes: []MessageResponseStat{}, BadReviewRates: []CareBadReviewRate{}}
	tps, err := s.TouchpointStats(ctx, f.From, f.To)
	if err != nil {
		return out, err
	}
	for _, t := range tps {
		if in(string(t.Marketplace), t.ShopID) {
			out.Touchpoints = append(out.Touchpoints, t)
		}
	}
	resp, err := s.MessageResponseTimes(ctx, f.From, f.To)
	if err != nil {
		return out, err
	}
	for _, r := range resp {
		if in(string(r.Marketplace), r.ShopID) {
			out.MessageResponseTimes = append(out.MessageResponseTimes, r)
		}
	}
	rates, err := s.CareBadReviewRates(ctx, f.From, f.To)
	if err != nil {
		return out, err
	}
	for _, r := range rates {
		if in(string(r.Marketplace), r.ShopID) {
			r.TouchedRate, r.OtherRate = ratio(r.TouchedBadReviews, r.TouchedOrders), ratio(r.OtherBadReviews, r.OtherOrders)
			out.BadReviewRates = append(out.BadReviewRates, r)
		}
	}
	return out, nil
}

// MessageResponseStat is one bucket of the response-time distribution.
type MessageResponseStat struct {
	Marketplace cases.Marketplace `db:"marketplace" json:"marketplace"`
	ShopID      string            `db:"shop_id" json:"shop_id"`
	Bucket      string            `db:"bucket" json:"bucket"` // within_half, within_deadline, late, unanswered_overdue, open
	Messages    int               `db:"messages" json:"messages"`
}

// MessageResponseTimes buckets messages received in [from, to) by how their
// answer time compares with their deadline.
func (s *Store) MessageResponseTimes(ctx context.Context, from, to time.Time) ([]MessageResponseStat, error) {
	out := []MessageResponseStat{}
	err := s.db.SelectContext(ctx, &out, `
SELECT marketplace, shop_id, bucket, count(*) AS messages FROM (
  SELECT marketplace, shop_id, CASE
    WHEN answered_at IS NULL AND due_at < now() THEN 'unanswered_overdue'
    WHEN answered_at IS NULL THEN 'open'
    WHEN answered_at <= received_at + (due_at - received_at) / 2 THEN 'within_half'
    WHEN answered_at <= due_at THEN 'within_deadline'
    ELSE 'late' END AS bucket
  FROM buyer_messages WHERE received_at >= $1 AND received_at < $2) b
GROUP BY marketplace, shop_id, bucket ORDER BY marketplace, shop_id, bucket`, from, to)
	return out, wrap("message response times", err)
}

// TouchpointStat counts touchpoints per shop and outcome.
type TouchpointStat struct {
	Marketplace cases.Marketplace `db:"marketplace" json:"marketplace"`
	ShopID      string            `db:"shop_id" json:"shop_id"`
	Touchpoint  string            `db:"touchpoint" json:"touchpoint"`
	Outcome     string            `db:"outcome" json:"outcome"`
	Count       int               `db:"count" json:"count"`
}

// TouchpointStats counts touchpoints recorded in [from, to).
func (s *Store) TouchpointStats(ctx context.Context, from, to time.Time) ([]TouchpointStat, error) {
	out := []TouchpointStat{}
	err := s.db.SelectContext(ctx, &out, `SELECT marketplace, shop_id, touchpoint, outcome, count(*) AS count
FROM order_touchpoints WHERE at >= $1 AND at < $2
GROUP BY marketplace, shop_id, touchpoint, outcome ORDER BY marketplace, shop_id, touchpoint, outcome`, from, to)
	return out, wrap("touchpoint stats", err)
}

// CareBadReviewRate is, per shop, how many orders under care got at least
// one sent touchpoint and how many of them (and of the others) got a case
// from a bad review.
type CareBadReviewRate struct {
	Marketplace       cases.Marketplace `db:"marketplace" json:"marketplace"`
	ShopID            string            `db:"shop_id" json:"shop_id"`
	TouchedOrders     int               `db:"touched_orders" json:"touched_orders"`
	TouchedBadReviews int               `db:"touched_bad_reviews" json:"touched_bad_reviews"`
	OtherOrders       int               `db:"other_orders" json:"other_orders"`
	OtherBadReviews   int               `db:"other_bad_reviews" json:"other_bad_reviews"`
	// Rates: bad reviews / orders (0 when there are no orders).
	TouchedRate float64 `db:"-" json:"touched_rate"`
	OtherRate   float64 `db:"-" json:"other_rate"`
}

// CareBadReviewRates compares orders that started care in [from, to).
func (s *Store) CareBadReviewRates(ctx context.Context, from, to time.Time) ([]CareBadReviewRate, error) {
	out := []CareBadReviewRate{}
	err := s.db.SelectContext(ctx, &out, `
WITH o AS (
  SELECT co.marketplace, co.shop_id, co.order_id,
    EXISTS (SELECT 1 FROM order_touchpoints t WHERE t.order_key = co.key AND t.outcome = 'sent') AS touched,
    EXISTS (SELECT 1 FROM cases c WHERE c.marketplace = co.marketplace AND c.shop_id = co.shop_id
            AND c.order_id = co.order_id AND c.rating <= 2) AS bad
  FROM care_orders co WHERE co.started_at >= $1 AND co.started_at < $2)
SELECT marketplace, shop_id,
  count(*) FILTER (WHERE touched) AS touched_orders,
  count(*) FILTER (WHERE touched AND bad) AS touched_bad_reviews,
  count(*) FILTER (WHERE NOT touched) AS other_orders,
  count(*) FILTER (WHERE NOT touched AND bad) AS other_bad_reviews
FROM o GROUP BY marketplace, shop_id ORDER BY marketplace, shop_id`, from, to)
	return out, wrap("care bad review rates", err)
}
