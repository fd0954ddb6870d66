package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/simulator"
	"github.com/redress-hq/redress/workflows"
)

// agentPoll is how often the scripted agent looks at its case's tasks and
// events: a quick human with the inbox open.
const agentPoll = 200 * time.Millisecond

// happyMarketplace is where happy-path cases come from: eBay allows the
// automatic first message, so the case runs the whole private path.
const happyMarketplace = cases.EBay

var reviewSeq atomic.Int64

// newSimReview creates an order and its 2★ review in the simulator for the
// next shop in turn, the way a buyer would have, and returns the
// POST /v1/reviews body for it.
func newSimReview(sim *simulator.Simulator, shops []simulator.Shop) (map[string]any, string, error) {
	n := reviewSeq.Add(1)
	shop := shops[int(n)%len(shops)]
	delivered := time.Now().UTC().Add(-48 * time.Hour)
	rv, order, err := sim.AddReview(simulator.NewReview{
		Platform: shop.Platform, ShopID: shop.ID, Rating: 2,
		Text:    "The item arrived broken, the box was crushed.",
		BuyerID: "bench-buyer-" + strconv.FormatInt(n, 10), BuyerName: "Bench Buyer",
		Item: "Ceramic mug", Amount: 2500, ShippingFee: 500, Currency: "USD",
		Courier: "ups", TrackingNumber: "1Z" + strconv.FormatInt(n, 10),
		Tracking: []simulator.TrackingEvent{
			{At: delivered.Add(-72 * time.Hour), Status: "shipped", Description: "Picked up"},
			{At: delivered, Status: "delivered", Description: "Delivered"},
		},
	})
	if err != nil {
		return nil, "", fmt.Errorf("simulator review: %w", err)
	}
	body := map[string]any{
		"marketplace": string(shop.Platform), "shop_id": shop.ID,
		"review_id": rv.ID, "order_id": order.ID, "item_id": "mug-1",
		"rating": rv.Rating, "text": rv.Text, "language": "en",
		"created_at":   rv.CreatedAt.Format(time.RFC3339),
		"buyer":        map[string]any{"id": order.BuyerID, "name": order.BuyerName},
		"order_amount": "25.00", "shipping_fee": "5.00", "currency": "USD",
	}
	return body, cases.CaseIDFor(shop.Platform, shop.ID, rv.ID), nil
}

// reviewPool hands out reviews put in the simulator beforehand, so a
// measured call does not include making its own load.
type reviewPool struct {
	sim   *simulator.Simulator
	shops []simulator.Shop
	mu    sync.Mutex
	ready []readyReview
}

type readyReview struct {
	body   map[string]any
	caseID string
}

func newReviewPool(sim *simulator.Simulator, shops []simulator.Shop, n int) (*reviewPool, error) {
	p := &reviewPool{sim: sim, shops: shops, ready: make([]readyReview, 0, n)}
	for range n {
		body, id, err := newSimReview(sim, shops)
		if err != nil {
			return nil, err
		}
		p.ready = append(p.ready, readyReview{body, id})
	}
	return p, nil
}

// next is a ready review, or — when the pool ran dry — a new one.
func (p *reviewPool) next() (map[string]any, string, error) {
	p.mu.Lock()
	if n := len(p.ready); n > 0 {
		r := p.ready[n-1]
		p.ready = p.ready[:n-1]
		p.mu.Unlock()
		return r.body, r.caseID, nil
	}
	p.mu.Unlock()
	return newSimReview(p.sim, p.shops)
}

// postReview submits a review; a 201 means a case was started for it.
func postReview(ctx context.Context, c *apiClient, body map[string]any) error {
	status, err := c.do(ctx, http.MethodPost, "/v1/reviews", body, nil)
	if err != nil {
		return err
	}
	if status != http.StatusCreated {
		return fmt.Errorf("POST /v1/reviews answered %d, want 201", status)
	}
	return nil
}

// runHappyCase plays one case from review to outcome through the API, as
// the buyer and an agent would: the buyer answers the first message, the
// agent verifies (merchant at fault) and picks the first remedy offered,
// and approves whatever needs approval. It returns when the case closed.
func runHappyCase(ctx context.Context, c *apiClient, sim *simulator.Simulator, shops []simulator.Shop, timeout time.Duration) (string, error) {
	body, caseID, err := newSimReview(sim, shops)
	if err != nil {
		return "", err
	}
	if err := postReview(ctx, c, body); err != nil {
		return caseID, err
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var afterSeq int64
	replied := false
	done := map[string]bool{}
	for {
		evs, err := caseEvents(ctx, c, caseID, afterSeq)
		if err != nil {
			return caseID, err
		}
		for _, ev := range evs {
			afterSeq = max(afterSeq, ev.Seq)
			switch ev.Type {
			case cases.EventCaseClosed:
				return caseID, nil
			case cases.EventMessageSent:
				if !replied {
					if _, err := c.do(ctx, http.MethodPost, "/v1/cases/"+caseID+"/buyer-replies",
						map[string]any{"message_id": "bench-reply-1", "text": "It arrived broken. I would like a replacement."}, nil); err != nil {
						return caseID, fmt.Errorf("buyer reply: %w", err)
					}
					replied = true
				}
			}
		}
		if err := completeOpenTasks(ctx, c, caseID, done); err != nil {
			return caseID, err
		}
		select {
		case <-ctx.Done():
			return caseID, fmt.Errorf("case %s not closed after %s (last event seq %d)", caseID, timeout, afterSeq)
		case <-time.After(agentPoll):
		}
	}
}

func caseEvents(ctx context.Context, c *apiClient, caseID string, afterSeq int64) ([]cases.Event, error) {
	var page struct {
		Items []cases.Event `json:"items"`
	}
	path := "/v1/cases/" + caseID + "/events?limit=200&after_seq=" + strconv.FormatInt(afterSeq, 10)
	_, err := c.do(ctx, http.MethodGet, path, nil, &page)
	var notYet *apiError
	if errors.As(err, &notYet) && notYet.Status == http.StatusNotFound {
		return nil, nil // the case's first row is not in the index yet
	}
	if err != nil {
		return nil, err
	}
	return page.Items, nil
}

// completeOpenTasks does every task of the case in the inbox once.
func completeOpenTasks(ctx context.Context, c *apiClient, caseID string, done map[string]bool) error {
	var page struct {
		Items []cases.Task `json:"items"`
	}
	if _, err := c.do(ctx, http.MethodGet, "/v1/tasks?case_id="+url.QueryEscape(caseID), nil, &page); err != nil {
		return err
	}
	for _, t := range page.Items {
		if done[t.ID] {
			continue
		}
		body, err := decide(t)
		if err != nil {
			return err
		}
		if _, err := c.do(ctx, http.MethodPost, "/v1/tasks/"+t.ID+"/complete", body, nil); err != nil {
			return fmt.Errorf("complete %s: %w", t.ID, err)
		}
		done[t.ID] = true
	}
	return nil
}

// decide is the agent's answer to a task on the happy path.
func decide(t cases.Task) (map[string]any, error) {
	switch t.Kind {
	case cases.TaskVerify:
		return map[string]any{"verify": workflows.VerifyResult{
			Responsibility: cases.RespMerchant, Findings: "Packing photos show too little padding.",
			EvidenceChecked: []string{"order", "tracking", "photos"},
		}}, nil
	case cases.TaskChooseRemedy:
		var in workflows.ChooseRemedyInput
		if err := json.Unmarshal(t.Input, &in); err != nil || len(in.Options) == 0 {
			return nil, fmt.Errorf("task %s offers no remedy (input %s)", t.ID, t.Input)
		}
		return map[string]any{"remedy": workflows.RemedyChoice{Type: in.Options[0].Type}}, nil
	case cases.TaskApproveRemedy, cases.TaskApproveReply:
		return map[string]any{"approval": workflows.Approval{Approved: true, Reason: "within policy"}}, nil
	case cases.TaskContactBuyer:
		var in workflows.ContactTaskInput
		if err := json.Unmarshal(t.Input, &in); err != nil {
			return nil, fmt.Errorf("task %s: %w", t.ID, err)
		}
		return map[string]any{"contact": workflows.ContactResult{Message: in.Draft}}, nil
	case cases.TaskManualStep:
		// A step the platform has no API for (eBay reships): done by hand.
		return map[string]any{"manual_step": workflows.ManualStepDone{Reference: "BENCH-" + t.ID}}, nil
	}
	return nil, fmt.Errorf("task %s of kind %s is not on the happy path", t.ID, t.Kind)
}
