package market

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/workflowservice/v1"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/internal/testenv"
	"github.com/redress-hq/redress/marketplace"
	"github.com/redress-hq/redress/simulator"
)

// shops are the simulator's demo shops, which the Stack's connectors hold tokens for.
var shops = map[cases.Marketplace]string{
	cases.MercadoLibre: "1001", cases.Taobao: "demo-shop", cases.EBay: "demo-seller", cases.Amazon: "A1DEMOSELLER",
}

// qualityComplaints are 1★ texts in each platform's language that classify
// as a product-quality problem, for which a refund is on offer.
var qualityComplaints = map[cases.Marketplace]string{
	cases.MercadoLibre: "Dejó de funcionar al segundo día, muy mala calidad",
	cases.Taobao:       "质量太差了，用了两天就坏了",
	cases.EBay:         "Stopped working after two days, very poor quality",
	cases.Amazon:       "Stopped working after two days, very poor quality",
}

// simReview is an order and its buyer review on the simulated platform.
type simReview struct {
	Platform cases.Marketplace
	Shop     string
	// ReviewID is the review's id as Redress knows it; SimID the platform's
	// own (they differ on Taobao, where a rate is named by trade and order).
	ReviewID string
	SimID    string
	OrderID  string
	Rating   int
	Text     string
}

// CaseID is the case the review opens.
func (r simReview) CaseID() string { return cases.CaseIDFor(r.Platform, r.Shop, r.ReviewID) }

// addReview creates an order and its review on the platform. With the
// Stack's webhooks on, Mercado Libre, Taobao and eBay notify Redress of it
// at once; Amazon sends no review notifications.
func addReview(t *testing.T, m cases.Marketplace, rating int, text string) simReview {
	t.Helper()
	rv, order, err := stack.Simulator.AddReview(simulator.NewReview{
		Platform: m, ShopID: shops[m], Rating: rating, Text: text,
		BuyerID: fmt.Sprintf("b-%d", time.Now().UnixNano()), BuyerName: "Ana", Item: "Thermos",
		Amount: 12000, ShippingFee: 1500, Courier: "Correo", TrackingNumber: "TN1",
	})
	if err != nil {
		t.Fatalf("simulator: add %s review: %v", m, err)
	}
	id := rv.ID
	if m == cases.Taobao {
		id = marketplace.JoinID(order.ID, rv.ID)
	}
	return simReview{Platform: m, Shop: shops[m], ReviewID: id, SimID: rv.ID, OrderID: order.ID, Rating: rating, Text: text}
}

// postReview hands the review to POST /v1/reviews, as an automation reading
// the platform would, with the rating it now has.
func postReview(t *testing.T, r simReview) string {
	t.Helper()
	resp := do(t, http.MethodPost, "/v1/reviews", robot, map[string]any{
		"marketplace": string(r.Platform), "shop_id": r.Shop, "review_id": r.ReviewID, "order_id": r.OrderID,
		"rating": r.Rating, "text": r.Text, "created_at": time.Now().UTC().Format(time.RFC3339),
		"buyer": map[string]any{"id": "b-" + r.OrderID, "name": "Ana"}, "order_amount": 120.00, "shipping_fee": 15.00,
		"currency": currencyOf(r.Platform),
	})
	if resp.Status != http.StatusCreated && resp.Status != http.StatusOK {
		t.Fatalf("post review: %d %s", resp.Status, resp.Body)
	}
	return r.CaseID()
}

func currencyOf(m cases.Marketplace) string {
	switch m {
	case cases.MercadoLibre:
		return "ARS"
	case cases.Taobao:
		return "CNY"
	}
	return "USD"
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

// waitCase waits until the indexed case satisfies cond.
func waitCase(t *testing.T, caseID string, cond func(testenv.CaseView) bool) testenv.CaseView {
	t.Helper()
	v, err := stack.WaitCase(context.Background(), agent, caseID, cond)
	if err != nil {
		t.Fatalf("%v; last seen: %s", err, summary(v))
	}
	return v
}

// summary describes a case view in one line for failure messages.
func summary(v testenv.CaseView) string {
	s := fmt.Sprintf("stage %s, status %s", v.Case.Stage, v.Case.Status)
	if v.State == nil {
		return s + ", no live state " + v.StateError
	}
	for _, t := range v.State.Tasks {
		s += fmt.Sprintf("; task %s %s", t.Kind, t.Status)
	}
	for _, inc := range v.State.Incidents {
		s += fmt.Sprintf("; incident %s %s %s: %s", inc.Call, inc.Status, inc.ErrorClass, inc.Message)
	}
	return s + fmt.Sprintf("; %d buyer replies, %d messages sent", len(v.State.BuyerReplies), len(v.State.Messages))
}

func waitStage(t *testing.T, caseID string, stage cases.Stage) testenv.CaseView {
	t.Helper()
	return waitCase(t, caseID, func(v testenv.CaseView) bool { return v.Case.Stage == stage })
}

func waitClosed(t *testing.T, caseID string) testenv.CaseView {
	t.Helper()
	return waitCase(t, caseID, func(v testenv.CaseView) bool { return v.Case.Status == cases.StatusClosed })
}

// waitAllClosed waits for the cases to close, all at once.
func waitAllClosed(t *testing.T, caseIDs []string) {
	t.Helper()
	var wg sync.WaitGroup
	for _, id := range caseIDs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := stack.WaitCase(t.Context(), agent, id, func(v testenv.CaseView) bool {
				return v.Case.Status == cases.StatusClosed
			}); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
}

// waitTask waits for the case's open task of a kind.
func waitTask(t *testing.T, caseID string, kind cases.TaskKind) cases.Task {
	t.Helper()
	var task cases.Task
	waitCase(t, caseID, func(v testenv.CaseView) bool {
		var ok bool
		task, ok = v.OpenTask(kind)
		return ok
	})
	return task
}

func complete(t *testing.T, task cases.Task, token string, result map[string]any) testenv.Response {
	t.Helper()
	return do(t, http.MethodPost, "/v1/tasks/"+task.ID+"/complete", token, result)
}

// events reads the case's audit trail.
func events(t *testing.T, caseID string) []cases.Event {
	t.Helper()
	evs, err := stack.Events(context.Background(), manager, caseID)
	if err != nil {
		t.Fatal(err)
	}
	return evs
}

func eventTypes(t *testing.T, caseID string) []string {
	t.Helper()
	var types []string
	for _, e := range events(t, caseID) {
		types = append(types, string(e.Type))
	}
	return types
}

// eventData returns the data of the case's events of a type.
func eventData(t *testing.T, caseID string, typ cases.EventType) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, e := range events(t, caseID) {
		if e.Type == typ {
			m := map[string]any{}
			if err := json.Unmarshal(e.Data, &m); err != nil {
				t.Fatalf("event %d data: %v", e.Seq, err)
			}
			out = append(out, m)
		}
	}
	return out
}

// waitEvent waits until the case's audit trail holds an event of the type:
// the trail is written to the index when the workflow next syncs.
func waitEvent(t *testing.T, caseID string, typ cases.EventType) {
	t.Helper()
	err := testenv.Eventually(context.Background(), testenv.WaitTimeout, func() (bool, error) {
		evs, err := stack.Events(context.Background(), manager, caseID)
		return slices.ContainsFunc(evs, func(e cases.Event) bool { return e.Type == typ }), err
	})
	if err != nil {
		t.Fatalf("case %s never recorded %s: %v (trail: %v)", caseID, typ, err, eventTypes(t, caseID))
	}
}

// workflowRuns counts the case's workflow executions: one review, one case.
func workflowRuns(t *testing.T, caseID string) int64 {
	t.Helper()
	var n int64
	query := fmt.Sprintf("WorkflowId = '%s'", cases.WorkflowIDFor(caseID))
	// Visibility is eventually consistent: wait for the first run to show.
	err := testenv.Eventually(context.Background(), 10*time.Second, func() (bool, error) {
		res, err := stack.Temporal.CountWorkflow(context.Background(), &workflowservice.CountWorkflowExecutionsRequest{Query: query})
		if err != nil {
			return false, err
		}
		n = res.GetCount()
		return n > 0, nil
	})
	if err != nil {
		t.Fatalf("count runs of %s: %v", caseID, err)
	}
	return n
}

// retriedActivities counts the case's activity executions that needed more
// than one attempt, from its workflow history.
func retriedActivities(t *testing.T, caseID string) int {
	t.Helper()
	it := stack.Temporal.GetWorkflowHistory(context.Background(), cases.WorkflowIDFor(caseID), "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	n := 0
	for it.HasNext() {
		e, err := it.Next()
		if err != nil {
			t.Fatalf("history of %s: %v", caseID, err)
		}
		if a := e.GetActivityTaskStartedEventAttributes(); a != nil && a.GetAttempt() > 1 {
			n++
		}
	}
	return n
}

// ledgerOf returns the simulator's side effects of a kind on the order.
func ledgerOf(platform cases.Marketplace, orderID string, kind simulator.LedgerKind) []simulator.LedgerEntry {
	var out []simulator.LedgerEntry
	for _, e := range stack.Simulator.Ledger() {
		if e.Platform == platform && e.OrderID == orderID && e.Kind == kind {
			out = append(out, e)
		}
	}
	return out
}

// repliesTo counts public replies to the review in the ledger.
func repliesTo(r simReview) int {
	n := 0
	for _, e := range stack.Simulator.Ledger() {
		if e.Platform == r.Platform && e.Kind == simulator.LedgerReply && (e.ReviewID == r.SimID || e.OrderID == r.OrderID) {
			n++
		}
	}
	return n
}

func noDuplicates(t *testing.T) {
	t.Helper()
	if d := stack.Simulator.Duplicates(); len(d) > 0 {
		t.Errorf("side effects applied twice: %+v", d)
	}
}

func contains(list []string, s string) bool { return slices.Contains(list, s) }
