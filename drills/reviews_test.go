package drills

import (
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace"
	"github.com/redress-hq/redress/simulator"
)

// reviewTemplate is a bad review a drill posts, spread over the four
// platforms and the issues whose playbooks end in refunds, coupons,
// reshipments and public replies.
type reviewTemplate struct {
	platform cases.Marketplace
	rating   int
	text     string
	currency string
}

var reviewTemplates = []reviewTemplate{
	{cases.MercadoLibre, 1, "Dejó de funcionar al segundo día, muy mala calidad", "ARS"},
	{cases.EBay, 2, "The seller was rude and never answered my messages", "USD"},
	{cases.Taobao, 3, "物流太慢了，等了两个星期", "CNY"},
	{cases.Amazon, 1, "Arrived broken, the box was crushed", "USD"},
	{cases.MercadoLibre, 2, "Llegó roto, la caja estaba aplastada", "ARS"},
	{cases.EBay, 1, "Stopped working after two days, poor quality", "USD"},
	{cases.Taobao, 1, "质量太差了，用了一天就坏了", "CNY"},
	{cases.Amazon, 2, "Took three weeks to arrive, very late delivery", "USD"},
}

// postedReview is a review the drill created in the simulator and posted.
type postedReview struct {
	CaseID  string
	Review  map[string]any
	OrderID string
}

// newReview creates the i-th review in the simulator and returns it as a
// marketplace would send it to POST /v1/reviews.
func (d *drill) newReview(i int) (map[string]any, error) {
	tpl := reviewTemplates[i%len(reviewTemplates)]
	shop := d.shopFor(tpl.platform, i)
	rv, order, err := d.Simulator.AddReview(simulator.NewReview{
		Platform: tpl.platform, ShopID: shop, Rating: tpl.rating, Text: tpl.text,
		BuyerID: fmt.Sprintf("drill-buyer-%d", i), BuyerName: "Ana", Item: "Thermos",
		Amount: 4000, ShippingFee: 800, Courier: "Correo", TrackingNumber: fmt.Sprintf("TN%d", i),
	})
	if err != nil {
		return nil, fmt.Errorf("simulator review %d: %w", i, err)
	}
	return map[string]any{
		"marketplace": string(tpl.platform), "shop_id": shop, "review_id": platformReviewID(rv, order), "order_id": order.ID,
		"rating": tpl.rating, "text": tpl.text, "created_at": time.Now().UTC().Format(time.RFC3339),
		"buyer":        map[string]any{"id": order.BuyerID, "name": "Ana"},
		"order_amount": 40.00, "shipping_fee": 8.00, "currency": tpl.currency,
	}, nil
}

// platformReviewID is the review's id as the platform's API names it, which
// is what a feed posts: Taobao finds rates by trade, so its id is "tid:oid"
// (what the connector's polling and webhooks produce too).
func platformReviewID(rv simulator.Review, order simulator.Order) string {
	if rv.Platform == cases.Taobao {
		return marketplace.JoinID(order.ID, rv.ID)
	}
	return rv.ID
}

// postReviews creates n reviews and posts each until the API takes it
// (a 5xx while something is down is retried, as a marketplace feed would).
func (d *drill) postReviews(n, concurrency int) ([]postedReview, error) {
	out := make([]postedReview, n)
	errs := make(chan error, n)
	idx := make(chan int)
	var wg sync.WaitGroup
	for range concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range idx {
				p, err := d.postReview(i)
				if err != nil {
					errs <- err
					continue
				}
				out[i] = p
			}
		}()
	}
	for i := range n {
		idx <- i
	}
	close(idx)
	wg.Wait()
	close(errs)
	if err, ok := <-errs; ok {
		return nil, err
	}
	return out, nil
}

func (d *drill) postReview(i int) (postedReview, error) {
	review, err := d.newReview(i)
	if err != nil {
		return postedReview{}, err
	}
	var last string
	for attempt := 0; attempt < 60; attempt++ {
		r, err := d.Do(d.ctx, http.MethodPost, "/v1/reviews", d.robotToken, review)
		if err == nil && (r.Status == http.StatusCreated || r.Status == http.StatusOK) {
			var body struct {
				Case *cases.Case `json:"case"`
			}
			if err := r.JSON(&body); err != nil || body.Case == nil {
				return postedReview{}, fmt.Errorf("review %d: answer without case: %s", i, r.Body)
			}
			return postedReview{CaseID: body.Case.ID, Review: review, OrderID: review["order_id"].(string)}, nil
		}
		if err == nil && r.Status < 500 {
			return postedReview{}, fmt.Errorf("review %d refused: %d %s", i, r.Status, r.Body)
		}
		last = fmt.Sprint(err)
		if err == nil {
			last = fmt.Sprintf("%d %s", r.Status, r.Body)
		}
		time.Sleep(time.Second)
	}
	return postedReview{}, fmt.Errorf("review %d never accepted: %s", i, last)
}

func caseIDs(posted []postedReview) []string {
	ids := make([]string, len(posted))
	for i, p := range posted {
		ids[i] = p.CaseID
	}
	return ids
}
