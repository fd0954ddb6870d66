package workflows

import (
	"errors"
	"fmt"

	"go.temporal.io/sdk/workflow"

	"github.com/redress-hq/redress/cases"
)

// Validators run before an update is accepted into history. Each checks
// everything its handler could fail on, so a rejected update changes nothing.

func (r *caseRun) validateClaim(_ workflow.Context, req ClaimTaskRequest) error {
	t, err := r.liveTaskFor(req.TaskID, req.Actor)
	if err != nil {
		return err
	}
	if t.Status == cases.TaskClaimed && t.Assignee != req.Actor.ID && !(req.Takeover && req.Actor.Role.AtLeastManager()) {
		return reject(CodeTaskClaimedByOther, fmt.Sprintf("task %s is claimed by %s", t.ID, t.Assignee))
	}
	return nil
}

func (r *caseRun) validateUnclaim(_ workflow.Context, req UnclaimTaskRequest) error {
	t, err := r.liveTaskFor(req.TaskID, req.Actor)
	if err != nil {
		return err
	}
	if t.Status != cases.TaskClaimed {
		return reject(CodeTaskNotOpen, fmt.Sprintf("task %s is not claimed", t.ID))
	}
	if t.Assignee != req.Actor.ID && !req.Actor.Role.AtLeastManager() {
		return reject(CodeTaskClaimedByOther, fmt.Sprintf("task %s is claimed by %s", t.ID, t.Assignee))
	}
	return nil
}

func (r *caseRun) validateAssign(_ workflow.Context, req AssignTaskRequest) error {
	if err := r.checkOpenCase(); err != nil {
		return err
	}
	if !req.Actor.Role.AtLeastManager() {
		return reject(CodeNotManager, "only a manager assigns tasks")
	}
	if req.Assignee == "" {
		return reject(CodeWrongPayload, "assignee is required")
	}
	_, err := r.liveTask(req.TaskID)
	return err
}

func (r *caseRun) validateComplete(_ workflow.Context, req CompleteTaskRequest) error {
	t, err := r.liveTaskFor(req.TaskID, req.Actor)
	if err != nil {
		return err
	}
	if t.Status == cases.TaskClaimed && t.Assignee != req.Actor.ID && !req.Actor.Role.AtLeastManager() {
		return reject(CodeTaskClaimedByOther, fmt.Sprintf("task %s is claimed by %s", t.ID, t.Assignee))
	}
	return r.checkPayload(t, req)
}

func (r *caseRun) validateBuyerReply(_ workflow.Context, req BuyerReply) error {
	if err := r.checkOpenCase(); err != nil {
		return err
	}
	if req.MessageID == "" || req.Text == "" {
		return reject(CodeWrongPayload, "message_id and text are required")
	}
	if err := checkActor(req.Actor, true); err != nil {
		return err
	}
	if r.seenReplies[req.MessageID] {
		return reject(CodeDuplicate, "buyer reply "+req.MessageID+" is already recorded")
	}
	return nil
}

func (r *caseRun) validateReclassify(_ workflow.Context, req ReclassifyRequest) error {
	if err := r.checkOpenCase(); err != nil {
		return err
	}
	if err := checkActor(req.Actor, false); err != nil {
		return err
	}
	if !req.Issue.Valid() {
		return reject(CodeWrongPayload, fmt.Sprintf("unknown issue %q", req.Issue))
	}
	if req.Issue == r.view.Case.Issue {
		return reject(CodeDuplicate, "the case already has issue "+string(req.Issue))
	}
	return nil
}

func (r *caseRun) validateNote(_ workflow.Context, req NoteRequest) error {
	if err := r.checkOpenCase(); err != nil {
		return err
	}
	if err := checkActor(req.Actor, true); err != nil {
		return err
	}
	if req.NoteID == "" || req.Text == "" {
		return reject(CodeWrongPayload, "note_id and text are required")
	}
	if r.seenNotes[req.NoteID] {
		return reject(CodeDuplicate, "note "+req.NoteID+" is already recorded")
	}
	return nil
}

func (r *caseRun) validateClose(_ workflow.Context, req CloseCaseRequest) error {
	if err := r.checkOpenCase(); err != nil {
		return err
	}
	if !req.Actor.Role.AtLeastManager() {
		return reject(CodeNotManager, "only a manager closes a case")
	}
	if req.Reason == "" {
		return reject(CodeWrongPayload, "a reason is required to close a case")
	}
	return nil
}

func (r *caseRun) validateResolveIncident(_ workflow.Context, req ResolveIncidentRequest) error {
	if err := r.checkOpenCase(); err != nil {
		return err
	}
	if err := checkActor(req.Actor, true); err != nil {
		return err
	}
	inc := r.incident(req.IncidentID)
	if inc == nil || inc.Status != cases.IncidentOpen {
		return reject(CodeIncidentNotFound, "no open incident "+req.IncidentID)
	}
	switch req.Action {
	case IncidentSkip:
		if req.Reason == "" {
			return reject(CodeWrongPayload, "skipping a step needs a reason")
		}
	case IncidentRetry:
		if inc.ErrorClass == cases.ErrAmbiguous && (req.Actor.Role == cases.RoleAutomation || !req.CheckedNotApplied) {
			return reject(CodeUncheckedWrite, "the failed "+inc.Call+" may have reached "+string(inc.Marketplace)+
				": a person checks there first, then retries with checked_not_applied, or skips with a reason when it is there")
		}
		if len(req.Params) > 0 {
			if check := r.incidentChecks[req.IncidentID]; check != nil {
				if err := check(req.Params); err != nil {
					return err
				}
			}
			return r.checkRetryText(inc, req.Params, req.Actor)
		}
	default:
		return reject(CodeWrongPayload, fmt.Sprintf("action must be %q or %q", IncidentRetry, IncidentSkip))
	}
	return nil
}

// checkPayload checks the completion payload of a task's kind.
func (r *caseRun) checkPayload(t *cases.Task, req CompleteTaskRequest) error {
	want := t.Kind
	if roleFor(t.Kind) == cases.RoleManager {
		want = approvalKind
	}
	if payloadKind(req) != want || payloadCount(req) != 1 {
		return reject(CodeWrongPayload, fmt.Sprintf("task %s (%s) needs exactly its own result field", t.ID, t.Kind))
	}
	switch t.Kind {
	case cases.TaskContactBuyer:
		c := req.Contact
		if c.Message == "" && !c.SentOutside {
			return reject(CodeWrongPayload, "message is required unless the buyer was reached outside Redress")
		}
		if c.Reference != "" {
			if err := checkReference(c.Reference); err != nil {
				return err
			}
		}
		if c.Message != "" && !c.SentOutside {
			if err := r.guardText(cases.TextMessage, c.Message, false); err != nil {
				return err
			}
			return r.checkByHandText(t, c.Message, req.Actor)
		}
	case cases.TaskVerify:
		if !req.Verify.Responsibility.Valid() {
			return reject(CodeMissingResponsibility, "verification must name who is responsible")
		}
	case cases.TaskChooseRemedy:
		return r.checkRemedy(*req.Remedy)
	case cases.TaskApproveRemedy:
		if !req.Approval.Approved && req.Approval.Reason == "" {
			return reject(CodeWrongPayload, "a rejection needs a reason")
		}
	case cases.TaskApproveReply:
		a := req.Approval
		if !a.Approved {
			if a.Reason == "" {
				return reject(CodeWrongPayload, "a rejection needs a reason")
			}
			return nil
		}
		return r.guardText(cases.TextPublicReply, r.replyText(t, *a), false)
	case cases.TaskPrepareAppeal:
		a := req.Appeal
		if a.Statement == "" {
			return reject(CodeWrongPayload, "an appeal needs a statement")
		}
		if !r.rules.AppealAPI && !a.FiledManually {
			return reject(CodeWrongPayload, string(r.rules.Marketplace)+" has no appeal API: file it on the platform and set filed_manually")
		}
		return r.guardText(cases.TextAppeal, a.Statement, false)
	case cases.TaskManualStep:
		return checkReference(req.ManualStep.Reference)
	}
	return nil
}

// checkRemedy applies the remedy policy to a choice; no remedy goes to a
// malicious buyer, and the offer message passes the guard.
func (r *caseRun) checkRemedy(c RemedyChoice) error {
	if r.view.Case.Responsibility == "" {
		return reject(CodeMissingResponsibility, "no remedy before verification")
	}
	if c.Amount < 0 {
		return reject(CodeAmountOutOfRange, "amount must not be negative")
	}
	if !r.remedyOffered(c.Type) {
		return reject(CodeRemedyNotAllowed, fmt.Sprintf("remedy %q is not an option for this case", c.Type))
	}
	amount, shipping := r.orderAmounts()
	if err := cases.ValidateRemedy(r.view.Case.Issue, r.view.Case.Responsibility, r.rules, c.Type, c.Amount, amount, shipping); err != nil {
		if errors.Is(err, cases.ErrRemedyAmount) {
			return reject(CodeAmountOutOfRange, err.Error())
		}
		return reject(CodeRemedyNotAllowed, err.Error())
	}
	if c.Message != "" {
		return r.guardText(cases.TextMessage, c.Message, true)
	}
	return nil
}

func (r *caseRun) remedyOffered(t cases.RemedyType) bool {
	amount, shipping := r.orderAmounts()
	for _, o := range cases.RemedyOptions(r.view.Case.Issue, r.view.Case.Responsibility, r.rules, amount, shipping) {
		if o.Type == t {
			return true
		}
	}
	return false
}

// guardText rejects a text the compliance guard refuses, with the violations.
func (r *caseRun) guardText(kind cases.TextKind, text string, offersRemedy bool) error {
	if vs := cases.CheckText(r.rules, kind, text, r.guardContext(offersRemedy)); len(vs) > 0 {
		return reject(CodeGuardRejected, fmt.Sprintf("%s breaks %d platform rule(s): %s: %s", kind, len(vs), vs[0].Rule, vs[0].Message), vs)
	}
	return nil
}

func (r *caseRun) checkOpenCase() error {
	if r.closed() {
		return reject(CodeCaseClosed, "case "+r.in.CaseID+" is closed")
	}
	return nil
}

func (r *caseRun) liveTask(id string) (*cases.Task, error) {
	t := r.task(id)
	if t == nil {
		return nil, reject(CodeTaskNotFound, "no task "+id+" on case "+r.in.CaseID)
	}
	if !taskLive(t) {
		return nil, reject(CodeTaskNotOpen, fmt.Sprintf("task %s is %s", id, t.Status))
	}
	return t, nil
}

// liveTaskFor finds a live task the actor's role may work on.
func (r *caseRun) liveTaskFor(id string, actor cases.Actor) (*cases.Task, error) {
	if err := r.checkOpenCase(); err != nil {
		return nil, err
	}
	t, err := r.liveTask(id)
	if err != nil {
		return nil, err
	}
	if t.Role == cases.RoleManager {
		if !actor.Role.AtLeastManager() {
			return nil, reject(CodeNotManager, fmt.Sprintf("task %s needs a manager", id))
		}
	} else if err := checkActor(actor, false); err != nil {
		return nil, err
	}
	return t, nil
}

// checkActor: people act as agents or managers; automation only where a
// machine may act (buyer replies, notes, incident retries).
func checkActor(a cases.Actor, automationOK bool) error {
	if a.ID == "" {
		return reject(CodeWrongPayload, "actor id is required")
	}
	switch a.Role {
	case cases.RoleAgent, cases.RoleManager, cases.RoleAdmin:
		return nil
	case cases.RoleAutomation:
		if automationOK {
			return nil
		}
	}
	return reject(CodeWrongRole, fmt.Sprintf("role %q may not do this", a.Role))
}

func payloadKind(req CompleteTaskRequest) cases.TaskKind {
	switch {
	case req.Contact != nil:
		return cases.TaskContactBuyer
	case req.Verify != nil:
		return cases.TaskVerify
	case req.Remedy != nil:
		return cases.TaskChooseRemedy
	case req.Appeal != nil:
		return cases.TaskPrepareAppeal
	case req.AppealOutcome != nil:
		return cases.TaskRecordAppealOutcome
	case req.Approval != nil:
		return approvalKind
	case req.ManualStep != nil:
		return cases.TaskManualStep
	}
	return ""
}

// approvalKind marks an Approval payload, which fits both approval tasks.
const approvalKind cases.TaskKind = "approval"

func payloadCount(req CompleteTaskRequest) int {
	n := 0
	for _, set := range []bool{req.Contact != nil, req.Verify != nil, req.Remedy != nil, req.Approval != nil,
		req.Appeal != nil, req.AppealOutcome != nil, req.ManualStep != nil} {
		if set {
			n++
		}
	}
	return n
}
