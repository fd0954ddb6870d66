package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

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

// shop, the message response-time distribution against the deadline, and
// per shop the bad-review rate of orders with and without touchpoints.
func (s *Server) orderCareReport(c echo.Context) error {
	st, err := s.ocStore()
	if err != nil {
		return err
	}
	to := time.Now().UTC()
	from := to.Add(-7 * 24 * time.Hour)
	for name, dst := range map[string]*time.Time{"from": &from, "to": &to} {
		if v := c.QueryParam(name); v != "" {
			t, err := time.Parse(time.RFC3339, v)
			if err != nil {
				return invalidQuery(FieldError{Field: name, Code: "datetime", Message: "an RFC 3339 time"})
			}
			*dst = t
		}
	}
	ctx := c.Request().Context()
	tps, err := st.TouchpointStats(ctx, from, to)
	if err != nil {
		return err
	}
	resp, err := st.MessageResponseTimes(ctx, from, to)
	if err != nil {
		return err
	}
	rates, err := st.CareBadReviewRates(ctx, from, to)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"from": from, "to": to, "touchpoints": tps, "message_response_times": resp, "bad_review_rates": rates})
}
