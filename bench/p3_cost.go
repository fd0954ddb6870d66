package main

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/sdk/client"
	"google.golang.org/protobuf/proto"

	"github.com/redress-hq/redress/cases"
)

// p3Cases happy-path cases are played and their histories averaged.
const p3Cases = 3

// historyCount is what one or more workflow histories hold.
type historyCount struct {
	Runs    int
	Events  int
	Bytes   int
	ByType  map[string]int
	Actions map[string]int // billable actions by rule
	// Activities counts scheduled activities by type: where most actions go.
	Activities map[string]int
}

func (h historyCount) perRun(v int) float64 { return float64(v) / float64(max(h.Runs, 1)) }

func (h historyCount) actions() int {
	n := 0
	for _, v := range h.Actions {
		n += v
	}
	return n
}

// billableRules estimate Temporal Cloud actions from history events. They
// follow Cloud's published list: a workflow start, every activity start and
// retry, timer, signal, accepted update, search-attribute or memo upsert,
// child workflow and external signal or cancel each count once, and "all
// Local Activities associated with one Workflow Task count as a single
// Action" (docs.temporal.io/evaluate/cloud/actions): one per workflow task
// that recorded local-activity markers. Workflow tasks, completions, queries (not in
// history) and version/side-effect markers are not counted here.
var billableRules = map[enumspb.EventType]string{
	enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED:                           "workflow start",
	enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW:                  "workflow start",
	enumspb.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:                              "activity start",
	enumspb.EVENT_TYPE_TIMER_STARTED:                                        "timer",
	enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED:                          "signal",
	enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED:                   "update accepted",
	enumspb.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES:                    "search attribute upsert",
	enumspb.EVENT_TYPE_WORKFLOW_PROPERTIES_MODIFIED:                         "memo upsert",
	enumspb.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED:             "child workflow",
	enumspb.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED:         "external signal",
	enumspb.EVENT_TYPE_REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED: "external cancel",
}

// countHistory reads a workflow's whole history and adds it to h.
func countHistory(ctx context.Context, c client.Client, workflowID string, h *historyCount) error {
	if h.ByType == nil {
		h.ByType, h.Actions, h.Activities = map[string]int{}, map[string]int{}, map[string]int{}
	}
	laTasks := map[int64]bool{} // workflow tasks that ran local activities
	it := c.GetWorkflowHistory(ctx, workflowID, "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	for it.HasNext() {
		ev, err := it.Next()
		if err != nil {
			return fmt.Errorf("history of %s: %w", workflowID, err)
		}
		if m := ev.GetMarkerRecordedEventAttributes(); m.GetMarkerName() == "LocalActivity" {
			if wt := m.GetWorkflowTaskCompletedEventId(); !laTasks[wt] {
				laTasks[wt] = true
				h.Actions["local activities (per workflow task)"]++
			}
		}
		h.Events++
		h.Bytes += proto.Size(ev)
		h.ByType[eventName(ev.GetEventType())]++
		if rule, ok := billableRules[ev.GetEventType()]; ok {
			h.Actions[rule]++
		}
		addSpecialActions(ev, h)
	}
	h.Runs++
	return nil
}

// addSpecialActions counts what needs a look inside the event: activity
// retries (every attempt after the first is billed).
func addSpecialActions(ev *historypb.HistoryEvent, h *historyCount) {
	switch ev.GetEventType() {
	case enumspb.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
		h.Activities[ev.GetActivityTaskScheduledEventAttributes().GetActivityType().GetName()]++
	case enumspb.EVENT_TYPE_ACTIVITY_TASK_STARTED:
		if a := ev.GetActivityTaskStartedEventAttributes().GetAttempt(); a > 1 {
			h.Actions["activity retry"] += int(a - 1)
		}
	}
}

// eventName is the event type as the Temporal UI shows it (ActivityTaskScheduled).
func eventName(t enumspb.EventType) string { return t.String() }

func (e *environment) runP3(ctx context.Context) (Phase, error) {
	ph := Phase{Title: phaseTitles["P3"]}
	if err := e.ensure(ctx); err != nil {
		return ph, err
	}
	redress, err := e.captureShape(ctx)
	if err != nil {
		return ph, err
	}
	var bare historyCount
	id := fmt.Sprintf("bench-shape-p3-%d", time.Now().UnixNano())
	if err := runShape(ctx, e.stack.Temporal, id, e.shape); err != nil {
		return ph, err
	}
	if err := countHistory(ctx, e.stack.Temporal, id, &bare); err != nil {
		return ph, err
	}
	e.log.Info("P3 baseline", "shape", fmt.Sprintf("%+v", e.shape), "events", bare.Events, "actions", bare.actions())

	base := e.shape.describe()
	ph.Figures = []Figure{
		figure("billable actions per case (estimate)", "actions", redress.perRun(redress.actions()), bare.perRun(bare.actions()), base),
		figure("history events per case", "events", redress.perRun(redress.Events), bare.perRun(bare.Events), base),
		figure("history size per case", "KiB", redress.perRun(redress.Bytes)/1024, bare.perRun(bare.Bytes)/1024, base),
	}
	ph.Tables = []Table{actionsTable(redress, bare), activitiesTable(redress), eventsTable(redress, bare)}
	ph.Notes = []string{
		fmt.Sprintf("Averaged over %d happy-path cases on %s: automatic first contact, the buyer answers through the API, the agent verifies (merchant at fault), picks the first remedy offered, follow-up and review check after %s each.", p3Cases, happyMarketplace, e.cfg.P2Delay),
		"Counting rules (estimate of Temporal Cloud actions): 1 per workflow start, activity scheduled, activity retry (attempt > 1), timer started, signal, update accepted, search-attribute upsert, memo upsert, the local activities of one workflow task (one action for all of them, as Cloud bills them), child workflow, external signal/cancel. Not counted: workflow tasks, completions, side-effect/version markers, rejected updates (not in history), and queries (the API's case page runs one per view; Cloud bills those too).",
	}
	ph.LimitedBy = costText(redress, bare)
	return ph, nil
}

// captureShape plays p3Cases happy-path cases, counts their histories and
// records the irreducible playbook the baselines of P1, P2 and P3 copy
// (e.shape, recordedPlaybook).
func (e *environment) captureShape(ctx context.Context) (historyCount, error) {
	c := newAPIClient(e.stack.URL, adminToken, 4)
	var redress historyCount
	deadlines := 0
	var first string
	for i := range p3Cases {
		start := time.Now()
		caseID, err := runHappyCase(ctx, c, e.stack.Simulator, e.stack.Shops, 2*time.Minute)
		if err != nil {
			return redress, fmt.Errorf("happy case %d: %w", i+1, err)
		}
		if err := waitClosed(ctx, e.stack.Temporal, cases.WorkflowIDFor(caseID)); err != nil {
			return redress, err
		}
		if err := countHistory(ctx, e.stack.Temporal, cases.WorkflowIDFor(caseID), &redress); err != nil {
			return redress, err
		}
		if first == "" {
			first = cases.WorkflowIDFor(caseID)
		}
		events, err := e.stack.Store.CaseEvents(ctx, caseID)
		if err != nil {
			return redress, err
		}
		for _, ev := range events {
			if ev.Type == cases.EventDeadlineSet {
				deadlines++
			}
		}
		e.log.Info("happy case played", "n", i+1, "case", caseID, "took", time.Since(start).Round(time.Millisecond),
			"events_so_far", redress.Events, "actions_so_far", redress.actions())
	}
	played, err := capturePayloads(ctx, e.stack.Temporal, e.stack.Payloads, first)
	if err != nil {
		return redress, err
	}
	recordedPlaybook = played
	e.shape = shape{
		// The external calls: marketplace calls and alerts, as the first case made them.
		Activities:  len(recordedPlaybook.Calls),
		Updates:     int(redress.perRun(redress.ByType["WorkflowExecutionUpdateAccepted"]+redress.ByType["WorkflowExecutionSignaled"]) + 0.5),
		Waits:       []time.Duration{e.cfg.P2Delay, e.cfg.P2Delay},
		Deadlines:   int(float64(deadlines)/float64(p3Cases) + 0.5),
		IndexWrites: true,
	}
	return redress, nil
}

// ensureShape captures the playbook when P3 did not run before: the
// baselines of P1 and P2 copy it.
func (e *environment) ensureShape(ctx context.Context) error {
	if e.shape.Activities > 0 {
		return nil
	}
	e.log.Info("capturing the playbook of a happy case for the baseline (as P3 does)", "cases", p3Cases)
	_, err := e.captureShape(ctx)
	return err
}

// waitClosed blocks until the workflow finished.
func waitClosed(ctx context.Context, c client.Client, workflowID string) error {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	if err := c.GetWorkflow(ctx, workflowID, "").Get(ctx, nil); err != nil {
		return fmt.Errorf("workflow %s: %w", workflowID, err)
	}
	return nil
}

func actionsTable(r, b historyCount) Table {
	t := Table{Title: "Billable actions per case, by rule", Header: []string{"rule", "Redress case", "bare workflow"}}
	for _, k := range sortedKeys(r.Actions, b.Actions) {
		t.Rows = append(t.Rows, []string{k, f1(r.perRun(r.Actions[k])), f1(b.perRun(b.Actions[k]))})
	}
	t.Rows = append(t.Rows, []string{"**total**", f1(r.perRun(r.actions())), f1(b.perRun(b.actions()))})
	return t
}

func activitiesTable(r historyCount) Table {
	t := Table{Title: "Activities per Redress case, by type", Header: []string{"activity", "per case"}}
	for _, k := range sortedKeys(r.Activities, nil) {
		t.Rows = append(t.Rows, []string{k, f1(r.perRun(r.Activities[k]))})
	}
	return t
}

func eventsTable(r, b historyCount) Table {
	t := Table{Title: "History events per case, by type", Header: []string{"event type", "Redress case", "bare workflow"}}
	for _, k := range sortedKeys(r.ByType, b.ByType) {
		t.Rows = append(t.Rows, []string{k, f1(r.perRun(r.ByType[k])), f1(b.perRun(b.ByType[k]))})
	}
	t.Rows = append(t.Rows, []string{"**total**", f1(r.perRun(r.Events)), f1(b.perRun(b.Events))})
	return t
}

// sortedKeys lists the keys of both maps, most frequent in a first.
func sortedKeys(a, b map[string]int) []string {
	seen := map[string]bool{}
	var keys []string
	for _, m := range []map[string]int{a, b} {
		for k := range m {
			if !seen[k] {
				seen[k] = true
				keys = append(keys, k)
			}
		}
	}
	sort.Slice(keys, func(i, j int) bool {
		if a[keys[i]] != a[keys[j]] {
			return a[keys[i]] > a[keys[j]]
		}
		return keys[i] < keys[j]
	})
	return keys
}

func f1(v float64) string { return fmt.Sprintf("%.1f", v) }

// costText says where a case's actions go, from the counted histories.
func costText(r, b historyCount) string {
	top := sortedKeys(r.Activities, nil)
	var parts []string
	for _, k := range top[:min(3, len(top))] {
		parts = append(parts, fmt.Sprintf("%s ×%s", k, f1(r.perRun(r.Activities[k]))))
	}
	return fmt.Sprintf("Design, not hardware: of %s actions per case (the bare workflow: %s), %s are activities (most: %s; the bare workflow has %s), %s are workflow tasks that ran local activities (the index mirror where someone waits, the alert; the bare workflow has none but writes its index as %s activities), %s timers (deadlines and waits; the bare workflow has %s) and %s search-attribute upserts (Temporal's TemporalChangeVersion, written by the case's one GetVersion).",
		f1(r.perRun(r.actions())), f1(b.perRun(b.actions())), f1(r.perRun(r.Actions["activity start"])), strings.Join(parts, ", "),
		f1(b.perRun(b.Actions["activity start"])), f1(r.perRun(r.Actions["local activities (per workflow task)"])), f1(b.perRun(b.Activities["IndexWriteActivity"])),
		f1(r.perRun(r.Actions["timer"])), f1(b.perRun(b.Actions["timer"])), f1(r.perRun(r.Actions["search attribute upsert"])))
}
