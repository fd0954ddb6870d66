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
	return got, n == 1, wrap("add buyer message", err)
}

// GetBuyerMessage reads one message.
func (s *Store) GetBuyerMessage(ctx context.Context, id string) (BuyerMessage, error) {
	var m BuyerMessage
	err := s.db.GetContext(ctx, &m, `SELECT * FROM buyer_messages WHERE id = $1`, id)
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
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 100
	}
	out := []BuyerMessage{}
	err := s.db.SelectContext(ctx, &out, `SELECT * FROM buyer_messages
WHERE ($1 = '' OR status = $1) AND ($2 = '' OR marketplace = $2) AND ($3 = '' OR shop_id = $3)
  AND ($4 = '' OR kind = $4) AND ($5 = '' OR group_key = $5) AND ($6 = '' OR order_id = $6)
ORDER BY due_at, id LIMIT $7`, f.Status, f.Marketplace, f.ShopID, f.Kind, f.GroupKey, f.OrderID, f.Limit)
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
	var m BuyerMessage
	err := s.db.GetContext(ctx, &m, `UPDATE buyer_messages SET status = 'answered', answer_text = $2, answer_ref = $3,
    answer_via = $4, answered_by = $5, answered_at = $6
WHERE id = $1 AND status <> 'answered' RETURNING *`, id, a.Text, a.Ref, a.Via, a.By, a.At)
	if errors.Is(err, sql.ErrNoRows) {
		if _, gerr := s.GetBuyerMessage(ctx, id); gerr != nil {
			return BuyerMessage{}, gerr
		}
		return BuyerMessage{}, wrap("answer buyer message", ErrConflict)
	}
	return m, wrap("answer buyer message", err)
}

// LinkBuyerMessageToCase makes a message part of a case (escalated).
func (s *Store) LinkBuyerMessageToCase(ctx context.Context, id, caseID string) (BuyerMessage, error) {
	var m BuyerMessage
	err := s.db.GetContext(ctx, &m, `UPDATE buyer_messages SET case_id = $2,
    status = CASE WHEN status = 'open' THEN 'escalated' ELSE status END
WHERE id = $1 RETURNING *`, id, caseID)
	return m, wrap("link buyer message", err)
}

// QuickReply is a reusable answer per shop (or every shop of a marketplace) and language.
type QuickReply struct {
	ID          string            `db:"id" json:"id"`
	Marketplace cases.Marketplace `db:"marketplace" json:"marketplace"`
	ShopID      string            `db:"shop_id" json:"shop_id"`
	Language    string            `db:"language" json:"language"`
	Name        string            `db:"name" json:"name"`
	Text        string            `db:"text" json:"text"`
	CreatedAt   time.Time         `db:"created_at" json:"created_at"`
	CreatedBy   string            `db:"created_by" json:"created_by"`
}

// AddQuickReply saves a quick reply.
func (s *Store) AddQuickReply(ctx context.Context, q QuickReply) (QuickReply, error) {
	err := s.db.GetContext(ctx, &q, `INSERT INTO quick_replies (id, marketplace, shop_id, language, name, text, created_at, created_by)
VALUES ($1, $2, $3, $4, $5, $6, now(), $7) RETURNING *`, q.ID, q.Marketplace, q.ShopID, q.Language, q.Name, q.Text, q.CreatedBy)
	return q, wrap("add quick reply", err)
}

// ListQuickReplies returns a shop's quick replies and its marketplace's shared ones.
func (s *Store) ListQuickReplies(ctx context.Context, m cases.Marketplace, shopID, lang string) ([]QuickReply, error) {
	out := []QuickReply{}
	err := s.db.SelectContext(ctx, &out, `SELECT * FROM quick_replies
WHERE marketplace = $1 AND (shop_id = '' OR shop_id = $2) AND ($3 = '' OR language = $3)
ORDER BY shop_id DESC, name, id`, m, shopID, lang)
	return out, wrap("list quick replies", err)
}

// MessageResponseStat is one bucket of the response-time distribution.
type MessageResponseStat struct {
	Marketplace cases.Marketplace `db:"marketplace" json:"marketplace"`
	ShopID      string            `db:"shop_id" json:"shop_id"`
	Bucket      string            `db:"bucket" json:"bucket"` // within_half, within_deadline, late, unanswered_overdue, open
	Messages    int               `db:"messages" json:"messages"`
}

// MessageResponseTimes buckets messages received in [from, to) by how their
// answer time compares with their deadline.
func (s *Store) MessageResponseTimes(ctx context.Context, from, to time.Time) ([]MessageResponseStat, error) {
	out := []MessageResponseStat{}
	err := s.db.SelectContext(ctx, &out, `
SELECT marketplace, shop_id, bucket, count(*) AS messages FROM (
  SELECT marketplace, shop_id, CASE
    WHEN answered_at IS NULL AND due_at < now() THEN 'unanswered_overdue'
    WHEN answered_at IS NULL THEN 'open'
    WHEN answered_at <= received_at + (due_at - received_at) / 2 THEN 'within_half'
    WHEN answered_at <= due_at THEN 'within_deadline'
    ELSE 'late' END AS bucket
  FROM buyer_messages WHERE received_at >= $1 AND received_at < $2) b
GROUP BY marketplace, shop_id, bucket ORDER BY marketplace, shop_id, bucket`, from, to)
	return out, wrap("message response times", err)
}

// TouchpointStat counts touchpoints per shop and outcome.
type TouchpointStat struct {
	Marketplace cases.Marketplace `db:"marketplace" json:"marketplace"`
	ShopID      string            `db:"shop_id" json:"shop_id"`
	Touchpoint  string            `db:"touchpoint" json:"touchpoint"`
	Outcome     string            `db:"outcome" json:"outcome"`
	Count       int               `db:"count" json:"count"`
}

// TouchpointStats counts touchpoints recorded in [from, to).
func (s *Store) TouchpointStats(ctx context.Context, from, to time.Time) ([]TouchpointStat, error) {
	out := []TouchpointStat{}
	err := s.db.SelectContext(ctx, &out, `SELECT marketplace, shop_id, touchpoint, outcome, count(*) AS count
FROM order_touchpoints WHERE at >= $1 AND at < $2
GROUP BY marketplace, shop_id, touchpoint, outcome ORDER BY marketplace, shop_id, touchpoint, outcome`, from, to)
	return out, wrap("touchpoint stats", err)
}

// CareBadReviewRate is, per shop, how many orders under care got at least
// one sent touchpoint and how many of them (and of the others) got a case
// from a bad review.
type CareBadReviewRate struct {
	Marketplace       cases.Marketplace `db:"marketplace" json:"marketplace"`
	ShopID            string            `db:"shop_id" json:"shop_id"`
	TouchedOrders     int               `db:"touched_orders" json:"touched_orders"`
	TouchedBadReviews int               `db:"touched_bad_reviews" json:"touched_bad_reviews"`
	OtherOrders       int               `db:"other_orders" json:"other_orders"`
	OtherBadReviews   int               `db:"other_bad_reviews" json:"other_bad_reviews"`
	// Rates: bad reviews / orders (0 when there are no orders).
	TouchedRate float64 `db:"-" json:"touched_rate"`
	OtherRate   float64 `db:"-" json:"other_rate"`
}

// CareBadReviewRates compares orders that started care in [from, to).
func (s *Store) CareBadReviewRates(ctx context.Context, from, to time.Time) ([]CareBadReviewRate, error) {
	out := []CareBadReviewRate{}
	err := s.db.SelectContext(ctx, &out, `
WITH o AS (
  SELECT co.marketplace, co.shop_id, co.order_id,
    EXISTS (SELECT 1 FROM order_touchpoints t WHERE t.order_key = co.key AND t.outcome = 'sent') AS touched,
    EXISTS (SELECT 1 FROM cases c WHERE c.marketplace = co.marketplace AND c.shop_id = co.shop_id
            AND c.order_id = co.order_id AND c.rating <= 2) AS bad
  FROM care_orders co WHERE co.started_at >= $1 AND co.started_at < $2)
SELECT marketplace, shop_id,
  count(*) FILTER (WHERE touched) AS touched_orders,
  count(*) FILTER (WHERE touched AND bad) AS touched_bad_reviews,
  count(*) FILTER (WHERE NOT touched) AS other_orders,
  count(*) FILTER (WHERE NOT touched AND bad) AS other_bad_reviews
FROM o GROUP BY marketplace, shop_id ORDER BY marketplace, shop_id`, from, to)
	return out, wrap("care bad review rates", err)
}
