package activities

import (
	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace"
)

// Activity inputs: one struct per call, so fields can be added without
// breaking histories that already hold the old shape.

// OrderInput addresses one order of a shop.
type OrderInput struct {
	Marketplace cases.Marketplace `json:"marketplace"`
	ShopID      string            `json:"shop_id"`
	OrderID     string            `json:"order_id"`
}

// ReviewInput addresses one review of a shop.
type ReviewInput struct {
	Marketplace cases.Marketplace `json:"marketplace"`
	ShopID      string            `json:"shop_id"`
	ReviewID    string            `json:"review_id"`
}

// MessageInput sends one private message; Guard is what the compliance
// guard checks the text against a second time, right before it leaves.
type MessageInput struct {
	Marketplace cases.Marketplace          `json:"marketplace"`
	Guard       cases.GuardContext         `json:"guard"`
	Request     marketplace.MessageRequest `json:"request"`
}

// ReplyInput posts the one public reply of a review.
type ReplyInput struct {
	Marketplace cases.Marketplace        `json:"marketplace"`
	Guard       cases.GuardContext       `json:"guard"`
	Request     marketplace.ReplyRequest `json:"request"`
}

type RefundInput struct {
	Marketplace cases.Marketplace         `json:"marketplace"`
	Request     marketplace.RefundRequest `json:"request"`
}

type CouponInput struct {
	Marketplace cases.Marketplace         `json:"marketplace"`
	Request     marketplace.CouponRequest `json:"request"`
}

type ReshipInput struct {
	Marketplace cases.Marketplace         `json:"marketplace"`
	Request     marketplace.ReshipRequest `json:"request"`
}

type AppealInput struct {
	Marketplace cases.Marketplace         `json:"marketplace"`
	Request     marketplace.AppealRequest `json:"request"`
}

// Alert is one notification about a case.
type Alert struct {
	CaseID      string             `json:"case_id"`
	Marketplace cases.Marketplace  `json:"marketplace"`
	ShopID      string             `json:"shop_id"`
	Kind        AlertKind          `json:"kind"`
	Severity    cases.Severity     `json:"severity,omitempty"`
	Issue       cases.Issue        `json:"issue,omitempty"`
	Deadline    cases.DeadlineKind `json:"deadline,omitempty"`
	Message     string             `json:"message"`
	// IdempotencyKey lets the receiver drop a retried delivery.
	IdempotencyKey string `json:"idempotency_key"`
}

// AlertKind says why someone is notified.
type AlertKind string

const (
	AlertNewCase  AlertKind = "new_case"
	AlertReminder AlertKind = "deadline_reminder"
	AlertBreach   AlertKind = "deadline_breached"
	AlertIncident AlertKind = "incident"
)

// ErrorDetail travels with a failed marketplace call so the workflow can
// record, on the incident, how many attempts were made.
type ErrorDetail struct {
	Attempt int32  `json:"attempt"`
	Op      string `json:"op"`
}

// ZoneData is a shop's time zone as tzdata bytes, so the workflow can build
// the *time.Location without file I/O (time.LoadLocationFromTZData).
type ZoneData struct {
	Name   string `json:"name"`
	TZData []byte `json:"tzdata"`
}
