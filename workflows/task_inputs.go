package workflows

import (
	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace"
)

// Task inputs: what each human task shows, stored as the task's Input JSON.

// ContactTaskInput: the drafted first message and the limits it must keep.
type ContactTaskInput struct {
	Draft        string                `json:"draft"`
	MaxChars     int                   `json:"max_chars"`
	Charset      string                `json:"charset,omitempty"`
	Reason       string                `json:"reason"` // why a person sends it: auto_contact_off, not_eligible, guard_unsure, ...
	Evidence     *marketplace.Evidence `json:"evidence,omitempty"`
	ForbidReview bool                  `json:"forbids_review_change_request"`
	// GuardDoubts: why the compliance guard wants a manager to send the draft.
	GuardDoubts []cases.Violation `json:"guard_doubts,omitempty"`
	// Manual: the platform has no message API; the agent sends the message in
	// the seller console (Console says where), optionally with a reference.
	Manual    bool   `json:"manual,omitempty"`
	Console   string `json:"console,omitempty"`
	Reference string `json:"reference,omitempty"`
}

// VerifyTaskInput: the gathered evidence to check.
type VerifyTaskInput struct {
	Issue           cases.Issue           `json:"issue"`
	ReviewText      string                `json:"review_text"`
	Photos          []string              `json:"photos,omitempty"`
	Evidence        *marketplace.Evidence `json:"evidence,omitempty"`
	EvidenceMissing string                `json:"evidence_missing,omitempty"`
}

// ChooseRemedyInput: the remedies the policy allows and their costs.
type ChooseRemedyInput struct {
	Issue          cases.Issue          `json:"issue"`
	Responsibility cases.Responsibility `json:"responsibility"`
	Options        []cases.RemedyOption `json:"options"`
	OrderAmount    cases.Money          `json:"order_amount"`
	ShippingFee    cases.Money          `json:"shipping_fee"`
	Currency       string               `json:"currency,omitempty"`
	ApprovalLimit  cases.Money          `json:"approval_limit"`
	RejectedReason string               `json:"rejected_reason,omitempty"` // a manager sent the last choice back
}

// ApproveRemedyInput: the choice above the approval limit.
type ApproveRemedyInput struct {
	Choice RemedyChoice `json:"choice"`
	Cost   cases.Money  `json:"cost"`
	Limit  cases.Money  `json:"limit"`
	// GuardDoubts: why the compliance guard wants a manager to read the
	// offer message (the approval is needed whatever the cost).
	GuardDoubts []cases.Violation `json:"guard_doubts,omitempty"`
}

// ApproveReplyInput: the drafted public reply a person must approve.
type ApproveReplyInput struct {
	Draft      string            `json:"draft"`
	MaxChars   int               `json:"max_chars"`
	Violations []cases.Violation `json:"violations,omitempty"` // why the draft needs editing, if it does
	// GuardDoubts: why the compliance guard wants a person to read the draft.
	GuardDoubts []cases.Violation `json:"guard_doubts,omitempty"`
}

// PrepareAppealInput: the evidence bundle for the appeal.
type PrepareAppealInput struct {
	Draft     string                `json:"draft"`
	Evidence  *marketplace.Evidence `json:"evidence,omitempty"`
	Findings  string                `json:"findings"`
	AppealAPI bool                  `json:"appeal_api"` // false: file it on the platform's site and say so
}

// RecordAppealOutcomeInput: the filed appeal awaiting the platform's decision.
type RecordAppealOutcomeInput struct {
	Reference string `json:"reference"`
	Manual    bool   `json:"manual"`
}

// ManualStepInput: a step the platform's public API cannot do, and exactly
// how to do it in the seller console.
type ManualStepInput struct {
	Step        string            `json:"step"`   // refund, coupon, reship, offer message, follow-up, ...
	Action      string            `json:"action"` // refund, coupon, reship, message
	Marketplace cases.Marketplace `json:"marketplace"`
	OrderID     string            `json:"order_id"`
	Console     string            `json:"console"`   // where in the seller console, click by click
	Reference   string            `json:"reference"` // what to confirm the step with
	Amount      cases.Money       `json:"amount,omitempty"`
	Currency    string            `json:"currency,omitempty"`
	Reason      string            `json:"reason,omitempty"`
	// Text is the message to send, already passed by the compliance guard.
	Text string `json:"text,omitempty"`
	// GuardDoubts: the guard is unsure about Text, so a manager sends it.
	GuardDoubts []cases.Violation `json:"guard_doubts,omitempty"`
	Why         string            `json:"why"` // e.g. no_refund_api
}
