package drills

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"go.temporal.io/api/workflowservice/v1"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/internal/testenv"
	"github.com/redress-hq/redress/simulator"
)

// delivery is one webhook as the simulator sent it: path, signed headers, body.
type delivery struct {
	platform cases.Marketplace
	header   http.Header
	body     []byte
}

// captured holds the simulator's webhooks instead of passing them on, so
// the drill can deliver the very same bytes as often as it likes.
type captured struct {
	mu   sync.Mutex
	last map[cases.Marketplace]delivery
}

func (c *captured) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	m := cases.Marketplace(r.URL.Path[strings.LastIndexByte(r.URL.Path, '/')+1:])
	c.mu.Lock()
	c.last[m] = delivery{platform: m, header: r.Header.Clone(), body: body}
	c.mu.Unlock()
}

func (c *captured) take(m cases.Marketplace) (delivery, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	d, ok := c.last[m]
	return d, ok
}

// TestR4Redelivery delivers the same review 10 times at once through POST
// /v1/reviews and the same webhook 10 times at once, for every platform
// that sends review webhooks: each review must get one case and one
// workflow run, and — driven to its remedy — one effect in the ledger.
func TestR4Redelivery(t *testing.T) {
	parallel(t)
	sc := drillScale
	hooks := &captured{last: map[cases.Marketplace]delivery{}}
	capture := httptest.NewServer(hooks)
	t.Cleanup(capture.Close)
	d := startDrill(t, stackOptions{webhookURL: capture.URL})

	var (
		mu       sync.Mutex
		statuses = map[string]map[int]int{} // review → status → count
		caseOf   = map[string]map[string]bool{}
		posted   []postedReview
		webhooks int
		dupSeen  = map[cases.Marketplace]int{}
	)
	note := func(reviewKey string, status int, caseID string) {
		mu.Lock()
		defer mu.Unlock()
		if statuses[reviewKey] == nil {
			statuses[reviewKey], caseOf[reviewKey] = map[int]int{}, map[string]bool{}
		}
		statuses[reviewKey][status]++
		if caseID != "" {
			caseOf[reviewKey][caseID] = true
		}
	}

	// One review per platform; the first four templates cover all four.
	var wg sync.WaitGroup
	for i, tpl := range reviewTemplates[:len(cases.Marketplaces)] {
		review, err := d.newReview(i)
		if err != nil {
			t.Fatal(err)
		}
		key := fmt.Sprintf("%s/%s", tpl.platform, review["review_id"])
		id := cases.CaseIDFor(tpl.platform, review["shop_id"].(string), review["review_id"].(string))
		posted = append(posted, postedReview{CaseID: id, Review: review, OrderID: review["order_id"].(string)})

		hook, hasHook := hooks.take(tpl.platform)
		for range sc.deliveries {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r, err := d.Do(d.ctx, http.MethodPost, "/v1/reviews", d.robotToken, review)
				if err != nil {
					note(key, -1, "")
					return
				}
				var body struct {
					Case *cases.Case `json:"case"`
				}
				_ = r.JSON(&body)
				caseID := ""
				if body.Case != nil {
					caseID = body.Case.ID
				}
				note(key, r.Status, caseID)
			}()
			if !hasHook {
				continue // Amazon sends no review notifications
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				status, dups := d.deliver(d.ctx, hook)
				note(key+" webhook", status, "")
				mu.Lock()
				webhooks++
				dupSeen[tpl.platform] += dups
				mu.Unlock()
			}()
		}
	}
	wg.Wait()

	for key, st := range statuses {
		t.Logf("R4 [%s] %s: answers %v, case ids %v", sc.name, key, st, keys(caseOf[key]))
		for status, n := range st {
			if status < 200 || status >= 300 {
				t.Errorf("%s: %d deliveries answered %d", key, n, status)
			}
		}
		if !strings.HasSuffix(key, " webhook") && (len(caseOf[key]) != 1 || st[http.StatusCreated] > 1) {
			t.Errorf("%s: %d distinct cases, %d answers 201 — want one case, at most one 201", key, len(caseOf[key]), st[http.StatusCreated])
		}
	}
	for m, dups := range dupSeen {
		if want := sc.deliveries - 1; dups != want {
			t.Errorf("%s webhook: API counted %d duplicate deliveries of 10 identical ones, want %d", m, dups, want)
		}
	}
	t.Logf("R4: %d review posts and %d webhook deliveries, all concurrent", sc.deliveries*len(posted), webhooks)

	// One workflow run per review, and — once the cases have written their
	// rows — one case row.
	for _, p := range posted {
		runs, err := d.workflowRuns(cases.WorkflowIDFor(p.CaseID))
		if err != nil {
			t.Fatal(err)
		}
		if runs != 1 {
			t.Errorf("%s: %d workflow runs, want 1", p.CaseID, runs)
		}
	}

	// Drive each case to its remedy and outcome: one effect each.
	ids := caseIDs(posted)
	ag := newAgent(d)
	stopAgent := ag.start()
	settleErr := d.settle(d.ctx, ids, sc.settle, false)
	stopAgent()
	f, err := d.inspect(d.ctx, ids)
	if err != nil {
		t.Fatal(err)
	}
	summary := fmt.Sprintf("%d review posts and %d webhook deliveries, all concurrent; %s", sc.deliveries*len(posted), webhooks, f)
	t.Log("R4 found: " + summary)
	recordResult("R4", "dev server: every review and webhook delivered many times at once", summary)
	if settleErr != nil {
		t.Errorf("R4: %v", settleErr)
	}
	for _, p := range posted {
		var rows, runs int
		if err := d.Store.DB().GetContext(d.ctx, &rows, `SELECT count(*) FROM cases WHERE marketplace = $1 AND review_id = $2`,
			p.Review["marketplace"], p.Review["review_id"]); err != nil {
			t.Fatal(err)
		}
		if runs, err = d.workflowRuns(cases.WorkflowIDFor(p.CaseID)); err != nil {
			t.Fatal(err)
		}
		effects := remedyEffects(f.ledger, p)
		t.Logf("R4 %s review %s: %d case rows, %d workflow runs, remedy effects %v", p.Review["marketplace"], p.Review["review_id"], rows, runs, effects)
		if rows != 1 || runs != 1 {
			t.Errorf("%s: %d case rows and %d workflow runs for one review, want 1 and 1", p.CaseID, rows, runs)
		}
		if len(effects) == 0 {
			t.Errorf("%s: no remedy reached the marketplace", p.CaseID)
		}
		for kind, n := range effects {
			if n > 1 {
				t.Errorf("%s: %s applied %d times", p.CaseID, kind, n)
			}
		}
	}
	d.judge(f, false, false)
}

// deliver posts one captured webhook to the API as the platform would.
func (d *drill) deliver(ctx context.Context, h delivery) (status, duplicates int) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, d.URL+"/v1/webhooks/"+string(h.platform), bytes.NewReader(h.body))
	if err != nil {
		return -1, 0
	}
	req.Header = h.header.Clone()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return -1, 0
	}
	defer resp.Body.Close()
	var out struct {
		Duplicates int `json:"duplicates"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out.Duplicates
}

// workflowRuns counts the runs Temporal knows under one workflow id.
func (d *drill) workflowRuns(workflowID string) (int, error) {
	var runs int
	err := testenv.Eventually(d.ctx, 10*time.Second, func() (bool, error) {
		resp, err := d.Temporal.CountWorkflow(d.ctx, &workflowservice.CountWorkflowExecutionsRequest{
			Namespace: "default", Query: fmt.Sprintf("WorkflowId = '%s'", workflowID)})
		runs = int(resp.GetCount())
		return err == nil && runs > 0, err
	})
	return runs, err
}

// remedyEffects counts the order's remedy side effects by kind.
func remedyEffects(ledger []simulator.LedgerEntry, p postedReview) map[simulator.LedgerKind]int {
	out := map[simulator.LedgerKind]int{}
	for _, e := range ledger {
		if e.OrderID != p.OrderID && e.ReviewID != p.Review["review_id"] {
			continue
		}
		switch e.Kind {
		case simulator.LedgerRefund, simulator.LedgerCoupon, simulator.LedgerReship, simulator.LedgerReply:
			out[e.Kind]++
		}
	}
	return out
}

func keys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
