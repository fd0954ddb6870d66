package store

import "context"

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
