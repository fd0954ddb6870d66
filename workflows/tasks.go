package workflows

import (
	"encoding/json"
	"fmt"
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/redress-hq/redress/cases"
)

// openTask puts a human step on the case. input is what the person needs to
// decide (draft, evidence, options); it is stored as the task's Input JSON.
func (r *caseRun) openTask(ctx workflow.Context, kind cases.TaskKind, input any, due *time.Time) string {
	r.taskSeq[kind]++
	id := fmt.Sprintf("%s-%s-%d", r.in.CaseID, kind, r.taskSeq[kind])
	raw, err := json.Marshal(input)
	if err != nil {
		raw = json.RawMessage(`{}`)
	}
	now := workflow.Now(ctx)
	prio := cases.PriorityNormal
	if r.view.Case.Breached {
		prio = cases.PriorityUrgent
	}
	t := cases.Task{
		ID: id, CaseID: r.in.CaseID, WorkflowID: r.view.Case.WorkflowID, Kind: kind, Status: cases.TaskOpen,
		Role: taskRole(kind, input), Priority: prio, Marketplace: r.in.Review.Marketplace, ShopID: r.in.Review.ShopID,
		DueAt: due, Input: raw, CreatedAt: now, UpdatedAt: now,
	}
	r.record(ctx, cases.EventTaskCreated, cases.SystemActor, map[string]any{"task_id": id, "kind": kind, "role": t.Role, "task": t})
	return id
}

// awaitTask flushes (so the task shows in listings) and waits until a
// person completes it through the complete-task update.
func (r *caseRun) awaitTask(ctx workflow.Context, id string) (CompleteTaskRequest, error) {
	if err := r.sync(ctx); err != nil {
		return CompleteTaskRequest{}, err
	}
	done := func() bool { _, ok := r.taskResults[id]; return ok }
	defer r.atRest(done)()
	if err := workflow.Await(ctx, done); err != nil {
		return CompleteTaskRequest{}, err
	}
	return r.taskResults[id], nil
}

// cancelLiveTasks cancels every task still open or claimed (case closing,
// path changed).
func (r *caseRun) cancelLiveTasks(ctx workflow.Context, actor cases.Actor, reason string) {
	var live []string
	for _, t := range r.view.Tasks {
		if taskLive(&t) {
			live = append(live, t.ID)
		}
	}
	for _, id := range live {
		r.cancelTask(ctx, id, actor, reason)
	}
}

func (r *caseRun) cancelTask(ctx workflow.Context, id string, actor cases.Actor, reason string) {
	t := r.task(id)
	if t == nil || !taskLive(t) {
		return
	}
	r.record(ctx, cases.EventTaskCancelled, actor, map[string]any{"task_id": id, "kind": t.Kind, "reason": reason})
}

// task is the case's task with an id as its events fold, or nil.
func (r *caseRun) task(id string) *cases.Task { return r.view.Task(id) }

// openTaskOf returns the live task of a kind, if any.
func (r *caseRun) openTaskOf(kind cases.TaskKind) *cases.Task {
	for i := range r.view.Tasks {
		if r.view.Tasks[i].Kind == kind && taskLive(&r.view.Tasks[i]) {
			return &r.view.Tasks[i]
		}
	}
	return nil
}

func taskLive(t *cases.Task) bool { return t.Status == cases.TaskOpen || t.Status == cases.TaskClaimed }

// roleFor: approvals need a manager, every other step an agent.
func roleFor(kind cases.TaskKind) cases.Role {
	if kind == cases.TaskApproveRemedy || kind == cases.TaskApproveReply {
		return cases.RoleManager
	}
	return cases.RoleAgent
}

// taskRole is who completes a new task: its kind's role, or a manager for a
// contact whose draft the compliance guard doubts.
func taskRole(kind cases.TaskKind, input any) cases.Role {
	if in, ok := input.(ContactTaskInput); ok && len(in.GuardDoubts) > 0 {
		return cases.RoleManager
	}
	if in, ok := input.(ManualStepInput); ok && len(in.GuardDoubts) > 0 {
		return cases.RoleManager
	}
	return roleFor(kind)
}

// dueOf is a deadline's due time, for a task's DueAt.
func (r *caseRun) dueOf(kind cases.DeadlineKind) *time.Time {
	if dl := r.deadline(kind); dl != nil && dl.Status != cases.DeadlineCancelled {
		due := dl.DueAt
		return &due
	}
	return nil
}
