package workflows

import (
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/redress-hq/redress/activities"
	"github.com/redress-hq/redress/cases"
)

// startDeadline sets an SLA on the case and watches it in its own coroutine:
// a reminder at the policy's ratio, a breach at due. Meeting or cancelling
// the deadline stops the watcher. Starting a deadline that already exists is
// a no-op, so a later path (a second buyer reply) never resets the clock.
func (r *caseRun) startDeadline(ctx workflow.Context, kind cases.DeadlineKind, from time.Time, d time.Duration) {
	if d <= 0 || r.deadline(kind) != nil {
		return
	}
	dl := cases.Deadline{
		Kind: kind, StartedAt: from, DueAt: r.sla.Due(from, d), RemindAt: r.sla.RemindAt(from, d),
		Status: cases.DeadlinePending,
	}
	r.record(ctx, cases.EventDeadlineSet, cases.SystemActor, map[string]any{
		"kind": kind, "started_at": from, "due_at": dl.DueAt, "remind_at": dl.RemindAt,
	})
	if r.mirror >= 2 {
		r.deadlineGen++
		if r.deadlineGen == 1 {
			workflow.Go(r.timersCtx, r.deadlineLoop)
		}
		return
	}
	wctx, stop := workflow.WithCancel(r.timersCtx)
	r.deadlineStop[kind] = stop
	workflow.Go(wctx, func(ctx workflow.Context) { r.watchDeadline(ctx, kind) })
}

// watchDeadline sleeps on two named durable timers: reminder, then breach.
func (r *caseRun) watchDeadline(ctx workflow.Context, kind cases.DeadlineKind) {
	dl := r.deadline(kind)
	if !sleepUntil(ctx, dl.RemindAt, string(kind)+" reminder") {
		return
	}
	if dl = r.deadline(kind); dl.Status == cases.DeadlinePending && dl.RemindAt.Before(dl.DueAt) {
		r.remindDeadline(ctx, kind)
	}
	if !sleepUntil(ctx, dl.DueAt, string(kind)+" due") {
		return
	}
	if dl = r.deadline(kind); dl.Status == cases.DeadlinePending {
		r.breachDeadline(ctx, kind)
	}
}

// deadlineLoop watches every deadline of the case on one durable timer at a
// time (events-not-rows version 2): it sleeps until the earliest pending
// reminder or due time, re-arming only when a sooner one appears, and on
// waking reminds and breaches what is due — the same reminder at the
// policy's ratio and breach at due as a watcher per deadline, with two
// timers per deadline fewer.
func (r *caseRun) deadlineLoop(ctx workflow.Context) {
	for {
		next, ok := r.nextDeadlineEvent()
		if !ok {
			gen := r.deadlineGen
			if err := workflow.Await(ctx, func() bool { return r.deadlineGen != gen }); err != nil {
				return
			}
			continue
		}
		if d := next.Sub(workflow.Now(ctx)); d > 0 {
			sooner := func() bool { n, ok := r.nextDeadlineEvent(); return ok && n.Before(next) }
			woke, err := workflow.AwaitWithOptions(ctx, workflow.AwaitOptions{
				Timeout: d, TimerOptions: workflow.TimerOptions{Summary: "deadlines"},
			}, sooner)
			if err != nil || ctx.Err() != nil {
				return
			}
			if woke {
				continue // a sooner reminder or due time: re-arm for it
			}
		}
		r.fireDueDeadlines(ctx)
	}
}

// nextDeadlineEvent is the earliest pending reminder or due time.
func (r *caseRun) nextDeadlineEvent() (time.Time, bool) {
	var next time.Time
	found := false
	for _, dl := range r.view.Deadlines {
		if dl.Status != cases.DeadlinePending {
			continue
		}
		at := dl.DueAt
		if !dl.Reminded && dl.RemindAt.Before(dl.DueAt) {
			at = dl.RemindAt
		}
		if !found || at.Before(next) {
			next, found = at, true
		}
	}
	return next, found
}

// fireDueDeadlines reminds and breaches every pending deadline whose time has come.
func (r *caseRun) fireDueDeadlines(ctx workflow.Context) {
	now := workflow.Now(ctx)
	for _, kind := range r.deadlineKinds() {
		dl := *r.deadline(kind)
		if dl.Status != cases.DeadlinePending {
			continue
		}
		if !dl.Reminded && dl.RemindAt.Before(dl.DueAt) && !dl.RemindAt.After(now) {
			r.remindDeadline(ctx, dl.Kind)
		}
		if d := r.deadline(dl.Kind); d.Status == cases.DeadlinePending && !d.DueAt.After(now) {
			r.breachDeadline(ctx, d.Kind)
		}
	}
}

// sleepUntil waits for a durable timer; false when the deadline was stopped.
func sleepUntil(ctx workflow.Context, at time.Time, name string) bool {
	if d := at.Sub(workflow.Now(ctx)); d > 0 {
		err := workflow.NewTimerWithOptions(ctx, d, workflow.TimerOptions{Summary: name}).Get(ctx, nil)
		if err != nil {
			return false
		}
	}
	return ctx.Err() == nil
}

func (r *caseRun) remindDeadline(ctx workflow.Context, kind cases.DeadlineKind) {
	dl := r.deadline(kind)
	r.record(ctx, cases.EventDeadlineReminder, cases.SystemActor, map[string]any{"kind": kind, "due_at": dl.DueAt})
	r.escalate(ctx, activities.AlertReminder, kind, "deadline "+string(kind)+" is due at "+dl.DueAt.UTC().Format(time.RFC3339))
	r.syncQuietly(ctx)
}

func (r *caseRun) breachDeadline(ctx workflow.Context, kind cases.DeadlineKind) {
	due := r.deadline(kind).DueAt
	now := workflow.Now(ctx)
	wasBreached := r.view.Case.Breached
	r.record(ctx, cases.EventDeadlineBreached, cases.SystemActor, map[string]any{
		"kind": kind, "due_at": due, "breached_at": now, "late_by_seconds": lateBy(due, now),
	})
	if !wasBreached {
		r.upsertSearchAttributes(ctx)
	}
	r.record(ctx, cases.EventEscalated, cases.SystemActor, map[string]any{"kind": kind, "reason": "deadline_breached"})
	r.escalate(ctx, activities.AlertBreach, kind, "deadline "+string(kind)+" breached")
	r.syncQuietly(ctx)
}

// meetDeadline records that the SLA's goal was reached. A breached deadline
// stays breached on record; it gains its met time and how late it was.
func (r *caseRun) meetDeadline(ctx workflow.Context, kind cases.DeadlineKind) {
	dl := r.deadline(kind)
	if dl == nil || dl.MetAt != nil || dl.Status == cases.DeadlineCancelled {
		return
	}
	now := workflow.Now(ctx)
	r.stopDeadline(kind)
	data := map[string]any{"kind": kind, "due_at": dl.DueAt, "met_at": now}
	if late := lateBy(dl.DueAt, now); late > 0 {
		data["late_by_seconds"] = late
	}
	r.record(ctx, cases.EventDeadlineMet, cases.SystemActor, data)
}

// cancelDeadline drops a pending SLA the case's path no longer needs. The
// synced deadline row shows it; the event that changed the path (closing,
// a blocked reply, a malicious verdict) says why.
func (r *caseRun) cancelDeadline(ctx workflow.Context, kind cases.DeadlineKind, reason string) {
	dl := r.deadline(kind)
	if dl == nil || dl.Status != cases.DeadlinePending {
		return
	}
	r.stopDeadline(kind)
	r.record(ctx, cases.EventDeadlineCancelled, cases.SystemActor, map[string]any{"kind": kind, "reason": reason})
}

func (r *caseRun) stopDeadline(kind cases.DeadlineKind) {
	if stop, ok := r.deadlineStop[kind]; ok {
		stop()
		delete(r.deadlineStop, kind)
	}
}

// deadline is the case's deadline of a kind as its events fold, or nil.
func (r *caseRun) deadline(kind cases.DeadlineKind) *cases.Deadline { return r.view.Deadline(kind) }

// deadlineKinds lists the case's deadlines in the order they were set; a
// loop that records events (which re-fold the slice) iterates over it.
func (r *caseRun) deadlineKinds() []cases.DeadlineKind {
	kinds := make([]cases.DeadlineKind, len(r.view.Deadlines))
	for i, d := range r.view.Deadlines {
		kinds[i] = d.Kind
	}
	return kinds
}

func lateBy(due, at time.Time) int64 {
	if !at.After(due) {
		return 0
	}
	return int64(at.Sub(due) / time.Second)
}

func (r *caseRun) deadlinePending(kind cases.DeadlineKind) bool {
	dl := r.deadline(kind)
	return dl != nil && dl.Status == cases.DeadlinePending
}
