package workflows

import (
	"encoding/json"
	"reflect"

	"go.temporal.io/sdk/workflow"

	"github.com/redress-hq/redress/cases"
)

// registerHandlers wires the query, the updates (each with its validator)
// and the buyer-reply signal. Handlers change state, record who acted, and
// flush so listings show the change when the update returns.
func (r *caseRun) registerHandlers(ctx workflow.Context) error {
	if err := workflow.SetQueryHandler(ctx, QueryState, func() (CaseState, error) { return r.snapshot(), nil }); err != nil {
		return err
	}
	updates := []struct {
		name      string
		handler   any
		validator any
	}{
		{UpdateClaimTask, r.claimTask, r.validateClaim},
		{UpdateUnclaimTask, r.unclaimTask, r.validateUnclaim},
		{UpdateAssignTask, r.assignTask, r.validateAssign},
		{UpdateCompleteTask, r.completeTask, r.validateComplete},
		{UpdateBuyerReply, r.buyerReplyUpdate, r.validateBuyerReply},
		{UpdateReclassify, r.reclassify, r.validateReclassify},
		{UpdateAddNote, r.addNote, r.validateNote},
		{UpdateCloseCase, r.closeCase, r.validateClose},
		{UpdateResolveIncident, r.resolveIncident, r.validateResolveIncident},
	}
	for _, u := range updates {
		if err := workflow.SetUpdateHandlerWithOptions(ctx, u.name, r.markingUpdateTask(u.handler),
			workflow.UpdateHandlerOptions{Validator: u.validator}); err != nil {
			return err
		}
	}
	// Webhook replies arrive as signals: nobody waits for an answer, so a
	// duplicate or late delivery is dropped instead of rejected.
	replies := workflow.GetSignalChannel(ctx, SignalBuyerReply)
	workflow.Go(ctx, func(ctx workflow.Context) {
		for {
			var reply BuyerReply
			if !replies.Receive(ctx, &reply) {
				return
			}
			if r.closed() || reply.MessageID == "" || r.seenReplies[reply.MessageID] {
				continue
			}
			if reply.Actor.ID == "" {
				reply.Actor = cases.Actor{ID: "webhook", Role: cases.RoleAutomation}
			}
			r.onBuyerReply(ctx, reply)
			r.settleQuietly(ctx)
		}
	})
	r.listenReviewChanges(ctx)
	return nil
}

func (r *caseRun) result(t *cases.Task) UpdateResult {
	res := UpdateResult{CaseID: r.in.CaseID, Stage: r.view.Case.Stage, Status: r.view.Case.Status}
	if t != nil {
		// The task as changed, without its input: the caller has it, and
		// the result sits in the case's history (events-not-rows v4 size).
		cp := *t
		cp.Input = nil
		res.Task = &cp
	}
	return res
}

func (r *caseRun) claimTask(ctx workflow.Context, req ClaimTaskRequest) (UpdateResult, error) {
	t := r.task(req.TaskID)
	takeover := t.Status == cases.TaskClaimed && t.Assignee != req.Actor.ID
	r.record(ctx, cases.EventTaskClaimed, req.Actor, map[string]any{"task_id": t.ID, "takeover": takeover})
	return r.result(r.task(req.TaskID)), r.settle(ctx)
}

func (r *caseRun) unclaimTask(ctx workflow.Context, req UnclaimTaskRequest) (UpdateResult, error) {
	t := r.task(req.TaskID)
	r.record(ctx, cases.EventTaskUnclaimed, req.Actor, map[string]any{"task_id": t.ID, "previous_assignee": t.Assignee})
	return r.result(r.task(req.TaskID)), r.settle(ctx)
}

func (r *caseRun) assignTask(ctx workflow.Context, req AssignTaskRequest) (UpdateResult, error) {
	r.record(ctx, cases.EventTaskAssigned, req.Actor, map[string]any{"task_id": req.TaskID, "assignee": req.Assignee})
	return r.result(r.task(req.TaskID)), r.settle(ctx)
}

// completeTask stores the decision; the playbook, waiting on the task, acts on it.
func (r *caseRun) completeTask(ctx workflow.Context, req CompleteTaskRequest) (UpdateResult, error) {
	kind := r.task(req.TaskID).Kind
	r.taskResults[req.TaskID] = req
	r.record(ctx, cases.EventTaskCompleted, req.Actor, map[string]any{"task_id": req.TaskID, "kind": kind, "result": completionResult(req)})
	if kind == cases.TaskVerify {
		// Recorded here, not when the playbook next looks: a malicious
		// verdict must end a wait for the buyer at once.
		r.record(ctx, cases.EventVerified, req.Actor, map[string]any{
			"responsibility": req.Verify.Responsibility, "findings": req.Verify.Findings,
			"evidence_checked": req.Verify.EvidenceChecked,
		})
	}
	return r.result(r.task(req.TaskID)), r.settle(ctx)
}

func (r *caseRun) buyerReplyUpdate(ctx workflow.Context, req BuyerReply) (UpdateResult, error) {
	r.onBuyerReply(ctx, req)
	return r.result(nil), r.settle(ctx)
}

// onBuyerReply records a reply; a concrete solution is due within the
// solution SLA from the first one.
func (r *caseRun) onBuyerReply(ctx workflow.Context, reply BuyerReply) {
	now := workflow.Now(ctx)
	if reply.At.IsZero() || reply.At.After(now) {
		reply.At = now
	}
	r.seenReplies[reply.MessageID] = true
	r.record(ctx, cases.EventBuyerReplied, reply.Actor, map[string]any{
		"message_id": reply.MessageID, "source": reply.Source, "at": reply.At, "text": reply.Text,
	})
	if r.view.Case.Responsibility != cases.RespMaliciousBuyer {
		r.startDeadline(ctx, cases.DeadlineSolution, reply.At, r.sla.Solution)
	}
}

func (r *caseRun) reclassify(ctx workflow.Context, req ReclassifyRequest) (UpdateResult, error) {
	from := r.view.Case.Issue
	r.sla = r.slaFor(req.Issue)
	r.record(ctx, cases.EventReclassified, req.Actor, map[string]any{"from": from, "to": req.Issue, "reason": req.Reason})
	r.upsertSearchAttributes(ctx)
	return r.result(nil), r.settle(ctx)
}

func (r *caseRun) addNote(ctx workflow.Context, req NoteRequest) (UpdateResult, error) {
	r.seenNotes[req.NoteID] = true
	r.record(ctx, cases.EventNoteAdded, req.Actor, map[string]any{"note_id": req.NoteID, "text": req.Text})
	return r.result(nil), r.settle(ctx)
}

// closeCase stops the playbook; CaseWorkflow closes the case with outcome
// closed_by_manager, and the update answers once that is done.
func (r *caseRun) closeCase(ctx workflow.Context, req CloseCaseRequest) (UpdateResult, error) {
	r.closeReq = &req
	r.cancelPlaybook()
	if err := workflow.Await(ctx, func() bool { return r.view.Case.Status == cases.StatusClosed }); err != nil {
		return r.result(nil), err
	}
	return r.result(nil), nil
}

func (r *caseRun) resolveIncident(ctx workflow.Context, req ResolveIncidentRequest) (UpdateResult, error) {
	inc := *r.incident(req.IncidentID)
	now := workflow.Now(ctx)
	inc.Resolution, inc.ResolvedBy, inc.UpdatedAt = req.Reason, req.Actor.ID, now
	if req.Action == IncidentSkip {
		inc.Status, inc.ResolvedAt = cases.IncidentSkipped, timePtr(now)
	} else {
		inc.Status = cases.IncidentRetrying
		if len(req.Params) > 0 {
			inc.Params = req.Params
		}
	}
	r.incidentDecisions[inc.ID] = req
	r.record(ctx, cases.EventIncidentResolved, req.Actor, map[string]any{
		"incident_id": inc.ID, "action": req.Action, "reason": req.Reason, "corrected_params": len(req.Params) > 0,
		"incident": inc,
	})
	return r.result(nil), r.settle(ctx)
}

// completionResult is the payload of the task's kind as JSON, for Task.Result.
func completionResult(req CompleteTaskRequest) json.RawMessage {
	var v any
	switch {
	case req.Contact != nil:
		v = req.Contact
	case req.Verify != nil:
		v = req.Verify
	case req.Remedy != nil:
		v = req.Remedy
	case req.Approval != nil:
		v = req.Approval
	case req.Appeal != nil:
		v = req.Appeal
	case req.AppealOutcome != nil:
		v = req.AppealOutcome
	case req.ManualStep != nil:
		v = req.ManualStep
	}
	raw, err := json.Marshal(v)
	if err != nil {
		return json.RawMessage(`{}`)
	}
	return raw
}

// markingUpdateTask wraps an update handler (any signature whose first
// argument is the workflow.Context) so that running it marks the workflow
// task: sync writes that task's events in an activity (version 7). It runs
// on replay as well, so the choice replays the same.
func (r *caseRun) markingUpdateTask(handler any) any {
	fn := reflect.ValueOf(handler)
	return reflect.MakeFunc(fn.Type(), func(args []reflect.Value) []reflect.Value {
		ctx := args[0].Interface().(workflow.Context)
		r.updateTask = workflow.GetInfo(ctx).GetCurrentHistoryLength()
		return fn.Call(args)
	}).Interface()
}
