// Package workflows holds CaseWorkflow, the bad-review playbook as a durable
// Temporal workflow, and the contract (names and payloads) callers use.
package workflows

import (
	"encoding/json"
	"time"

	"github.com/redress-hq/redress/cases"
)

// TaskQueue is where case workflows and their activities run.
const TaskQueue = "redress-cases"

// Message names: the API sends these; the workflow answers them.
const (
	UpdateClaimTask       = "claim-task"
	UpdateUnclaimTask     = "unclaim-task"
	UpdateAssignTask      = "assign-task"
	UpdateCompleteTask    = "complete-task"
	UpdateBuyerReply      = "buyer-reply"
	UpdateReclassify      = "reclassify"
	UpdateAddNote         = "add-note"
	UpdateCloseCase       = "close-case"
	UpdateResolveIncident = "resolve-incident"

	// SignalBuyerReply carries a buyer reply from a webhook, where nobody waits for an answer.
	SignalBuyerReply = "buyer-reply"
	// SignalReviewChanged carries the review as it now stands on the platform
	// (edited, removed, 追评, a reply seen) from a webhook, a poll or the API.
	SignalReviewChanged = "review-changed"

	QueryState = "state"
)

// Search attributes the workflow keeps current (registered by `make run` and tests).
const (
	SearchAttrStage       = "RedressStage"
	SearchAttrMarketplace = "RedressMarketplace"
	SearchAttrIssue       = "RedressIssue"
	SearchAttrBreached    = "RedressBreached"
)

// CaseInput starts a case.
type CaseInput struct {
	CaseID   string       `json:"case_id"`
	Review   cases.Review `json:"review"`
	Settings CaseSettings `json:"settings"`
	// ReceivedAt is when Redress received the review (for alert latency).
	ReceivedAt time.Time `json:"received_at"`
	// Texts are the seller's templates and the shop's display name, read
	// when the case opens; nil (cases started before issue 12): the shipped
	// texts, signed with the shop id.
	Texts *cases.SellerTexts `json:"texts,omitempty"`
	// ShopAtOpen: Settings are the deployment's defaults and Texts empty;
	// the case reads its shop's policy and the seller's texts itself when it
	// opens (events-not-rows v5), so the intake does no store read.
	ShopAtOpen bool `json:"shop_at_open,omitempty"`
}

// CaseSettings are the shop's choices, fixed when the case starts.
type CaseSettings struct {
	// AutoContact sends the first private message without a person, where the platform allows.
	AutoContact bool `json:"auto_contact"`
	// ApprovalLimit: remedies costing more than this need a manager's approval.
	ApprovalLimit cases.Money `json:"approval_limit"`
	// FollowUpDelay is how long after the remedy the follow-up goes out.
	FollowUpDelay time.Duration `json:"follow_up_delay"`
	// ReviewCheckDelay is how long after the follow-up the review is checked for revision.
	ReviewCheckDelay time.Duration `json:"review_check_delay"`
	// TimeZone of the shop, for business-hours deadlines (IANA name).
	TimeZone string `json:"time_zone"`
	// NoReplyAfter overrides how long the case waits for the buyer's answer
	// after the first contact before it replies publicly (0: the platform's
	// SLA policy, 12 h).
	NoReplyAfter time.Duration `json:"no_reply_after,omitempty"`
	// Shop names the shop whose policy these settings copy ("org/marketplace:shop"),
	// and Currency is the currency ApprovalLimit is in; both empty for cases
	// opened with the deployment's defaults (before issue 12, or an
	// unregistered shop).
	Shop     string `json:"shop,omitempty"`
	Currency string `json:"currency,omitempty"`
	// SLAOverrides are the shop's own durations for some deadline kinds, and
	// Calendar its business hours and holidays; both over the platform's.
	SLAOverrides map[cases.DeadlineKind]time.Duration `json:"sla_overrides,omitempty"`
	Calendar     *ShopCalendar                        `json:"calendar,omitempty"`
}

// ShopCalendar is a shop's business hours (zero hours: the platform's, or
// every hour where the platform counts every hour) and its holidays, local
// dates on which no SLA time runs.
type ShopCalendar struct {
	StartHour int      `json:"start_hour,omitempty"`
	EndHour   int      `json:"end_hour,omitempty"`
	Holidays  []string `json:"holidays,omitempty"`
}

// CaseResult is what a finished case reports.
type CaseResult struct {
	CaseID   string        `json:"case_id"`
	Outcome  cases.Outcome `json:"outcome"`
	Breached bool          `json:"breached"`
}

// Update and signal payloads. Every one names its actor.

type ClaimTaskRequest struct {
	TaskID string      `json:"task_id"`
	Actor  cases.Actor `json:"actor"`
	// Takeover lets a manager take a task someone else holds.
	Takeover bool `json:"takeover"`
}

type UnclaimTaskRequest struct {
	TaskID string      `json:"task_id"`
	Actor  cases.Actor `json:"actor"`
}

type AssignTaskRequest struct {
	TaskID   string      `json:"task_id"`
	Assignee string      `json:"assignee"`
	Actor    cases.Actor `json:"actor"`
}

// CompleteTaskRequest completes a task; exactly the field for the task's kind is set.
type CompleteTaskRequest struct {
	TaskID        string          `json:"task_id"`
	Actor         cases.Actor     `json:"actor"`
	Contact       *ContactResult  `json:"contact,omitempty"`
	Verify        *VerifyResult   `json:"verify,omitempty"`
	Remedy        *RemedyChoice   `json:"remedy,omitempty"`
	Approval      *Approval       `json:"approval,omitempty"`
	Appeal        *AppealFiling   `json:"appeal,omitempty"`
	AppealOutcome *AppealOutcome  `json:"appeal_outcome,omitempty"`
	ManualStep    *ManualStepDone `json:"manual_step,omitempty"`
}

// ContactResult completes contact_buyer: the (possibly edited) message to send.
type ContactResult struct {
	Message string `json:"message"`
	// SentOutside is true when the agent reached the buyer outside Redress (e.g. by phone with consent).
	SentOutside bool `json:"sent_outside"`
	// Reference is the platform's confirmation where the agent sent the
	// message in the seller console (platforms without a message API).
	Reference string `json:"reference,omitempty"`
}

// ManualStepDone completes manual_step: the agent did the step in the
// platform's seller console; Reference is the platform's proof (refund id,
// message confirmation, coupon code, tracking number).
type ManualStepDone struct {
	Reference string `json:"reference"`
	Note      string `json:"note,omitempty"`
}

// VerifyResult completes verify: findings and who is responsible.
type VerifyResult struct {
	Responsibility  cases.Responsibility `json:"responsibility"`
	Findings        string               `json:"findings"`
	EvidenceChecked []string             `json:"evidence_checked"` // e.g. order, tracking, chat, photos, qc, packing
}

// RemedyChoice completes choose_remedy.
type RemedyChoice struct {
	Type cases.RemedyType `json:"type"`
	// Amount for coupons and partial refunds; zero means the policy's default.
	Amount cases.Money `json:"amount"`
	// Message is the private message offering the remedy (drafted if empty).
	Message string `json:"message"`
	Note    string `json:"note"`
}

// Approval completes approve_remedy and approve_reply.
type Approval struct {
	Approved bool   `json:"approved"`
	Reason   string `json:"reason"`
	// Text replaces the drafted public reply (approve_reply only).
	Text string `json:"text"`
}

// AppealFiling completes prepare_appeal.
type AppealFiling struct {
	Statement string   `json:"statement"`
	Evidence  []string `json:"evidence"`
	// FiledManually: the agent filed it on the platform's site (platforms without an appeal API).
	FiledManually bool   `json:"filed_manually"`
	Reference     string `json:"reference"`
}

// AppealOutcome completes record_appeal_outcome.
type AppealOutcome struct {
	Won  bool   `json:"won"`
	Note string `json:"note"`
}

// BuyerReply is a message from the buyer, from a webhook or entered by an agent.
type BuyerReply struct {
	MessageID string      `json:"message_id"` // dedup key
	Text      string      `json:"text"`
	At        time.Time   `json:"at"`
	Source    string      `json:"source"` // webhook, agent
	Actor     cases.Actor `json:"actor"`
}

// ReviewChange is the review as it now stands on the platform. The case
// ignores a change whose content it has already seen (see ReviewDigest).
type ReviewChange struct {
	Review cases.Review `json:"review"`
	Source string       `json:"source"` // webhook, poll, api
	// SeenAt is when Redress received the change.
	SeenAt time.Time `json:"seen_at"`
}

type ReclassifyRequest struct {
	Issue  cases.Issue `json:"issue"`
	Reason string      `json:"reason"`
	Actor  cases.Actor `json:"actor"`
}

type NoteRequest struct {
	NoteID string      `json:"note_id"` // dedup key for retried requests
	Text   string      `json:"text"`
	Actor  cases.Actor `json:"actor"`
}

type CloseCaseRequest struct {
	Reason string      `json:"reason"`
	Actor  cases.Actor `json:"actor"`
	// Erasure: the buyer's personal data was erased; the case closes with
	// outcome erased instead of closed_by_manager.
	Erasure bool `json:"erasure,omitempty"`
}

// IncidentAction decides what to do about a failed marketplace call.
type IncidentAction string

const (
	IncidentRetry IncidentAction = "retry"
	IncidentSkip  IncidentAction = "skip"
)

type ResolveIncidentRequest struct {
	IncidentID string         `json:"incident_id"`
	Action     IncidentAction `json:"action"`
	// Params optionally corrects the call's parameters before a retry (e.g. a shorter text).
	Params json.RawMessage `json:"params,omitempty"`
	Reason string          `json:"reason"`
	Actor  cases.Actor     `json:"actor"`
	// CheckedNotApplied: a person looked on the platform and the failed
	// write is not there. Retrying an ambiguous write needs it: the call
	// may have happened, and only a person can see whether it did.
	CheckedNotApplied bool `json:"checked_not_applied,omitempty"`
}

// UpdateResult is what every update returns: the task or case after the change.
type UpdateResult struct {
	CaseID string       `json:"case_id"`
	Stage  cases.Stage  `json:"stage"`
	Task   *cases.Task  `json:"task,omitempty"`
	Status cases.Status `json:"status"`
}

// CaseState is the live state a Query returns.
type CaseState struct {
	CaseID         string               `json:"case_id"`
	Stage          cases.Stage          `json:"stage"`
	Status         cases.Status         `json:"status"`
	Severity       cases.Severity       `json:"severity"`
	Issue          cases.Issue          `json:"issue"`
	Responsibility cases.Responsibility `json:"responsibility,omitempty"`
	Remedy         *RemedyChoice        `json:"remedy,omitempty"`
	RemedyCost     cases.Money          `json:"remedy_cost"`
	Outcome        cases.Outcome        `json:"outcome,omitempty"`
	Breached       bool                 `json:"breached"`
	Tasks          []cases.Task         `json:"tasks"`
	Deadlines      []cases.Deadline     `json:"deadlines"`
	Incidents      []cases.Incident     `json:"incidents"`
	BuyerReplies   []BuyerReply         `json:"buyer_replies"`
	Messages       []SentMessage        `json:"messages"`
	PublicReply    *SentMessage         `json:"public_reply,omitempty"`
	Notes          []NoteRequest        `json:"notes"`
	EventCount     int64                `json:"event_count"`
	// Case is the case row as the case's recorded events fold
	// (cases.State.Apply), exactly as the index folds them.
	Case *cases.Case `json:"case,omitempty"`
}

// SentMessage is a message or reply Redress sent on the case.
type SentMessage struct {
	Kind   string    `json:"kind"` // first_contact, remedy_offer, follow_up, public_reply
	Text   string    `json:"text"`
	At     time.Time `json:"at"`
	By     string    `json:"by"`
	Ref    string    `json:"ref,omitempty"` // the platform's id
	Manual bool      `json:"manual,omitempty"`
}
