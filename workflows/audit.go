package workflows

import (
	"encoding/json"
	"sort"
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/redress-hq/redress/cases"
)

// record appends one audit event to the buffer; flush writes it. Data is
// marshalled from maps, whose keys encoding/json sorts, so replays agree.
func (r *caseRun) record(ctx workflow.Context, t cases.EventType, actor cases.Actor, data map[string]any) {
	r.seq++
	raw, err := json.Marshal(data)
	if err != nil || data == nil {
		raw = json.RawMessage(`{}`)
	}
	e := cases.Event{
		CaseID: r.in.CaseID, Seq: r.seq, Type: t, Actor: actor.ID, Role: actor.Role,
		At: workflow.Now(ctx), Data: raw,
	}
	r.pending = append(r.pending, e)
	if err := r.view.Apply(e); err != nil {
		workflow.GetLogger(ctx).Error("fold case event", "error", err)
	}
}

// setStage moves the case along the playbook and keeps search attributes current.
func (r *caseRun) setStage(ctx workflow.Context, s cases.Stage) {
	if r.state.Stage == s {
		return
	}
	r.record(ctx, cases.EventStageChanged, cases.SystemActor, map[string]any{"from": r.state.Stage, "to": s})
	r.state.Stage = s
	r.upsertSearchAttributes(ctx)
}

func (r *caseRun) upsertSearchAttributes(ctx workflow.Context) {
	if r.lean {
		return // nothing reads them; the index has stage, issue and breach
	}
	err := workflow.UpsertTypedSearchAttributes(ctx,
		StageKey.ValueSet(string(r.state.Stage)),
		MarketplaceKey.ValueSet(string(r.in.Review.Marketplace)),
		IssueKey.ValueSet(string(r.state.Issue)),
		BreachedKey.ValueSet(r.state.Breached),
	)
	if err != nil {
		workflow.GetLogger(ctx).Warn("upsert search attributes", "error", err)
	}
}

// flush is the index write after a step. Cases on the events-not-rows
// version write only where someone waits (sync, settle), so for them it does
// nothing; older cases flush after every step as they always did.
func (r *caseRun) flush(ctx workflow.Context) error {
	if r.lean {
		return nil
	}
	return r.sync(ctx)
}

// settle is the index write after a handler changed the case: skipped when
// the change wakes the playbook from its wait (it syncs at its next one),
// made when the playbook stays waiting and the index would lag behind.
func (r *caseRun) settle(ctx workflow.Context) error {
	if r.lean && r.waitCond != nil && r.waitCond() {
		return nil
	}
	if r.lean3 && r.waitCond == nil {
		return nil // the playbook is running: its next wait writes the index
	}
	return r.sync(ctx)
}

// neverWakes is the wait condition of a plain sleep: no handler ends it.
func neverWakes() bool { return false }

// atRest marks the playbook waiting on cond until the returned func is
// called; handlers read it in settle.
func (r *caseRun) atRest(cond func() bool) func() {
	r.waitCond = cond
	return func() { r.waitCond = nil }
}

// sync writes buffered events to the case index in one SyncCase activity
// (before the events-not-rows version, with the case row and the changed
// tasks, deadlines and incidents). It runs where someone waits on the
// result: before the case waits for a person, a reply or a timer, at a
// deadline event, at close. A mutex keeps batches in sequence order when the
// playbook, a deadline timer and a handler sync together.
func (r *caseRun) sync(ctx workflow.Context) error {
	if err := r.syncMu.Lock(ctx); err != nil {
		return err
	}
	defer r.syncMu.Unlock()
	if len(r.pending) == 0 && (r.lean || len(r.dirtyTasks) == 0 && len(r.dirtyDeadline) == 0 && len(r.dirtyIncident) == 0) {
		return nil
	}
	batch := r.takeBatch(ctx)
	// A disconnected context: a batch taken from the buffer must land even
	// when the case is being closed underneath it.
	dctx, _ := workflow.NewDisconnectedContext(ctx)
	actx := workflow.WithActivityOptions(dctx, syncOptions)
	return workflow.ExecuteActivity(actx, acts.SyncCase, batch).Get(actx, nil)
}

// takeBatch empties the buffer into a SyncBatch whose case Version is the
// latest event sequence, so the store never lets an older batch win.
func (r *caseRun) takeBatch(ctx workflow.Context) cases.SyncBatch {
	if r.lean {
		// Events only: the store folds them into the rows.
		b := cases.SyncBatch{Events: r.pending}
		r.pending = nil
		r.dirtyTasks, r.dirtyDeadline, r.dirtyIncident = map[string]bool{}, map[cases.DeadlineKind]bool{}, map[string]bool{}
		return b
	}
	b := cases.SyncBatch{Case: r.caseRow(ctx), Events: r.pending}
	r.pending = nil
	for _, t := range r.state.Tasks {
		if r.dirtyTasks[t.ID] {
			t.Version = r.seq
			b.Tasks = append(b.Tasks, t)
		}
	}
	for _, d := range r.state.Deadlines {
		if r.dirtyDeadline[d.Kind] {
			b.Deadlines = append(b.Deadlines, d)
		}
	}
	for _, inc := range r.state.Incidents {
		if r.dirtyIncident[inc.ID] {
			inc.Version = r.seq
			b.Incidents = append(b.Incidents, inc)
		}
	}
	r.dirtyTasks, r.dirtyDeadline, r.dirtyIncident = map[string]bool{}, map[cases.DeadlineKind]bool{}, map[string]bool{}
	return b
}

// caseRow is the case index row as of now.
func (r *caseRun) caseRow(ctx workflow.Context) cases.Case {
	c := r.row
	c.Issue, c.Stage, c.Status = r.state.Issue, r.state.Stage, r.state.Status
	c.Severity, c.Responsibility, c.Outcome = r.state.Severity, r.state.Responsibility, r.state.Outcome
	c.Breached, c.RemedyCost = r.state.Breached, r.state.RemedyCost
	if r.state.Remedy != nil {
		c.Remedy = r.state.Remedy.Type
	}
	if r.evidence != nil {
		c.Courier = r.evidence.Courier
	}
	c.FirstContactAt = r.firstContactAt
	c.NextDeadline, c.NextDeadlineAt = "", nil
	pending := make([]cases.Deadline, 0, len(r.state.Deadlines))
	for _, d := range r.state.Deadlines {
		if d.Status == cases.DeadlinePending {
			pending = append(pending, d)
		}
	}
	sort.SliceStable(pending, func(i, j int) bool { return pending[i].DueAt.Before(pending[j].DueAt) })
	if len(pending) > 0 {
		due := pending[0].DueAt
		c.NextDeadline, c.NextDeadlineAt = pending[0].Kind, &due
	}
	for _, t := range r.state.Tasks {
		if t.Status == cases.TaskClaimed {
			c.Assignee = t.Assignee
		}
	}
	c.UpdatedAt = workflow.Now(ctx)
	c.Version = r.seq
	return c
}

func timePtr(t time.Time) *time.Time { return &t }
