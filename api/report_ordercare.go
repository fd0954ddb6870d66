package api

import (
	"strconv"

	"github.com/redress-hq/redress/store"
)

// addOrderCareRows puts the weekly report's order-care part in the CSV:
// touchpoints per shop and outcome, message response times against the
// deadline, and the bad-review rate with and without touchpoints.
func addOrderCareRows(add func(section, key, measure, value string), oc store.OrderCareReport) {
	itoa, ftoa := strconv.Itoa, func(f float64) string { return strconv.FormatFloat(f, 'f', 4, 64) }
	for _, t := range oc.Touchpoints {
		add("touchpoints", string(t.Marketplace)+"/"+t.ShopID+"/"+t.Touchpoint, t.Outcome, itoa(t.Count))
	}
	for _, m := range oc.MessageResponseTimes {
		add("message_response", string(m.Marketplace)+"/"+m.ShopID, m.Bucket, itoa(m.Messages))
	}
	for _, r := range oc.BadReviewRates {
		key := string(r.Marketplace) + "/" + r.ShopID
		add("care_bad_reviews", key, "touched_orders", itoa(r.TouchedOrders))
		add("care_bad_reviews", key, "touched_bad_reviews", itoa(r.TouchedBadReviews))
		add("care_bad_reviews", key, "touched_rate", ftoa(r.TouchedRate))
		add("care_bad_reviews", key, "other_orders", itoa(r.OtherOrders))
		add("care_bad_reviews", key, "other_bad_reviews", itoa(r.OtherBadReviews))
		add("care_bad_reviews", key, "other_rate", ftoa(r.OtherRate))
	}
}
