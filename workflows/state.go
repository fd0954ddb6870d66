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
	in CaseInput
	// settings and texts are what the case copied from its shop when it
	// opened: from its start input, or read at open (readOpening).
	settings CaseSettings
	texts    *cases.SellerTexts
	rules    cases.PlatformRules
	sla      cases.SLAPolicy
	loc      *time.Location // the shop's zone, built from tzdata recorded in history

	// view is the case: its recorded events folded by cases.State.Apply,
	// the same fold the store runs over case_events. The playbook decides
	// on it, the Query answers from it; nothing else holds case state.
	view cases.State
	// choice is the agent's choice being carried out (its message and
	// amount feed the steps); the view has its type and cost.
	choice       *RemedyChoice
	evidence     *marketplace.Evidence
	verifyTaskID string

	// audit buffer: recorded events not yet shipped to the index (sync).
	seq     int64
	pending []cases.Event
	syncMu  workflow.Mutex
	// mirror is the case's events-not-rows version (see CaseWorkflow and
	// workflows/VERSIONING.md): from 1 it ships events alone, syncs only
	// where someone waits and upserts no search attributes; 2 writes no
	// index at open and runs one deadline loop; 3 settles only at rest
	// (settle); 4 runs its own side effects as local activities (run); 6
	// writes the index in an activity; 7 in a fenced local activity (sync).
	mirror workflow.Version
	// updateTask is the history length of the last workflow task that ran
	// an update handler (-1: none): its sync is an activity (version 7).
	updateTask int
	// shopAtOpen: version 5 and a start input that asks for it — the case
	// reads its shop's policy and texts itself (readOpening).
	shopAtOpen bool
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
		settings:          in.Settings,
		texts:             in.Texts,
		updateTask:        -1,
	}
	return r
}

// closed reports whether the case has reached an outcome.
func (r *caseRun) closed() bool { return r.view.Case.Status == cases.StatusClosed || r.closeReq != nil }

// language is the review's language, or the classifier's guess.
func (r *caseRun) language() string {
	if r.view.Case.Language != "" {
		return r.view.Case.Language
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

// snapshot is the Query's answer: the folded case, copied so callers cannot
// alias the workflow's slices.
func (r *caseRun) snapshot() CaseState {
	v, c := r.view, r.view.Case
	s := CaseState{
		CaseID: r.in.CaseID, Stage: c.Stage, Status: c.Status, Severity: c.Severity, Issue: c.Issue,
		Responsibility: c.Responsibility, RemedyCost: c.RemedyCost, Outcome: c.Outcome, Breached: c.Breached,
		Tasks:        append([]cases.Task{}, v.Tasks...),
		Deadlines:    append([]cases.Deadline{}, v.Deadlines...),
		Incidents:    append([]cases.Incident{}, v.Incidents...),
		BuyerReplies: make([]BuyerReply, 0, len(v.BuyerReplies)),
		Messages:     make([]SentMessage, 0, len(v.Messages)),
		Notes:        make([]NoteRequest, 0, len(v.Notes)),
		EventCount:   r.seq,
	}
	if r.choice != nil && c.Remedy != "" {
		rc := *r.choice
		s.Remedy = &rc
	}
	for _, b := range v.BuyerReplies {
		s.BuyerReplies = append(s.BuyerReplies, BuyerReply{MessageID: b.MessageID, Text: b.Text, At: b.At, Source: b.Source, Actor: b.Actor})
	}
	for _, m := range v.Messages {
		s.Messages = append(s.Messages, SentMessage(m))
	}
	if v.PublicReply != nil {
		m := SentMessage(*v.PublicReply)
		s.PublicReply = &m
	}
	for _, n := range v.Notes {
		s.Notes = append(s.Notes, NoteRequest{NoteID: n.NoteID, Text: n.Text, Actor: n.Actor})
	}
	if c.ID != "" {
		s.Case = &c
	}
	return s
}
