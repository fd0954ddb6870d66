package drills

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/lib/pq"
	enumspb "go.temporal.io/api/enums/v1"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/simulator"
	"github.com/redress-hq/redress/store"
	"github.com/redress-hq/redress/workflows"
)

// caseVerdict is where one case ended up after a drill.
type caseVerdict string

const (
	verdictClosed          caseVerdict = "closed"
	verdictWaitsOnTask     caseVerdict = "open, waiting on a task"
	verdictWaitsOnIncident caseVerdict = "open, holding an incident"
	verdictStuck           caseVerdict = "open, waiting on nobody"
	verdictLost            caseVerdict = "lost"
)

// findings is what a drill found, case by case and in the ledger.
type findings struct {
	byVerdict  map[caseVerdict][]string
	lost       []string // why each lost case counts as lost
	duplicates []simulator.LedgerEntry
	ledger     []simulator.LedgerEntry
}

func (f findings) count(v caseVerdict) int { return len(f.byVerdict[v]) }

func (f findings) String() string {
	parts := []string{}
	for _, v := range []caseVerdict{verdictClosed, verdictWaitsOnTask, verdictWaitsOnIncident, verdictStuck, verdictLost} {
		parts = append(parts, fmt.Sprintf("%s: %d", v, f.count(v)))
	}
	kinds := map[simulator.LedgerKind]int{}
	for _, e := range f.ledger {
		kinds[e.Kind]++
	}
	return fmt.Sprintf("%s; ledger %v, duplicate side effects: %d", strings.Join(parts, ", "), kinds, len(f.duplicates))
}

// inspect judges every case: it must have its row in the index and a
// workflow that is running or completed; open cases must wait on a person
// (an open task or incident). The ledger must hold no side effect twice.
func (d *drill) inspect(ctx context.Context, ids []string) (findings, error) {
	f := findings{byVerdict: map[caseVerdict][]string{}, duplicates: d.Simulator.Duplicates(), ledger: d.Simulator.Ledger()}
	waiting, err := d.casesWaitingOnPeople(ctx)
	if err != nil {
		return f, err
	}
	for _, id := range ids {
		v, why, err := d.verdict(ctx, id, waiting)
		if err != nil {
			return f, err
		}
		f.byVerdict[v] = append(f.byVerdict[v], id)
		if v == verdictLost {
			f.lost = append(f.lost, id+": "+why)
		}
	}
	return f, nil
}

func (d *drill) verdict(ctx context.Context, id string, waiting map[string]caseVerdict) (caseVerdict, string, error) {
	kase, err := d.Store.GetCase(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return verdictLost, "no row in the case index", nil
	}
	if err != nil {
		return "", "", fmt.Errorf("read case %s: %w", id, err)
	}
	desc, err := d.Temporal.DescribeWorkflowExecution(ctx, cases.WorkflowIDFor(id), "")
	if err != nil {
		return verdictLost, "no workflow: " + err.Error(), nil
	}
	status := desc.GetWorkflowExecutionInfo().GetStatus()
	switch {
	case status != enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING && status != enumspb.WORKFLOW_EXECUTION_STATUS_COMPLETED:
		return verdictLost, "workflow " + status.String(), nil
	case kase.Status == cases.StatusClosed:
		return verdictClosed, "", nil
	case status == enumspb.WORKFLOW_EXECUTION_STATUS_COMPLETED:
		return verdictLost, "workflow completed but the index shows the case open", nil
	}
	if v, ok := waiting[id]; ok {
		return v, "", nil
	}
	return verdictStuck, "", nil
}

// casesWaitingOnPeople maps open cases with an open incident or task to it.
func (d *drill) casesWaitingOnPeople(ctx context.Context) (map[string]caseVerdict, error) {
	out := map[string]caseVerdict{}
	var tasks, incidents []string
	if err := d.Store.DB().SelectContext(ctx, &tasks,
		`SELECT DISTINCT case_id FROM tasks WHERE status IN ('open', 'claimed')`); err != nil {
		return nil, fmt.Errorf("open tasks: %w", err)
	}
	if err := d.Store.DB().SelectContext(ctx, &incidents,
		`SELECT DISTINCT case_id FROM incidents WHERE status IN ('open', 'retrying')`); err != nil {
		return nil, fmt.Errorf("open incidents: %w", err)
	}
	for _, id := range tasks {
		out[id] = verdictWaitsOnTask
	}
	for _, id := range incidents {
		out[id] = verdictWaitsOnIncident
	}
	return out, nil
}

// settle waits until every case is closed, or open with an incident when
// incidentsCount, or the timeout passes; it logs progress as it goes. It
// watches the index (cheap) and leaves the per-case judgement, which asks
// Temporal about every workflow, to inspect.
func (d *drill) settle(ctx context.Context, ids []string, timeout time.Duration, incidentsCount bool) error {
	deadline := time.Now().Add(timeout)
	lastLog := time.Now()
	for {
		p, err := d.progress(ctx, ids)
		if err == nil {
			done := p.closed
			if incidentsCount {
				done += p.withIncident
			}
			if done == len(ids) {
				return nil
			}
			if time.Since(lastLog) > 15*time.Second {
				d.t.Logf("settling: %d of %d cases closed, %d open with an incident, %d open with a task; %d ledger entries",
					p.closed, len(ids), p.withIncident, p.withTask, len(d.Simulator.Ledger()))
				lastLog = time.Now()
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("cases did not settle within %s", timeout)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Second):
		}
	}
}

// progress counts the drill's cases by what the index says of them.
type progress struct{ closed, withIncident, withTask int }

func (d *drill) progress(ctx context.Context, ids []string) (progress, error) {
	var p progress
	err := d.Store.DB().QueryRowxContext(ctx, `
SELECT count(*) FILTER (WHERE c.status = 'closed'),
       count(*) FILTER (WHERE c.status = 'open' AND EXISTS (
           SELECT 1 FROM incidents i WHERE i.case_id = c.id AND i.status IN ('open', 'retrying'))),
       count(*) FILTER (WHERE c.status = 'open' AND EXISTS (
           SELECT 1 FROM tasks t WHERE t.case_id = c.id AND t.status IN ('open', 'claimed')))
FROM cases c WHERE c.id = ANY($1)`, pq.Array(ids)).Scan(&p.closed, &p.withIncident, &p.withTask)
	if err != nil {
		return p, fmt.Errorf("progress: %w", err)
	}
	return p, nil
}

// auditGaps checks each case's audit trail in the index: events numbered
// 1..N without a gap, and N equal to the workflow's own event count.
func (d *drill) auditGaps(ctx context.Context, ids []string) (events int64, gaps []string, err error) {
	type trail struct {
		CaseID string `db:"case_id"`
		Count  int64  `db:"n"`
		Max    int64  `db:"max_seq"`
	}
	var rows []trail
	if err := d.Store.DB().SelectContext(ctx, &rows,
		`SELECT case_id, count(*) AS n, max(seq) AS max_seq FROM case_events GROUP BY case_id`); err != nil {
		return 0, nil, fmt.Errorf("audit trails: %w", err)
	}
	byCase := map[string]trail{}
	for _, r := range rows {
		byCase[r.CaseID] = r
		events += r.Count
	}
	for _, id := range ids {
		tr, ok := byCase[id]
		if !ok {
			gaps = append(gaps, id+": no events")
			continue
		}
		if tr.Count != tr.Max {
			gaps = append(gaps, fmt.Sprintf("%s: %d events but seq reaches %d", id, tr.Count, tr.Max))
			continue
		}
		v, err := d.Temporal.QueryWorkflow(ctx, cases.WorkflowIDFor(id), "", workflows.QueryState)
		if err != nil {
			gaps = append(gaps, fmt.Sprintf("%s: query state: %v", id, err))
			continue
		}
		var st workflows.CaseState
		if err := v.Get(&st); err != nil {
			return 0, nil, fmt.Errorf("decode state of %s: %w", id, err)
		}
		if st.EventCount != tr.Count {
			gaps = append(gaps, fmt.Sprintf("%s: workflow recorded %d events, index holds %d", id, st.EventCount, tr.Count))
			continue
		}
		diff, err := d.indexDiff(ctx, id, st)
		if err != nil {
			return 0, nil, err
		}
		if diff != "" {
			gaps = append(gaps, id+": "+diff)
		}
	}
	sort.Strings(gaps)
	return events, gaps, nil
}

// effectsTwice lists refunds per order and public replies per review that
// happened more than once; each may happen at most once.
func effectsTwice(ledger []simulator.LedgerEntry) []string {
	count := map[string]int{}
	for _, e := range ledger {
		switch e.Kind {
		case simulator.LedgerRefund:
			count[fmt.Sprintf("refund of %s order %s", e.Platform, e.OrderID)]++
		case simulator.LedgerReply:
			count[fmt.Sprintf("public reply to %s review %s", e.Platform, e.ReviewID)]++
		}
	}
	var out []string
	for k, n := range count {
		if n > 1 {
			out = append(out, fmt.Sprintf("%s ×%d", k, n))
		}
	}
	sort.Strings(out)
	return out
}

// judge fails the drill for every lost, stuck or duplicated thing it found.
// Open cases waiting on a task are accepted only when allowWaiting (the
// agent has stopped); cases holding an incident only when allowIncidents.
func (d *drill) judge(f findings, allowWaiting, allowIncidents bool) {
	t := d.t
	t.Helper()
	for _, why := range f.lost {
		t.Errorf("lost case %s", why)
	}
	if ids := f.byVerdict[verdictStuck]; len(ids) > 0 {
		t.Errorf("%d cases open with no task or incident (stuck): %v", len(ids), firstOf(ids))
	}
	if ids := f.byVerdict[verdictWaitsOnTask]; len(ids) > 0 && !allowWaiting {
		t.Errorf("%d cases still wait on a task the agent did not finish: %v", len(ids), firstOf(ids))
	}
	if ids := f.byVerdict[verdictWaitsOnIncident]; len(ids) > 0 && !allowIncidents {
		t.Errorf("%d cases hold an incident: %v", len(ids), firstOf(ids))
	}
	for _, e := range f.duplicates {
		t.Errorf("side effect applied twice: %s %s %s ref %q (order %s, review %s)", e.Platform, e.Kind, e.ID, e.Ref, e.OrderID, e.ReviewID)
	}
	for _, dup := range effectsTwice(f.ledger) {
		t.Errorf("more than once: %s", dup)
	}
	if t.Failed() {
		// The money and replies in the ledger, for the diagnosis; a full run
		// has thousands, so only the first ones.
		shown := 0
		for _, e := range f.ledger {
			if e.Kind != simulator.LedgerMessage && shown < 40 {
				t.Logf("ledger: #%d %s %s %s id %s ref %q order %s review %s: %.80s", e.Seq, e.Platform, e.ShopID, e.Kind, e.ID, e.Ref, e.OrderID, e.ReviewID, e.Payload)
				shown++
			}
		}
	}
}

// firstOf shortens a long list of case ids for the log.
func firstOf(ids []string) []string {
	if len(ids) > 10 {
		return append(ids[:10:10], fmt.Sprintf("… %d more", len(ids)-10))
	}
	return ids
}

// indexDiff compares what the index shows of a case (its row and its tasks)
// with the workflow's own state. The counts can agree while the contents
// differ: events written from a workflow task that never completed, at the
// sequence numbers its retry used for others (the R1 drill saw a verify
// task shown done while the case waited on it).
func (d *drill) indexDiff(ctx context.Context, id string, st workflows.CaseState) (string, error) {
	c, err := d.Store.GetCase(ctx, id)
	if err != nil {
		return "", fmt.Errorf("index case %s: %w", id, err)
	}
	if c.Stage != st.Stage || c.Status != st.Status || c.Outcome != st.Outcome {
		return fmt.Sprintf("index shows %s/%s/%q, workflow %s/%s/%q", c.Stage, c.Status, c.Outcome, st.Stage, st.Status, st.Outcome), nil
	}
	tasks, err := d.Store.ListTasks(ctx, store.TaskFilter{CaseID: id, Status: store.TaskStatusAll})
	if err != nil {
		return "", fmt.Errorf("index tasks of %s: %w", id, err)
	}
	shown := map[string]cases.TaskStatus{}
	for _, t := range tasks.Items {
		shown[t.ID] = t.Status
	}
	if len(shown) != len(st.Tasks) {
		return fmt.Sprintf("index shows %d tasks, workflow has %d", len(shown), len(st.Tasks)), nil
	}
	for _, t := range st.Tasks {
		if shown[t.ID] != t.Status {
			return fmt.Sprintf("task %s: index shows %q, workflow %q", t.ID, shown[t.ID], t.Status), nil
		}
	}
	return "", nil
}
