package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/redress-hq/redress/cases"
)

// PriorContact is an agent's private message to the buyer about a problem
// on the order, sent before the order's review opened a case.
type PriorContact struct {
	Kind      string    `db:"kind" json:"kind"`             // message_answer
	MessageID string    `db:"message_id" json:"message_id"` // the buyer's complaint it answered
	Text      string    `db:"text" json:"text"`
	Ref       string    `db:"ref" json:"ref,omitempty"` // platform message id or the agent's manual reference
	Via       string    `db:"via" json:"via,omitempty"`
	By        string    `db:"by" json:"by"`
	At        time.Time `db:"at" json:"at"`
}

// FirstPriorContact returns the earliest qualifying prior contact on an
// order answered within [from, to], or ErrNotFound. What qualifies: a buyer
// message the classifier marked as a complaint (kind message, on the order)
// that an agent answered with text, through the platform or by hand (not an
// answer given inside a case, via "case"). Automatic touchpoints never qualify; a
// pre-emptive task's completion alone does not either (its note records what
// was done, not a message the buyer received). It only reads.
func (s *Store) FirstPriorContact(ctx context.Context, m cases.Marketplace, shopID, orderID string, from, to time.Time) (PriorContact, error) {
	var pc PriorContact
	err := s.db.GetContext(ctx, &pc, `
SELECT 'message_answer' AS kind, id AS message_id, answer_text AS text, answer_ref AS ref, answer_via AS via,
       answered_by AS by, answered_at AS at
FROM buyer_messages
WHERE marketplace = $1 AND shop_id = $2 AND order_id = $3 AND kind = 'message' AND complaint
  AND answered_at IS NOT NULL AND answered_by <> '' AND answer_text <> '' AND answer_via <> 'case'
  AND answered_at >= $4 AND answered_at <= $5
ORDER BY answered_at, id LIMIT 1`, m, shopID, orderID, from, to)
	if errors.Is(err, sql.ErrNoRows) {
		return PriorContact{}, ErrNotFound
	}
	if err == nil {
		pc.Text, err = s.opener(nil).openString(ctx, pc.Text, pc.MessageID)
	}
	return pc, wrap("first prior contact", err)
}
