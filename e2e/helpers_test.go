package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/internal/testenv"
	"github.com/redress-hq/redress/simulator"
)

// newOrderReview creates an order and its review in the simulator and returns
// the review as a marketplace would send it to POST /v1/reviews.
func newOrderReview(t *testing.T, m cases.Marketplace, shop string, rating int, text string) map[string]any {
	t.Helper()
	rv, order, err := stack.Simulator.AddReview(simulator.NewReview{
		Platform: m, ShopID: shop, Rating: rating, Text: text,
		BuyerID: "buyer-" + t.Name(), BuyerName: "Ana", Item: "Thermos",
		Amount: 12000, ShippingFee: 1500, Courier: "Correo", TrackingNumber: "TN1",
	})
	if err != nil {
		t.Fatalf("simulator: %v", err)
	}
	return map[string]any{
		"marketplace": string(m), "shop_id": shop, "review_id": rv.ID, "order_id": order.ID,
		"rating": rating, "text": text, "created_at": time.Now().UTC().Format(time.RFC3339),
		"buyer":        map[string]any{"id": order.BuyerID, "name": "Ana"},
		"order_amount": 120.00, "shipping_fee": 15.00, "currency": "ARS",
	}
}

func do(t *testing.T, method, path, token string, body any) testenv.Response {
	t.Helper()
	r, err := stack.Do(context.Background(), method, path, token, body)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	return r
}

func mustStatus(t *testing.T, r testenv.Response, want int, what string) {
	t.Helper()
	if r.Status != want {
		t.Fatalf("%s: status %d, want %d: %s", what, r.Status, want, r.Body)
	}
}

// waitTask waits until the case has an open task of the kind and returns it.
func waitTask(t *testing.T, caseID string, kind cases.TaskKind) cases.Task {
	t.Helper()
	var found cases.Task
	err := testenv.Eventually(context.Background(), 30*time.Second, func() (bool, error) {
		q := url.Values{"case_id": {caseID}, "kind": {string(kind)}}
		r, err := stack.Do(context.Background(), http.MethodGet, "/v1/tasks?"+q.Encode(), agent, nil)
		if err != nil {
			return false, err
		}
		var page struct{ Items []cases.Task }
		if err := r.JSON(&page); err != nil {
			return false, err
		}
		for _, task := range page.Items {
			if task.Status == cases.TaskOpen || task.Status == cases.TaskClaimed {
				found = task
				return true, nil
			}
		}
		return false, fmt.Errorf("no open %s task yet (%d): %s", kind, r.Status, r.Body)
	})
	if err != nil {
		t.Fatal(err)
	}
	return found
}

// waitCase waits until the indexed case row of GET /v1/cases/{id} satisfies cond.
func waitCase(t *testing.T, caseID string, cond func(map[string]any) bool) map[string]any {
	t.Helper()
	var last map[string]any
	err := testenv.Eventually(context.Background(), 60*time.Second, func() (bool, error) {
		r, err := stack.Do(context.Background(), http.MethodGet, "/v1/cases/"+caseID, agent, nil)
		if err != nil {
			return false, err
		}
		body := r.Map()
		last, _ = body["case"].(map[string]any)
		return r.Status == http.StatusOK && body["indexed"] == true && last != nil && cond(last), nil
	})
	if err != nil {
		t.Fatalf("case %s: %v; last: %v", caseID, err, last)
	}
	return last
}

// eventTypes lists the case's audit trail types in order.
func eventTypes(t *testing.T, caseID string) []string {
	t.Helper()
	r := do(t, http.MethodGet, "/v1/cases/"+caseID+"/events?limit=200", manager, nil)
	mustStatus(t, r, http.StatusOK, "events")
	var page struct{ Items []cases.Event }
	if err := r.JSON(&page); err != nil {
		t.Fatal(err)
	}
	types := make([]string, len(page.Items))
	for i, e := range page.Items {
		types[i] = string(e.Type)
		if i > 0 && page.Items[i-1].Seq >= e.Seq {
			t.Fatalf("events out of order at %d", i)
		}
	}
	return types
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }

// caseIDOf reads the case id from a POST /v1/reviews answer.
func caseIDOf(t *testing.T, r testenv.Response) string {
	t.Helper()
	var body struct {
		Case *cases.Case `json:"case"`
	}
	if err := r.JSON(&body); err != nil || body.Case == nil || body.Case.ID == "" {
		t.Fatalf("no case in answer %d: %s", r.Status, r.Body)
	}
	return body.Case.ID
}

// waitEvent waits until the case's audit trail holds an event of the type.
func waitEvent(t *testing.T, caseID, typ string) {
	t.Helper()
	err := testenv.Eventually(context.Background(), 30*time.Second, func() (bool, error) {
		return contains(eventTypes(t, caseID), typ), nil
	})
	if err != nil {
		t.Fatalf("case %s never recorded %s: %v (trail: %v)", caseID, typ, err, eventTypes(t, caseID))
	}
}
