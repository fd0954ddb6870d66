// Package cases holds Redress's domain: the vocabulary of a bad-review case
// and the pure policy that decides about it. It imports nothing of ours.
package cases

import (
	"cmp"
	"encoding/json"
	"time"
)

// Marketplace names a platform Redress handles reviews for.
type Marketplace string

const (
	MercadoLibre Marketplace = "mercadolibre"
	EBay         Marketplace = "ebay"
	Amazon       Marketplace = "amazon"
	Taobao       Marketplace = "taobao" // Taobao and Tmall share the TOP API.
)

// Marketplaces lists every supported marketplace in a stable order.
var Marketplaces = []Marketplace{MercadoLibre, EBay, Amazon, Taobao}

func (m Marketplace) Valid() bool {
	for _, v := range Marketplaces {
		if v == m {
			return true
		}
	}
	return false
}

// Buyer is the reviewer. Name and ID are private data: never in public text.
type Buyer struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Review is a marketplace review as Redress receives it.
type Review struct {
	Marketplace Marketplace `json:"marketplace"`
	ShopID      string      `json:"shop_id"`
	ReviewID    string      `json:"review_id"`
	OrderID     string      `json:"order_id"`
	ItemID      string      `json:"item_id,omitempty"`
	Rating      int         `json:"rating"`
	Text        string      `json:"text"`
	Language    string      `json:"language,omitempty"`
	Photos      []string    `json:"photos,omitempty"`
	CreatedAt   time.Time   `json:"created_at"`
	Buyer       Buyer       `json:"buyer"`
	OrderAmount Money       `json:"order_amount,omitempty"`
	ShippingFee Money       `json:"shipping_fee,omitempty"`
	Currency    string      `json:"currency,omitempty"`
	// What changed on the platform after the review was posted: a removal, a
	// Taobao 追评 (follow-up review), a public reply visible under it.
	Removed      bool   `json:"removed,omitempty"`
	FollowUpText string `json:"follow_up_text,omitempty"`
	Replied      bool   `json:"replied,omitempty"`
}

// Severity: 1–2 stars is bad, 3 stars is mid. 4–5 stars opens no case.
type Severity string

const (
	SeverityBad Severity = "bad"
	SeverityMid Severity = "mid"
)

// SeverityOf returns the severity of a rating and whether it opens a case.
func SeverityOf(rating int) (Severity, bool) {
	switch {
	case rating == 1 || rating == 2:
		return SeverityBad, true
	case rating == 3:
		return SeverityMid, true
	default:
		return "", false
	}
}

// Issue is the core problem a review is about.
type Issue string

const (
	IssueLogisticsDelay        Issue = "logistics_delay"
	IssueDamagedOrLost         Issue = "damaged_or_lost"
	IssueQuality               Issue = "quality"
	IssueNotAsDescribed        Issue = "not_as_described"
	IssueServiceAttitude       Issue = "service_attitude"
	IssueBuyerMisunderstanding Issue = "buyer_misunderstanding"
	IssueSuspectedMalicious    Issue = "suspected_malicious"
)

var Issues = []Issue{IssueLogisticsDelay, IssueDamagedOrLost, IssueQuality, IssueNotAsDescribed,
	IssueServiceAttitude, IssueBuyerMisunderstanding, IssueSuspectedMalicious}

func (i Issue) Valid() bool {
	for _, v := range Issues {
		if v == i {
			return true
		}
	}
	return false
}

// Stage is where a case stands in the playbook.
type Stage string

const (
	StageIntake        Stage = "intake"
	StageContact       Stage = "contact"        // first private contact is due
	StageAwaitingReply Stage = "awaiting_reply" // message sent, waiting for the buyer
	StageVerification  Stage = "verification"   // evidence review and responsibility
	StageRemedy        Stage = "remedy"         // choosing a remedy
	StageApproval      Stage = "approval"       // a manager approves a costly remedy
	StageExecution     Stage = "execution"      // remedy steps run on the marketplace
	StagePublicReply   Stage = "public_reply"
	StageAppeal        Stage = "appeal"
	StageFollowUp      Stage = "follow_up"
	StageClosed        Stage = "closed"
)

var Stages = []Stage{StageIntake, StageContact, StageAwaitingReply, StageVerification, StageRemedy,
	StageApproval, StageExecution, StagePublicReply, StageAppeal, StageFollowUp, StageClosed}

func (s Stage) Valid() bool {
	for _, v := range Stages {
		if v == s {
			return true
		}
	}
	return false
}

// Status is open until the case reaches an outcome.
type Status string

const (
	StatusOpen   Status = "open"
	StatusClosed Status = "closed"
)

// Outcome is how a case ended.
type Outcome string

const (
	OutcomeRevised          Outcome = "revised"
	OutcomeUnchanged        Outcome = "unchanged"
	OutcomeRemoved          Outcome = "removed"
	OutcomeAppealWon        Outcome = "appeal_won"
	OutcomeAppealLost       Outcome = "appeal_lost"
	OutcomeBuyerUnreachable Outcome = "buyer_unreachable"
	OutcomeClosedByManager  Outcome = "closed_by_manager"
	// OutcomeErased: closed because the buyer's personal data was erased on
	// their request (POST /v1/privacy/erasures).
	OutcomeErased Outcome = "erased"
)

// Responsibility is who caused the problem, decided at verification.
type Responsibility string

const (
	RespMerchant              Responsibility = "merchant"
	RespSupplier              Responsibility = "supplier"
	RespCourier               Responsibility = "courier"
	RespBuyerMisunderstanding Responsibility = "buyer_misunderstanding"
	RespMaliciousBuyer        Responsibility = "malicious_buyer"
)

var Responsibilities = []Responsibility{RespMerchant, RespSupplier, RespCourier, RespBuyerMisunderstanding, RespMaliciousBuyer}

func (r Responsibility) Valid() bool {
	for _, v := range Responsibilities {
		if v == r {
			return true
		}
	}
	return false
}

// RemedyType is one remedy from the playbook's table.
type RemedyType string

const (
	RemedyReship               RemedyType = "reship"                // reship within 48 h
	RemedyRefundNoReturn       RemedyType = "refund_no_return"      // full refund, keep the item
	RemedyReshipAndCoupon      RemedyType = "reship_and_coupon"     // reship plus a coupon
	RemedyShippingCompensation RemedyType = "shipping_compensation" // 1.5 × the shipping fee
	RemedyCoupon               RemedyType = "coupon"                // ≥ 10 % of the order value
	RemedyFreeShippingNext     RemedyType = "free_shipping_next_order"
	RemedyApology              RemedyType = "apology" // private and public
	RemedyDedicatedAgent       RemedyType = "dedicated_agent"
	RemedyUsageGuide           RemedyType = "usage_guide"
	RemedyAfterSalesGuidance   RemedyType = "after_sales_guidance"
	RemedySmallCoupon          RemedyType = "small_coupon"
)

// Role is what an API caller or workflow actor may do.
type Role string

const (
	RoleAgent      Role = "agent"
	RoleManager    Role = "manager"
	RoleAutomation Role = "automation"
	RoleAdmin      Role = "admin"
	RoleSystem     Role = "system" // the workflow itself
)

func (r Role) Valid() bool {
	switch r {
	case RoleAgent, RoleManager, RoleAutomation, RoleAdmin:
		return true
	}
	return false
}

// AtLeastManager reports whether the role may do manager-only actions.
func (r Role) AtLeastManager() bool { return r == RoleManager || r == RoleAdmin }

// Actor is who did something; every recorded action names one.
type Actor struct {
	ID   string `json:"id"`
	Role Role   `json:"role"`
}

// SystemActor is the workflow acting on its own (timers, automatic sends).
var SystemActor = Actor{ID: "redress", Role: RoleSystem}

// TaskKind is a human step in the playbook.
type TaskKind string

const (
	TaskContactBuyer        TaskKind = "contact_buyer"
	TaskVerify              TaskKind = "verify"
	TaskChooseRemedy        TaskKind = "choose_remedy"
	TaskApproveRemedy       TaskKind = "approve_remedy"
	TaskApproveReply        TaskKind = "approve_reply"
	TaskPrepareAppeal       TaskKind = "prepare_appeal"
	TaskRecordAppealOutcome TaskKind = "record_appeal_outcome"
	// TaskManualStep: a step the platform's API cannot do, done by the agent
	// in the seller console and confirmed with a reference.
	TaskManualStep TaskKind = "manual_step"
)

var TaskKinds = []TaskKind{TaskContactBuyer, TaskVerify, TaskChooseRemedy, TaskApproveRemedy,
	TaskApproveReply, TaskPrepareAppeal, TaskRecordAppealOutcome, TaskManualStep}

func (k TaskKind) Valid() bool {
	for _, v := range TaskKinds {
		if v == k {
			return true
		}
	}
	return false
}

// TaskStatus is a task's life cycle.
type TaskStatus string

const (
	TaskOpen      TaskStatus = "open"
	TaskClaimed   TaskStatus = "claimed"
	TaskCompleted TaskStatus = "completed"
	TaskCancelled TaskStatus = "cancelled"
)

// Priority rises when a deadline is near or broken.
type Priority int

const (
	PriorityNormal Priority = 0
	PriorityHigh   Priority = 1 // reminder fired
	PriorityUrgent Priority = 2 // deadline breached
)

// DeadlineKind names each SLA the playbook sets.
type DeadlineKind string

const (
	DeadlineFirstContact DeadlineKind = "first_contact" // private contact after the review
	DeadlineSolution     DeadlineKind = "solution"      // concrete solution after the buyer's reply
	DeadlinePublicReply  DeadlineKind = "public_reply"
	DeadlineAppeal       DeadlineKind = "appeal"
	DeadlineResolution   DeadlineKind = "resolution" // handling finished (12 h; 8 h quality)
	DeadlineReship       DeadlineKind = "reship"     // reship dispatched within 48 h
)

// DeadlineKinds lists every kind, in a fixed order (workflow code walks it
// instead of a map).
var DeadlineKinds = []DeadlineKind{DeadlineFirstContact, DeadlineSolution, DeadlinePublicReply,
	DeadlineAppeal, DeadlineResolution, DeadlineReship}

// DeadlineStatus is a deadline's life cycle.
type DeadlineStatus string

const (
	DeadlinePending   DeadlineStatus = "pending"
	DeadlineMet       DeadlineStatus = "met"
	DeadlineBreached  DeadlineStatus = "breached"
	DeadlineCancelled DeadlineStatus = "cancelled" // no longer applies (path changed)
)

// Deadline is one SLA on a case with its timing and result.
type Deadline struct {
	Kind       DeadlineKind   `json:"kind"`
	StartedAt  time.Time      `json:"started_at"`
	DueAt      time.Time      `json:"due_at"`
	RemindAt   time.Time      `json:"remind_at"`
	Status     DeadlineStatus `json:"status"`
	Reminded   bool           `json:"reminded"`
	MetAt      *time.Time     `json:"met_at,omitempty"`
	BreachedAt *time.Time     `json:"breached_at,omitempty"`
	// LateBy is how late the deadline was met (or is, once breached), in seconds.
	LateBySeconds int64 `json:"late_by_seconds,omitempty"`
}

// Case is one row of the case index.
type Case struct {
	ID              string         `db:"id" json:"id"`
	WorkflowID      string         `db:"workflow_id" json:"workflow_id"`
	Marketplace     Marketplace    `db:"marketplace" json:"marketplace"`
	ShopID          string         `db:"shop_id" json:"shop_id"`
	ReviewID        string         `db:"review_id" json:"review_id"`
	OrderID         string         `db:"order_id" json:"order_id"`
	ItemID          string         `db:"item_id" json:"item_id,omitempty"`
	BuyerID         string         `db:"buyer_id" json:"buyer_id"`
	BuyerName       string         `db:"buyer_name" json:"buyer_name"`
	Rating          int            `db:"rating" json:"rating"`
	Severity        Severity       `db:"severity" json:"severity"`
	Text            string         `db:"text" json:"text"`
	Language        string         `db:"language" json:"language"`
	Issue           Issue          `db:"issue" json:"issue"`
	Stage           Stage          `db:"stage" json:"stage"`
	Status          Status         `db:"status" json:"status"`
	Responsibility  Responsibility `db:"responsibility" json:"responsibility,omitempty"`
	Remedy          RemedyType     `db:"remedy" json:"remedy,omitempty"`
	Outcome         Outcome        `db:"outcome" json:"outcome,omitempty"`
	Assignee        string         `db:"assignee" json:"assignee,omitempty"`
	Courier         string         `db:"courier" json:"courier,omitempty"`
	Breached        bool           `db:"breached" json:"breached"`
	NextDeadline    DeadlineKind   `db:"next_deadline" json:"next_deadline,omitempty"`
	NextDeadlineAt  *time.Time     `db:"next_deadline_at" json:"next_deadline_at,omitempty"`
	OrderAmount     Money          `db:"order_amount" json:"order_amount"`
	ShippingFee     Money          `db:"shipping_fee" json:"shipping_fee"`
	Currency        string         `db:"currency" json:"currency,omitempty"`
	RemedyCost      Money          `db:"remedy_cost" json:"remedy_cost"`
	ReviewCreatedAt time.Time      `db:"review_created_at" json:"review_created_at"`
	OpenedAt        time.Time      `db:"opened_at" json:"opened_at"`
	FirstContactAt  *time.Time     `db:"first_contact_at" json:"first_contact_at,omitempty"`
	ResolvedAt      *time.Time     `db:"resolved_at" json:"resolved_at,omitempty"`
	ClosedAt        *time.Time     `db:"closed_at" json:"closed_at,omitempty"`
	UpdatedAt       time.Time      `db:"updated_at" json:"updated_at"`
	// ReviewDigest fingerprints the review as the case last saw it, so intake
	// can tell a redelivery from a changed review without asking the workflow.
	ReviewDigest string `db:"review_digest" json:"review_digest,omitempty"`
	// Version rises with every change the workflow makes; the store never
	// lets an older version overwrite a newer one (retried, reordered writes).
	Version int64 `db:"version" json:"version"`
	// TimeToBreach is how long until the next deadline passes (negative once
	// it has), counted when the case is read; only on open cases.
	TimeToBreach *Duration `db:"-" json:"time_to_breach,omitempty"`
}

// EventType names an entry of the audit trail.
type EventType string

const (
	EventCaseOpened        EventType = "case_opened"
	EventClassified        EventType = "classified"
	EventReclassified      EventType = "reclassified"
	EventSellerAlerted     EventType = "seller_alerted"
	EventEvidenceGathered  EventType = "evidence_gathered"
	EventStageChanged      EventType = "stage_changed"
	EventMessageSent       EventType = "message_sent"
	EventMessageBlocked    EventType = "message_blocked" // refused by the compliance guard
	EventBuyerReplied      EventType = "buyer_replied"
	EventTaskCreated       EventType = "task_created"
	EventTaskClaimed       EventType = "task_claimed"
	EventTaskUnclaimed     EventType = "task_unclaimed"
	EventTaskAssigned      EventType = "task_assigned"
	EventTaskCompleted     EventType = "task_completed"
	EventTaskCancelled     EventType = "task_cancelled"
	EventDeadlineSet       EventType = "deadline_set"
	EventDeadlineReminder  EventType = "deadline_reminder"
	EventDeadlineMet       EventType = "deadline_met"
	EventDeadlineBreached  EventType = "deadline_breached"
	EventEscalated         EventType = "escalated"
	EventVerified          EventType = "verified"
	EventRemedyChosen      EventType = "remedy_chosen"
	EventRemedyApproved    EventType = "remedy_approved"
	EventRemedyRejected    EventType = "remedy_rejected"
	EventRemedyStepDone    EventType = "remedy_step_done"
	EventRemedyStepFailed  EventType = "remedy_step_failed"
	EventRemedyCompensated EventType = "remedy_compensated"
	EventRemedyCompleted   EventType = "remedy_completed"
	EventPublicReplyPosted EventType = "public_reply_posted"
	EventAppealSubmitted   EventType = "appeal_submitted"
	EventAppealDecided     EventType = "appeal_decided"
	EventFollowUpSent      EventType = "follow_up_sent"
	EventReviewChecked     EventType = "review_checked"
	EventReviewChanged     EventType = "review_changed" // the buyer edited, removed or added to the review
	EventNoteAdded         EventType = "note_added"
	EventIncidentOpened    EventType = "incident_opened"
	EventIncidentResolved  EventType = "incident_resolved"
	EventCaseClosed        EventType = "case_closed"
)

// Event is one entry of a case's append-only audit trail. (CaseID, Seq) is
// unique, so a retried write of the same event never duplicates it.
type Event struct {
	CaseID string          `db:"case_id" json:"case_id"`
	Seq    int64           `db:"seq" json:"seq"`
	Type   EventType       `db:"type" json:"type"`
	Actor  string          `db:"actor" json:"actor"`
	Role   Role            `db:"actor_role" json:"actor_role"`
	At     time.Time       `db:"at" json:"at"`
	Data   json.RawMessage `db:"data" json:"data"`
}

// Task is a human step, mirrored from the workflow's state for listing.
type Task struct {
	ID          string          `db:"id" json:"id"`
	CaseID      string          `db:"case_id" json:"case_id"`
	WorkflowID  string          `db:"workflow_id" json:"workflow_id"`
	Kind        TaskKind        `db:"kind" json:"kind"`
	Status      TaskStatus      `db:"status" json:"status"`
	Role        Role            `db:"role" json:"role"` // who may complete it: agent or manager
	Assignee    string          `db:"assignee" json:"assignee,omitempty"`
	Priority    Priority        `db:"priority" json:"priority"`
	Marketplace Marketplace     `db:"marketplace" json:"marketplace"`
	ShopID      string          `db:"shop_id" json:"shop_id"`
	DueAt       *time.Time      `db:"due_at" json:"due_at,omitempty"`
	Input       json.RawMessage `db:"input" json:"input"`             // what the agent needs: draft, evidence, options
	Result      json.RawMessage `db:"result" json:"result,omitempty"` // what the agent decided
	CreatedAt   time.Time       `db:"created_at" json:"created_at"`
	UpdatedAt   time.Time       `db:"updated_at" json:"updated_at"`
	CompletedAt *time.Time      `db:"completed_at" json:"completed_at,omitempty"`
	CompletedBy string          `db:"completed_by" json:"completed_by,omitempty"`
	Version     int64           `db:"version" json:"version"`
	// TimeToBreach is how long until the task is due (negative once it is
	// overdue), counted when the task is read; only on live tasks.
	TimeToBreach *Duration `db:"-" json:"time_to_breach,omitempty"`
}

// ErrorClass is how a failed marketplace call is to be treated.
type ErrorClass string

const (
	ErrRetryable     ErrorClass = "retryable"
	ErrRateLimited   ErrorClass = "rate_limited"
	ErrAuthExpired   ErrorClass = "auth_expired"
	ErrAuthRevoked   ErrorClass = "auth_revoked"
	ErrPermanent     ErrorClass = "permanent"
	ErrAmbiguous     ErrorClass = "ambiguous_write"
	ErrGuardRejected ErrorClass = "guard_rejected" // our compliance guard refused the call
)

// IncidentStatus is an incident's life cycle.
type IncidentStatus string

const (
	IncidentOpen     IncidentStatus = "open"
	IncidentRetrying IncidentStatus = "retrying"
	IncidentResolved IncidentStatus = "resolved" // a retry succeeded
	IncidentSkipped  IncidentStatus = "skipped"  // a person decided to skip the step
)

// Incident is a marketplace call that failed for good and waits for a decision.
type Incident struct {
	ID          string          `db:"id" json:"id"`
	CaseID      string          `db:"case_id" json:"case_id"`
	WorkflowID  string          `db:"workflow_id" json:"workflow_id"`
	Marketplace Marketplace     `db:"marketplace" json:"marketplace"`
	ShopID      string          `db:"shop_id" json:"shop_id"`
	Call        string          `db:"call" json:"call"` // e.g. send_buyer_message, issue_refund
	Step        string          `db:"step" json:"step"` // the workflow step key, unique per case
	ErrorClass  ErrorClass      `db:"error_class" json:"error_class"`
	Message     string          `db:"message" json:"message"`
	Attempts    int             `db:"attempts" json:"attempts"`
	Params      json.RawMessage `db:"params" json:"params"`
	Status      IncidentStatus  `db:"status" json:"status"`
	Resolution  string          `db:"resolution" json:"resolution,omitempty"`
	ResolvedBy  string          `db:"resolved_by" json:"resolved_by,omitempty"`
	CreatedAt   time.Time       `db:"created_at" json:"created_at"`
	UpdatedAt   time.Time       `db:"updated_at" json:"updated_at"`
	ResolvedAt  *time.Time      `db:"resolved_at" json:"resolved_at,omitempty"`
	Version     int64           `db:"version" json:"version"`
}

// SyncBatch is what a workflow writes to the case index in one transaction:
// the case row, new audit events, and the tasks, deadlines and incidents that
// changed. Writing the same batch twice changes nothing.
type SyncBatch struct {
	Case      Case       `json:"case"`
	Events    []Event    `json:"events"`
	Tasks     []Task     `json:"tasks"`
	Deadlines []Deadline `json:"deadlines"`
	Incidents []Incident `json:"incidents"`
	// Fence names the workflow task that recorded the events (from
	// events-not-rows version 7); nil before.
	Fence *Fence `json:"fence,omitempty"`
}

// Fence identifies the workflow task a batch of events comes from. A task
// that fails is retried as a later one (a longer history, or the same
// length started later), so a later fence is the case's truth: the store
// drops a batch from an earlier task than one it has seen, and replaces
// events the later task recorded differently (they were written from a task
// that never completed).
type Fence struct {
	HistoryLength int64     `json:"history_length"`
	TaskTime      time.Time `json:"task_time"`
}

// Compare orders fences: -1 when f is earlier than g, 0 when they are the
// same task, +1 when f is later.
func (f Fence) Compare(g Fence) int {
	if c := cmp.Compare(f.HistoryLength, g.HistoryLength); c != 0 {
		return c
	}
	return f.TaskTime.Compare(g.TaskTime)
}
