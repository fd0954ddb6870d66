// Package ordercare is the part of the playbook that comes before the review:
// one OrderCareWorkflow per order that sends the touchpoints its platform
// allows (shipped, the day before the expected date, delivered; on Amazon
// only the official review solicitation) and watches for the signals that
// precede bad reviews (stalled tracking, a passed expected date, a delivery
// exception, a claim, an angry buyer message), raising a pre-emptive task
// with the evidence before any review exists.
package ordercare

import (
	"time"

	"github.com/redress-hq/redress/cases"
)

// TaskQueue is the queue order-care workflows and their activities run on.
// It is separate from the cases' queue so an order-care worker can be scaled,
// stopped and restarted on its own.
const TaskQueue = "redress-ordercare"

// WorkflowName is the registered name of the workflow.
const WorkflowName = "OrderCareWorkflow"

// Signal and query names.
const (
	SignalOrderEvent   = "order-event"   // a notification, a poll result or an automation's report
	SignalBuyerMessage = "buyer-message" // the buyer wrote about the order
	QueryState         = "state"
)

// WorkflowID is the order's workflow id: one per order and shop.
func WorkflowID(m cases.Marketplace, shopID, orderID string) string {
	return "order-" + string(m) + "-" + shopID + "-" + orderID
}

// OrderKey identifies the order in the store.
func OrderKey(m cases.Marketplace, shopID, orderID string) string {
	return string(m) + ":" + shopID + ":" + orderID
}

// Shipment statuses, normalised across platforms.
const (
	StatusPending   = "pending"    // paid, not shipped
	StatusShipped   = "shipped"    // handed to the carrier
	StatusInTransit = "in_transit" // moving
	StatusException = "exception"  // the carrier reports a problem (failed attempt, damaged, lost)
	StatusDelivered = "delivered"
	StatusCancelled = "cancelled"
)

// Shipment is what the order-care workflow knows of the order's shipment.
// Zero fields in an event mean "unknown", never "cleared".
type Shipment struct {
	Status         string `json:"status,omitempty"`
	TrackingNumber string `json:"tracking_number,omitempty"`
	Carrier        string `json:"carrier,omitempty"`
	// ShipmentID is the platform's shipment (Mercado Libre notifies by it).
	ShipmentID  string     `json:"shipment_id,omitempty"`
	ExpectedAt  *time.Time `json:"expected_at,omitempty"`
	ShippedAt   *time.Time `json:"shipped_at,omitempty"`
	DeliveredAt *time.Time `json:"delivered_at,omitempty"`
	// LastMovementAt is the newest tracking event; stalled tracking is measured from it.
	LastMovementAt *time.Time `json:"last_movement_at,omitempty"`
	// Exception is the carrier's description of a delivery problem.
	Exception string `json:"exception,omitempty"`
	// Claims are open claims or returns on the order (ids with reasons).
	Claims []string `json:"claims,omitempty"`
}

// Settings tune one order's care. Zero values take the defaults.
type Settings struct {
	// StallAfter: tracking without movement this long raises tracking_stalled.
	StallAfter time.Duration `json:"stall_after,omitempty"`
	// LateGrace: the expected date passed this long without delivery raises expected_passed.
	LateGrace time.Duration `json:"late_grace,omitempty"`
	// PollEvery is the fallback when notifications do not come: the order is read this often.
	PollEvery time.Duration `json:"poll_every,omitempty"`
	// WatchAfterDelivery: claims and returns are still watched this long after delivery.
	WatchAfterDelivery time.Duration `json:"watch_after_delivery,omitempty"`
	// MaxLife ends the care of an order that never ships or never arrives.
	MaxLife time.Duration `json:"max_life,omitempty"`
	// Quiet hours (local hours, start inclusive, end exclusive) in the buyer's
	// zone where known, else the shop's.
	QuietStart int `json:"quiet_start,omitempty"`
	QuietEnd   int `json:"quiet_end,omitempty"`
	// NoQuietHours sends at any hour (tests, shops that opt out).
	NoQuietHours bool `json:"no_quiet_hours,omitempty"`
}

// Defaults of Settings.
const (
	DefaultStallAfter         = 3 * 24 * time.Hour
	DefaultLateGrace          = 12 * time.Hour
	DefaultPollEvery          = 12 * time.Hour
	DefaultWatchAfterDelivery = 7 * 24 * time.Hour
	DefaultMaxLife            = 60 * 24 * time.Hour
	DefaultQuietStart         = 21
	DefaultQuietEnd           = 8
)

// WithDefaults fills zero settings.
func (s Settings) WithDefaults() Settings {
	if s.StallAfter <= 0 {
		s.StallAfter = DefaultStallAfter
	}
	if s.LateGrace <= 0 {
		s.LateGrace = DefaultLateGrace
	}
	if s.PollEvery <= 0 {
		s.PollEvery = DefaultPollEvery
	}
	if s.WatchAfterDelivery <= 0 {
		s.WatchAfterDelivery = DefaultWatchAfterDelivery
	}
	if s.MaxLife <= 0 {
		s.MaxLife = DefaultMaxLife
	}
	if s.QuietStart == 0 && s.QuietEnd == 0 {
		s.QuietStart, s.QuietEnd = DefaultQuietStart, DefaultQuietEnd
	}
	return s
}

// Input starts one order's care.
type Input struct {
	Marketplace cases.Marketplace `json:"marketplace"`
	ShopID      string            `json:"shop_id"`
	OrderID     string            `json:"order_id"`
	BuyerID     string            `json:"buyer_id,omitempty"`
	// Language of the buyer's touchpoints (zh, en, es, pt); "" takes the platform's default.
	Language string `json:"language,omitempty"`
	// BuyerTimeZone (IANA) where known; ShopTimeZone otherwise for quiet hours.
	BuyerTimeZone string   `json:"buyer_time_zone,omitempty"`
	ShopTimeZone  string   `json:"shop_time_zone,omitempty"`
	Settings      Settings `json:"settings"`
	// Shipment as the starting notification reported it (optional).
	Shipment *Shipment `json:"shipment,omitempty"`
	// Source says what started the care: notification, poll, api.
	Source string `json:"source,omitempty"`
}

// OrderEvent is a signal: what a notification or an automation reports, or a
// request to read the order from the platform (Refresh).
type OrderEvent struct {
	Shipment *Shipment `json:"shipment,omitempty"`
	Refresh  bool      `json:"refresh,omitempty"`
	Source   string    `json:"source,omitempty"`
}

// BuyerMessage is a signal: the buyer wrote about the order.
type BuyerMessage struct {
	MessageID string    `json:"message_id"`
	Text      string    `json:"text"`
	At        time.Time `json:"at"`
}

// Touchpoint kinds.
type Touchpoint string

const (
	TouchShipped      Touchpoint = "shipped"             // tracking number, carrier, expected date
	TouchDayBefore    Touchpoint = "day_before"          // the day before the expected date
	TouchDelivered    Touchpoint = "delivered"           // a short greeting after delivery
	TouchSolicitation Touchpoint = "review_solicitation" // Amazon's official solicitation, once, 5–30 days after delivery
)

// Touchpoint outcomes.
const (
	OutcomeSent       = "sent"
	OutcomeNotAllowed = "not_allowed" // the platform does not allow it (policy or its refusal)
	OutcomeManual     = "manual"      // no API: a person may send it in the seller console
	OutcomeRefused    = "guard_refused"
	OutcomeFailed     = "failed"
)

// TouchResult is what became of one touchpoint.
type TouchResult struct {
	Touchpoint  Touchpoint `json:"touchpoint"`
	Outcome     string     `json:"outcome"`
	Channel     string     `json:"channel"`
	Reason      string     `json:"reason,omitempty"`
	Text        string     `json:"text,omitempty"`
	PlatformRef string     `json:"platform_ref,omitempty"`
	Replayed    bool       `json:"replayed,omitempty"`
	At          time.Time  `json:"at"`
}

// Risk signals.
const (
	RiskTrackingStalled = "tracking_stalled"
	RiskExpectedPassed  = "expected_passed"
	RiskDeliveryIssue   = "delivery_exception"
	RiskClaimOpened     = "claim_opened"
	RiskAngryMessage    = "angry_message"
)

// Risk is a pre-emptive task's content: a signal and its evidence.
type Risk struct {
	Signal   string            `json:"signal"`
	Summary  string            `json:"summary"`
	Evidence map[string]string `json:"evidence"`
	At       time.Time         `json:"at"`
}

// State is the workflow's state, answered by QueryState and synced to the store.
type State struct {
	Input       Input                      `json:"input"`
	Shipment    Shipment                   `json:"shipment"`
	Touchpoints map[Touchpoint]TouchResult `json:"touchpoints"`
	Risks       map[string]Risk            `json:"risks"`
	Done        bool                       `json:"done"`
	EndReason   string                     `json:"end_reason,omitempty"`
	Version     int64                      `json:"version"`
	StartedAt   time.Time                  `json:"started_at"`
	UpdatedAt   time.Time                  `json:"updated_at"`
}
