package workflows

import (
	"encoding/json"
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
	if r.view.Case.Stage == s {
		return
	}
	r.record(ctx, cases.EventStageChanged, cases.SystemActor, map[string]any{"from": r.view.Case.Stage, "to": s})
	r.upsertSearchAttributes(ctx)
}

func (r *caseRun) upsertSearchAttributes(ctx workflow.Context) {
	if r.mirror >= 1 {
		return // nothing reads them; the index has stage, issue and breach
	}
	err := workflow.UpsertTypedSearchAttributes(ctx,
		StageKey.ValueSet(string(r.view.Case.Stage)),
		MarketplaceKey.ValueSet(string(r.in.Review.Marketplace)),
		IssueKey.ValueSet(string(r.view.Case.Issue)),
		BreachedKey.ValueSet(r.view.Case.Breached),
	)
	if err != nil {
		workflow.GetLogger(ctx).Warn("upsert search attributes", "error", err)
	}
}

// flush is the index write after a step. Cases on the events-not-rows
// version write only where someone waits (sync, settle), so for them it does
// nothing; older cases flush after every step as they always did.
func (r *caseRun) flush(ctx workflow.Context) error {
	if r.mirror >= 1 {
		return nil
	}
	return r.sync(ctx)
}

// settle is the index write after a handler changed the case: skipped when
// the change wakes the playbook from its wait (it syncs at its next one),
// made when the playbook stays waiting and the index would lag behind.
func (r *caseRun) settle(ctx workflow.Context) error {
	if r.mirror >= 1 && r.waitCond != nil && r.waitCond() {
		return nil
	}
	if r.mirror >= 3 && r.waitCond == nil {
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

// sync writes buffered events to the case index in one SyncCase call (before
// the events-not-rows version, with the case row and the changed tasks,
// deadlines and incidents; an activity or a local activity by version, see
// the switch). It runs where someone waits on the
// result: before the case waits for a person, a reply or a timer, at a
// deadline event, at close. A mutex keeps batches in sequence order when the
// playbook, a deadline timer and a handler sync together.
func (r *caseRun) sync(ctx workflow.Context) error {
	if err := r.syncMu.Lock(ctx); err != nil {
		return err
	}
	defer r.syncMu.Unlock()
	// A disconnected context: a batch taken from the buffer must land even
	// when the case is being closed underneath it.
	dctx, _ := workflow.NewDisconnectedContext(ctx)
	for len(r.pending) > 0 {
		batch := r.takeBatch(ctx)
		if r.mirror >= 7 {
			// The workflow task the batch comes from: a retried task has a
			// later one, and the store lets the later task's events replace
			// what an earlier, lost task wrote (store.AppendEvents).
			batch.Fence = &cases.Fence{
				HistoryLength: int64(workflow.GetInfo(ctx).GetCurrentHistoryLength()),
				TaskTime:      workflow.Now(ctx),
			}
		}
		var f workflow.Future
		switch {
		case r.mirror < 6:
			f = r.run(dctx, syncOptions, acts.SyncCase, batch)
		case r.mirror == 6 || r.updateTask == workflow.GetInfo(ctx).GetCurrentHistoryLength():
			// Only a committed workflow task schedules an activity, so
			// case_events gets only events the case's history holds. An
			// update is not in the history until its task completes, and
			// if the task fails it may never be delivered again: the
			// retried task would have nothing to write over the lost one.
			f = executeActivity(dctx, syncOptions, acts.SyncCase, batch)
		default:
			// Version 7: from inside the task. If the task never completes,
			// its retry reaches this sync too, driven by the same history,
			// and writes over what the lost task wrote.
			f = r.run(dctx, syncOptions, acts.SyncCase, batch)
		}
		if err := f.Get(dctx, nil); err != nil {
			return err
		}
		if r.mirror < 6 {
			return nil
		}
		// From version 6 the sync can span workflow tasks: a handler or
		// timer that recorded meanwhile saw the playbook running, not
		// resting, and left its events to this sync. Ship them before the
		// caller rests.
	}
	return nil
}

// batchTaken, when set (tests only), sees every batch of events the case
// ships to case_events, also on replay, where the sync itself does not run.
var batchTaken func(caseID string, events []cases.Event)

// takeBatch empties the buffer into a SyncBatch. From events-not-rows on it
// is the events alone (the store folds them into the rows); before, it also
// carries the case row, tasks, deadlines and incidents as the events fold,
// versioned by the latest event sequence so an older batch never wins.
func (r *caseRun) takeBatch(ctx workflow.Context) cases.SyncBatch {
	b := cases.SyncBatch{Events: r.pending}
	r.pending = nil
	if batchTaken != nil {
		batchTaken(r.in.CaseID, b.Events)
	}
	if r.mirror >= 1 {
		return b
	}
	b.Case = r.view.Case
	b.Case.UpdatedAt, b.Case.Version = workflow.Now(ctx), r.seq
	for _, t := range r.view.Tasks {
		t.Version = r.seq
		b.Tasks = append(b.Tasks, t)
	}
	b.Deadlines = append(b.Deadlines, r.view.Deadlines...)
	for _, inc := range r.view.Incidents {
		inc.Version = r.seq
		b.Incidents = append(b.Incidents, inc)
	}
	return b
}

func timePtr(t time.Time) *time.Time { return &t }
