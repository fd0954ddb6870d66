package simulator

import (
	"time"

	"github.com/redress-hq/redress/cases"
)

// LedgerKind names a side effect on the platform.
type LedgerKind string

const (
	LedgerMessage LedgerKind = "message"
	LedgerReply   LedgerKind = "reply"
	LedgerRefund  LedgerKind = "refund"
	LedgerCoupon  LedgerKind = "coupon"
	LedgerReship  LedgerKind = "reship"
	LedgerAppeal  LedgerKind = "appeal"
)

// LedgerEntry is one side effect the simulator applied. Ref is what makes
// two writes "the same": the idempotency key or reference the platform
// received, or for messages the order and exact text.
type LedgerEntry struct {
	Seq      int               `json:"seq"`
	Platform cases.Marketplace `json:"platform"`
	ShopID   string            `json:"shop_id"`
	Kind     LedgerKind        `json:"kind"`
	Ref      string            `json:"ref"`
	ID       string            `json:"id"`
	OrderID  string            `json:"order_id,omitempty"`
	ReviewID string            `json:"review_id,omitempty"`
	Payload  string            `json:"payload"`
	At       time.Time         `json:"at"`
}

// record appends to the ledger; callers hold s.mu.
func (s *Simulator) record(e LedgerEntry) {
	e.Seq = len(s.ledger) + 1
	e.At = s.now()
	s.ledger = append(s.ledger, e)
}

// Ledger returns every side effect so far, oldest first.
func (s *Simulator) Ledger() []LedgerEntry {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]LedgerEntry{}, s.ledger...)
}

// Duplicates returns the entries whose (platform, shop, kind, ref) was
// already in the ledger: writes that happened twice.
func (s *Simulator) Duplicates() []LedgerEntry {
	s.mu.Lock()
	defer s.mu.Unlock()
	seen := map[string]bool{}
	dups := []LedgerEntry{}
	for _, e := range s.ledger {
		if e.Ref == "" {
			continue
		}
		k := string(e.Platform) + "\x00" + e.ShopID + "\x00" + string(e.Kind) + "\x00" + e.Ref
		if seen[k] {
			dups = append(dups, e)
		}
		seen[k] = true
	}
	return dups
}
