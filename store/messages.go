package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"github.com/redress-hq/redress/cases"
)

// BuyerMessage is one message or listing question in the message centre.
type BuyerMessage struct {
	OrgID       string            `db:"org_id" json:"-"` // the owning organisation (migration 00042)
	ID          string            `db:"id" json:"id"`
	Marketplace cases.Marketplace `db:"marketplace" json:"marketplace"`
	ShopID      string            `db:"shop_id" json:"shop_id"`
	ExternalID  string            `db:"external_id" json:"external_id"`
	Kind        string            `db:"kind" json:"kind"` // question (pre-sale, on a listing) or message (post-sale)
	OrderID     string            `db:"order_id" json:"order_id,omitempty"`
	ItemID      string            `db:"item_id" json:"item_id,omitempty"`
	BuyerID     string            `db:"buyer_id" json:"buyer_id,omitempty"`
	Text        string            `db:"text" json:"text"`
	Language    string            `db:"language" json:"language"`
	Complaint   bool              `db:"complaint" json:"complaint"`
	Cues        json.RawMessage   `db:"cues" json:"cues"`
	GroupKey    string            `db:"group_key" json:"group_key"`
	ReceivedAt  time.Time         `db:"received_at" json:"received_at"`
	DueAt       time.Time         `db:"due_at" json:"due_at"`
	Status      string            `db:"status" json:"status"` // open, answered, escalated
	CaseID      string            `db:"case_id" json:"case_id,omitempty"`
	AnswerText  string            `db:"answer_text" json:"answer_text,omitempty"`
	AnswerRef   string            `db:"answer_ref" json:"answer_ref,omitempty"`
	AnswerVia   string            `db:"answer_via" json:"answer_via,omitempty"`
	AnsweredAt  *time.Time        `db:"answered_at" json:"answered_at,omitempty"`
	AnsweredBy  string            `db:"answered_by" json:"answered_by,omitempty"`
	CreatedAt   time.Time         `db:"created_at" json:"created_at"`
}

// AddBuyerMessage stores a message once per (marketplace, shop, external
// id); first is false for a redelivery, which returns the stored message.
func (s *Store) AddBuyerMessage(ctx context.Context, m BuyerMessage) (BuyerMessage, bool, error) {
	if len(m.Cues) == 0 {
		m.Cues = json.RawMessage(`[]`)
	}
	if m.Status == "" {
		m.Status = "open"
	}
	if m.CreatedAt.IsZero() {
		m.CreatedAt = time.Now().UTC()
	}
	text, err := s.sealMessageText(ctx, m, m.Text)
	if err != nil {
		return BuyerMessage{}, false, wrap("add buyer message", err)
	}
	m.Text = text
	res, err := s.db.NamedExecContext(ctx, `
INSERT INTO buyer_messages (id, marketplace, shop_id, external_id, kind, order_id, item_id, buyer_id, text, language,
    complaint, cues, group_key, received_at, due_at, status, case_id, created_at)
VALUES (:id, :marketplace, :shop_id, :external_id, :kind, :order_id, :item_id, :buyer_id, :text, :language,
    :complaint, :cues, :group_key, :received_at, :due_at, :status, :case_id, :created_at)
ON CONFLICT (marketplace, shop_id, external_id) DO NOTHING`, m)
	if err != nil {
		return BuyerMessage{}, false, wrap("add buyer message", err)
	}
	n, _ := res.RowsAffected()
	var got BuyerMessage
	err = s.db.GetContext(ctx, &got, `SELECT * FROM buyer_messages WHERE marketplace = $1 AND shop_id = $2 AND external_id = $3`,
		m.Marketplace, m.ShopID, m.ExternalID)
	got, err = s.openMessage(ctx, got, err)
	return got, n == 1, wrap("add buyer message", err)
}

// GetBuyerMessage reads one message.
func (s *Store) GetBuyerMessage(ctx context.Context, id string) (BuyerMessage, error) {
	var m BuyerMessage
	err := s.db.GetContext(ctx, &m, `SELECT * FROM buyer_messages WHERE id = $1`, id)
	m, err = s.openMessage(ctx, m, err)
	return m, wrap("get buyer message", err)
}

// MessageFilter selects messages in the centre.
type MessageFilter struct {
	Status      string // "" = every status
	Marketplace cases.Marketplace
	ShopID      string
	Kind        string
	GroupKey    string
	OrderID     string
	Limit       int
}

// ListBuyerMessages returns messages by time left (the earliest deadline first).
func (s *Store) ListBuyerMessages(ctx context.Context, f MessageFilter) ([]BuyerMessage, error) {
	f.Limit = listLimit(f.Limit)
	out := []BuyerMessage{}
	err := s.db.SelectContext(ctx, &out, `SELECT * FROM buyer_messages
WHERE ($1 = '' OR status = $1) AND ($2 = '' OR marketplace = $2) AND ($3 = '' OR shop_id = $3)
  AND ($4 = '' OR kind = $4) AND ($5 = '' OR group_key = $5) AND ($6 = '' OR order_id = $6)
ORDER BY due_at, id LIMIT $7`, f.Status, f.Marketplace, f.ShopID, f.Kind, f.GroupKey, f.OrderID, f.Limit)
	if err == nil {
		err = s.opener(nil).openMessages(ctx, out)
	}
	return out, wrap("list buyer messages", err)
}

// Answer records how a message was answered. Only an open (or escalated
// into a case) message can be answered; answering again is ErrConflict.
type Answer struct {
	Text string
	Ref  string // the platform's id of the answer, or the manual reference
	Via  string // api, manual, case
	By   string
	At   time.Time
}

// AnswerBuyerMessage marks a message answered.
func (s *Store) AnswerBuyerMessage(ctx context.Context, id string, a Answer) (BuyerMessage, error) {
	cur, err := s.GetBuyerMessage(ctx, id)
	if err != nil {
		return BuyerMessage{}, err
	}
	if a.Text, err = s.sealMessageText(ctx, cur, a.Text); err != nil {
		return BuyerMessage{}, wrap("answer buyer message", err)
	}
	var m BuyerMessage
	err = s.db.GetContext(ctx, &m, `UPDATE buyer_messages SET status = 'answered', answer_text = $2, answer_ref = $3,
    answer_via = $4, answered_by = $5, answered_at = $6
WHERE id = $1 AND status <> 'answered' RETURNING *`, id, a.Text, a.Ref, a.Via, a.By, a.At)
	if errors.Is(err, sql.ErrNoRows) {
		if _, gerr := s.GetBuyerMessage(ctx, id); gerr != nil {
			return BuyerMessage{}, gerr
		}
		return BuyerMessage{}, wrap("answer buyer message", ErrConflict)
	}
	m, err = s.openMessage(ctx, m, err)
	return m, wrap("answer buyer message", err)
}

// LinkBuyerMessageToCase makes a message part of a case (escalated).
func (s *Store) LinkBuyerMessageToCase(ctx context.Context, id, caseID string) (BuyerMessage, error) {
	var m BuyerMessage
	err := s.db.GetContext(ctx, &m, `UPDATE buyer_messages SET case_id = $2,
    status = CASE WHEN status = 'open' THEN 'escalated' ELSE status END
WHERE id = $1 RETURNING *`, id, caseID)
	m, err = s.openMessage(ctx, m, err)
	return m, wrap("link buyer message", err)
}
