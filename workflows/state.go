package workflows

import (
	"encoding/json"
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace"
)

// caseRun is the whole in-memory state of one case workflow. Handlers and the
// playbook coroutine share it; Temporal runs them one at a time, so no locks
// are needed except around the sync activity (see flush).
type caseRun struct {
	in    CaseInput
	rules cases.PlatformRules
	sla   cases.SLAPolicy
	loc   *time.Location // the shop's zone, built from tzdata recorded in history

	state CaseState
	// view is the case as its recorded events fold (cases.State.Apply): the
	// same fold the store runs over case_events.
	view         cases.State
	row          cases.Case
	evidence     *marketplace.Evidence
	verifyTaskID string

	// audit buffer, flushed by flush().
	seq           int64
	pending       []cases.Event
	dirtyTasks    map[string]bool
	dirtyDeadline map[cases.DeadlineKind]bool
	dirtyIncident map[string]bool
	syncMu        workflow.Mutex
	// lean: the case is on the events-not-rows version — it ships events
	// alone, syncs only where someone waits, upserts no search attributes.
	lean bool
	// lean2: events-not-rows version 2 (see CaseWorkflow).
	lean2 bool
	// lean3: events-not-rows version 3 (see settle).
	lean3 bool
	// deadlineGen changes whenever a deadline is set, met or cancelled: the
	// deadline loop re-arms on it (version 2).
	deadlineGen int
	// waitCond is what the playbook waits for while it is at rest (settle).
	waitCond func() bool

	taskSeq     map[cases.TaskKind]int
	taskResults map[string]CompleteTaskRequest

	seenReplies map[string]bool
	seenNotes   map[string]bool

	deadlineStop map[cases.DeadlineKind]workflow.CancelFunc

	incidentDecisions map[string]ResolveIncidentRequest
	incidentGen       map[string]int
	incidentChecks    map[string]func(json.RawMessage) error

	// timersCtx parents every deadline watcher; closing the case cancels it.
	timersCtx workflow.Context

	closeReq       *CloseCaseRequest
	cancelPlaybook workflow.CancelFunc
	// review is the review as it now stands (review-changed signals); a
	// revision or removal sets reviewEnd, which closes the case.
	review         cases.Review
	reviewEnd      cases.Outcome
	remedyRunning  bool   // remedy steps are executing: a revision lets them finish
	replyClosed    string // why a review change closed the public reply window
	firstContactAt *time.Time
	// priorContact reads the order's pre-emptive contact (prior-contact-counts),
	// started at intake and read at first contact; nil on older cases.
	priorContact workflow.Future
}

// caseEnded, when set (tests only), sees every case's run as it ends: the
// fold-equals-Query test over recorded histories reads it after a replay.
var caseEnded func(*caseRun)

func newCaseRun(ctx workflow.Context, in CaseInput) *caseRun {
	r := &caseRun{
		in:                in,
		rules:             cases.RulesFor(in.Review.Marketplace),
		dirtyTasks:        map[string]bool{},
		dirtyDeadline:     map[cases.DeadlineKind]bool{},
		dirtyIncident:     map[string]bool{},
		syncMu:            workflow.NewMutex(ctx),
		taskSeq:           map[cases.TaskKind]int{},
		taskResults:       map[string]CompleteTaskRequest{},
		seenReplies:       map[string]bool{},
		seenNotes:         map[string]bool{},
		deadlineStop:      map[cases.DeadlineKind]workflow.CancelFunc{},
		incidentDecisions: map[string]ResolveIncidentRequest{},
		incidentGen:       map[string]int{},
		incidentChecks:    map[string]func(json.RawMessage) error{},
		review:            in.Review,
	}
	rv := in.Review
	now := workflow.Now(ctx)
	r.state = CaseState{
		CaseID: in.CaseID,
		Stage:  cases.StageIntake,
		Status: cases.StatusOpen,
		Tasks:  []cases.Task{}, Deadlines: []cases.Deadline{}, Incidents: []cases.Incident{},
		BuyerReplies: []BuyerReply{}, Messages: []SentMessage{}, Notes: []NoteRequest{},
	}
	r.row = cases.Case{
		ID: in.CaseID, WorkflowID: workflow.GetInfo(ctx).WorkflowExecution.ID,
		Marketplace: rv.Marketplace, ShopID: rv.ShopID, ReviewID: rv.ReviewID, OrderID: rv.OrderID,
		ItemID: rv.ItemID, BuyerID: rv.Buyer.ID, BuyerName: rv.Buyer.Name, Rating: rv.Rating,
		Text: rv.Text, Language: rv.Language, OrderAmount: rv.OrderAmount, ShippingFee: rv.ShippingFee,
		Currency: rv.Currency, ReviewCreatedAt: rv.CreatedAt, OpenedAt: now, ReviewDigest: ReviewDigest(rv),
	}
	return r
}

// closed reports whether the case has reached an outcome.
func (r *caseRun) closed() bool { return r.state.Status == cases.StatusClosed || r.closeReq != nil }

// language is the review's language, or the classifier's guess.
func (r *caseRun) language() string {
	if r.row.Language != "" {
		return r.row.Language
	}
	return r.in.Review.Language
}

// guardContext is what the compliance guard must keep out of texts.
func (r *caseRun) guardContext(offersRemedy bool) cases.GuardContext {
	rv := r.in.Review
	return cases.GuardContext{BuyerName: rv.Buyer.Name, BuyerID: rv.Buyer.ID, OrderID: rv.OrderID, OffersRemedy: offersRemedy}
}

// orderAmounts prefers the gathered evidence over the review's own numbers.
func (r *caseRun) orderAmounts() (amount, shipping cases.Money) {
	amount, shipping = r.in.Review.OrderAmount, r.in.Review.ShippingFee
	if r.evidence != nil && r.evidence.Order.Amount > 0 {
		amount, shipping = r.evidence.Order.Amount, r.evidence.Order.ShippingFee
	}
	return amount, shipping
}

func (r *caseRun) currency() string {
	if r.in.Review.Currency != "" {
		return r.in.Review.Currency
	}
	if r.evidence != nil {
		return r.evidence.Order.Currency
	}
	return ""
}

// snapshot returns the state the query answers with, copied so callers
// cannot alias the workflow's slices.
func (r *caseRun) snapshot() CaseState {
	s := r.state
	s.Tasks = append([]cases.Task(nil), r.state.Tasks...)
	s.Deadlines = append([]cases.Deadline(nil), r.state.Deadlines...)
	s.Incidents = append([]cases.Incident(nil), r.state.Incidents...)
	s.BuyerReplies = append([]BuyerReply(nil), r.state.BuyerReplies...)
	s.Messages = append([]SentMessage(nil), r.state.Messages...)
	s.Notes = append([]NoteRequest(nil), r.state.Notes...)
	s.EventCount = r.seq
	if r.view.Case.ID != "" {
		c := r.view.Case
		s.Case = &c
	}
	return s
}
