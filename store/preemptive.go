package store

import (
	"context"
	"encoding/json"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/redress-hq/redress/cases"
)

// PreemptiveTask is a risk signal on an order that an agent should act on
// before the buyer rates.
type PreemptiveTask struct {
	OrgID       string            `db:"org_id" json:"-"` // the owning organisation (migration 00042)
	ID          string            `db:"id" json:"id"`
	OrderKey    string            `db:"order_key" json:"order_key"`
	Marketplace cases.Marketplace `db:"marketplace" json:"marketplace"`
	ShopID      string            `db:"shop_id" json:"shop_id"`
	OrderID     string            `db:"order_id" json:"order_id"`
	BuyerID     string            `db:"buyer_id" json:"-"` // whose key seals summary, evidence and note (migration 00071)
	WorkflowID  string            `db:"workflow_id" json:"workflow_id"`
	Signal      string            `db:"signal" json:"signal"`
	Summary     string            `db:"summary" json:"summary"`
	Evidence    json.RawMessage   `db:"evidence" json:"evidence"`
	Status      string            `db:"status" json:"status"`
	RaisedAt    time.Time         `db:"raised_at" json:"raised_at"`
	DoneAt      *time.Time        `db:"done_at" json:"done_at,omitempty"`
	DoneBy      string            `db:"done_by" json:"done_by,omitempty"`
	Note        string            `db:"note" json:"note,omitempty"`
}

// RaisePreemptiveTask records a risk once per order and signal, its
// summary and evidence sealed with the key of the buyer (BuyerID, else the
// order's, else that of the message its evidence names); first is false
// when it was already raised.
func (s *Store) RaisePreemptiveTask(ctx context.Context, t PreemptiveTask) (first bool, err error) {
	if len(t.Evidence) == 0 {
		t.Evidence = json.RawMessage(`{}`)
	}
	t.Status = "open"
	var ev struct {
		MessageID string `json:"message_id"`
	}
	_ = json.Unmarshal(t.Evidence, &ev)
	err = s.db.inTx(ctx, func(tx *sqlx.Tx) error {
		if err := tx.GetContext(ctx, &t.BuyerID, `
SELECT coalesce(nullif($1, ''), (SELECT buyer_id FROM care_orders WHERE key = $2),
                (SELECT buyer_id FROM buyer_messages WHERE id = $3), '')`, t.BuyerID, t.OrderKey, ev.MessageID); err != nil {
			return err
		}
		seal, err := s.sealerFor(ctx, tx, orderSubject(t.Marketplace, t.ShopID, t.OrderKey, t.BuyerID))
		if err != nil {
			return err
		}
		sealed, err := seal.sealPreemptiveTask(t)
		if err != nil {
			return err
		}
		res, err := tx.NamedExecContext(ctx, `
INSERT INTO preemptive_tasks (id, order_key, marketplace, shop_id, order_id, buyer_id, workflow_id, signal, summary, evidence, status, raised_at)
VALUES (:id, :order_key, :marketplace, :shop_id, :order_id, :buyer_id, :workflow_id, :signal, :summary, :evidence, :status, :raised_at)
ON CONFLICT (order_key, signal) DO NOTHING`, sealed)
		if err != nil {
			return err
		}
		n, _ := res.RowsAffected()
		first = n == 1
		return nil
	})
	if err != nil {
		return false, wrap("raise preemptive task", err)
	}
	return first, nil
}

// PreemptiveFilter selects pre-emptive tasks.
type PreemptiveFilter struct {
	Status      string
	Marketplace cases.Marketplace
	ShopID      string
	OrderID     string
	Limit       int
}

// ListPreemptiveTasks returns tasks oldest first (the longest-waiting risk first).
func (s *Store) ListPreemptiveTasks(ctx context.Context, f PreemptiveFilter) ([]PreemptiveTask, error) {
	f.Limit = listLimit(f.Limit)
	out := []PreemptiveTask{}
	err := s.db.SelectContext(ctx, &out, `SELECT * FROM preemptive_tasks
WHERE ($1 = '' OR status = $1) AND ($2 = '' OR marketplace = $2) AND ($3 = '' OR shop_id = $3) AND ($4 = '' OR order_id = $4)
ORDER BY raised_at, id LIMIT $5`, f.Status, f.Marketplace, f.ShopID, f.OrderID, f.Limit)
	if err == nil {
		err = s.opener(nil).openPreemptiveTasks(ctx, out)
	}
	return out, wrap("list preemptive tasks", err)
}

// GetPreemptiveTask reads one task.
func (s *Store) GetPreemptiveTask(ctx context.Context, id string) (PreemptiveTask, error) {
	var t PreemptiveTask
	err := s.db.GetContext(ctx, &t, `SELECT * FROM preemptive_tasks WHERE id = $1`, id)
	t, err = openOne(ctx, s, t, err, (*opener).openPreemptiveTasks)
	return t, wrap("get preemptive task", err)
}

// CompletePreemptiveTask marks a task done with what the agent did (the
// note sealed with the task's buyer's key); a done task is ErrConflict.
func (s *Store) CompletePreemptiveTask(ctx context.Context, id, by, note string) (PreemptiveTask, error) {
	var t PreemptiveTask
	err := s.db.inTx(ctx, func(tx *sqlx.Tx) error {
		if err := tx.GetContext(ctx, &t, `SELECT * FROM preemptive_tasks WHERE id = $1 FOR UPDATE`, id); err != nil {
			return err
		}
		if t.Status != "open" {
			return ErrConflict
		}
		seal, err := s.sealerFor(ctx, tx, orderSubject(t.Marketplace, t.ShopID, t.OrderKey, t.BuyerID))
		if err != nil {
			return err
		}
		return tx.GetContext(ctx, &t, `UPDATE preemptive_tasks SET status = 'done', done_at = now(), done_by = $2, note = $3
WHERE id = $1 RETURNING *`, id, by, seal.sealString(note, id))
	})
	t, err = openOne(ctx, s, t, err, (*opener).openPreemptiveTasks)
	if err != nil {
		return PreemptiveTask{}, wrap("complete preemptive task", err)
	}
	return t, nil
}
