package store

import (
	"context"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/redress-hq/redress/cases"
)

// Privacy requests recorded in privacy_requests.
const (
	PrivacyErasure   = "erasure"
	PrivacyExport    = "export"
	PrivacyRetention = "retention"
)

// PrivacyRequest is one audited access, erasure or retention shredding.
type PrivacyRequest struct {
	ID          int64             `db:"id" json:"id"`
	OrgID       string            `db:"org_id" json:"org_id"`
	Kind        string            `db:"kind" json:"kind"`
	Marketplace cases.Marketplace `db:"marketplace" json:"marketplace"`
	BuyerID     string            `db:"buyer_id" json:"buyer_id"`
	Reason      string            `db:"reason" json:"reason,omitempty"`
	Actor       string            `db:"actor" json:"actor"`
	Role        cases.Role        `db:"actor_role" json:"actor_role"`
	At          time.Time         `db:"at" json:"at"`
	CaseIDs     pq.StringArray    `db:"case_ids" json:"case_ids"`
}

// Erasure is what erasing a buyer did.
type Erasure struct {
	Request PrivacyRequest `json:"request"`
	// KeysDestroyed counts the buyer's data keys destroyed (0: nothing was
	// sealed for them, or they were erased before).
	KeysDestroyed int `json:"keys_destroyed"`
	// OpenCaseIDs are the buyer's cases still open: their workflows are to
	// close them with outcome erased.
	OpenCaseIDs []string `json:"open_case_ids"`
}

// EraseBuyer crypto-shreds a buyer in one transaction: their data keys are
// destroyed, so every personal value sealed with them — in case rows, task
// rows and the append-only case_events — reads as Erased from now on; the
// plain copies (case columns written before encryption, task drafts, the
// case folds) are overwritten; and the request is recorded. Events stay, in
// order, with who did what and when. Erasing again is harmless.
func (s *Store) EraseBuyer(ctx context.Context, m cases.Marketplace, buyerID, reason string, by cases.Actor) (Erasure, error) {
	if !m.Valid() || buyerID == "" || reason == "" || by.ID == "" {
		return Erasure{}, invalid("an erasure needs a marketplace, a buyer id, a reason and who asks")
	}
	return s.erase(ctx, PrivacyErasure, m, buyerID, reason, by)
}

// erase is EraseBuyer, recorded as kind (an erasure or retention).
func (s *Store) erase(ctx context.Context, kind string, m cases.Marketplace, buyerID, reason string, by cases.Actor) (Erasure, error) {
	var out Erasure
	err := s.db.inTx(ctx, func(tx *sqlx.Tx) error {
		// Only the keys of organisations whose cases the caller sees (the
		// cases' row-level security decides).
		res, err := tx.ExecContext(ctx, `
UPDATE buyer_keys SET wrap_kid = NULL, wrapped_key = NULL, erased_at = now()
WHERE marketplace = $1 AND buyer_id = $2 AND erased_at IS NULL
  AND org_id IN (SELECT org_id FROM cases WHERE marketplace = $1 AND buyer_id = $2
                 UNION SELECT org_id FROM buyer_messages WHERE marketplace = $1 AND buyer_id = $2
                 UNION SELECT org_id FROM care_orders WHERE marketplace = $1 AND buyer_id = $2
                 UNION SELECT org_id FROM preemptive_tasks WHERE marketplace = $1 AND buyer_id = $2)`, m, buyerID)
		if err != nil {
			return err
		}
		n, _ := res.RowsAffected()
		out.KeysDestroyed = int(n)
		var rows []struct {
			ID     string       `db:"id"`
			Status cases.Status `db:"status"`
		}
		if err := tx.SelectContext(ctx, &rows, `
SELECT id, status FROM cases WHERE marketplace = $1 AND buyer_id = $2 ORDER BY opened_at, id`, m, buyerID); err != nil {
			return err
		}
		ids := make([]string, len(rows))
		for i, r := range rows {
			ids[i] = r.ID
			if r.Status == cases.StatusOpen {
				out.OpenCaseIDs = append(out.OpenCaseIDs, r.ID)
			}
		}
		// The fold is rebuilt from the rows on the case's next event.
		if _, err := tx.ExecContext(ctx, `
UPDATE cases SET buyer_name = $2, text = $2, fold = NULL WHERE id = ANY($1)`, pq.StringArray(ids), Erased); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `
UPDATE buyer_messages SET text = $3, answer_text = CASE WHEN answer_text = '' THEN '' ELSE $3 END
WHERE marketplace = $1 AND buyer_id = $2`, m, buyerID, Erased); err != nil {
			return err
		}
		if err := eraseOrderCare(ctx, tx, m, buyerID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `
UPDATE incidents SET params = '{"erased": true}', message = $2, resolution = CASE WHEN resolution = '' THEN '' ELSE $2 END
WHERE case_id = ANY($1)`, pq.StringArray(ids), Erased); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `
UPDATE tasks SET input = '{"erased": true}',
       result = CASE WHEN result = 'null'::jsonb THEN result ELSE '{"erased": true}'::jsonb END
WHERE case_id = ANY($1)`, pq.StringArray(ids)); err != nil {
			return err
		}
		out.Request, err = recordPrivacyRequest(ctx, tx, kind, m, buyerID, reason, by, ids)
		return err
	})
	if err != nil {
		return Erasure{}, wrap("erase buyer", err)
	}
	if out.OpenCaseIDs == nil {
		out.OpenCaseIDs = []string{}
	}
	return out, nil
}

// BuyerExport is everything held about a buyer, decrypted where it still can be.
type BuyerExport struct {
	Marketplace cases.Marketplace `json:"marketplace"`
	BuyerID     string            `json:"buyer_id"`
	Cases       []BuyerCase       `json:"cases"`
	// Messages are their messages in the message centre (order care).
	Messages []BuyerMessage `json:"messages"`
	// Order care: their orders under care (with the workflow's state), the
	// touchpoints sent to them and the pre-emptive tasks about their orders.
	CareOrders      []CareOrder      `json:"care_orders"`
	Touchpoints     []TouchpointRow  `json:"touchpoints"`
	PreemptiveTasks []PreemptiveTask `json:"preemptive_tasks"`
	// Requests are the earlier access and erasure requests about them.
	Requests []PrivacyRequest `json:"privacy_requests"`
	// Erased: a data key of theirs was destroyed.
	Erased bool `json:"erased"`
}

// BuyerCase is one case of the buyer with its tasks and audit trail.
type BuyerCase struct {
	Case   cases.Case    `json:"case"`
	Tasks  []cases.Task  `json:"tasks"`
	Events []cases.Event `json:"events"`
}

// ExportBuyer answers an access request and records it.
func (s *Store) ExportBuyer(ctx context.Context, m cases.Marketplace, buyerID, reason string, by cases.Actor) (BuyerExport, error) {
	if !m.Valid() || buyerID == "" || by.ID == "" {
		return BuyerExport{}, invalid("an export needs a marketplace, a buyer id and who asks")
	}
	out := BuyerExport{Marketplace: m, BuyerID: buyerID, Cases: []BuyerCase{}, Messages: []BuyerMessage{}, Requests: []PrivacyRequest{}}
	err := s.db.inTx(ctx, func(tx *sqlx.Tx) error {
		open := s.opener(tx)
		var cs []cases.Case
		if err := tx.SelectContext(ctx, &cs, `SELECT `+caseColumns+`
FROM cases WHERE marketplace = $1 AND buyer_id = $2 ORDER BY opened_at, id`, m, buyerID); err != nil {
			return err
		}
		if err := open.openCases(ctx, cs); err != nil {
			return err
		}
		ids := make([]string, len(cs))
		for i, c := range cs {
			ids[i] = c.ID
			bc := BuyerCase{Case: c, Tasks: []cases.Task{}, Events: []cases.Event{}}
			if err := tx.SelectContext(ctx, &bc.Tasks, `SELECT `+taskColumns+` FROM tasks WHERE case_id = $1 ORDER BY created_at, id`, c.ID); err != nil {
				return err
			}
			for j := range bc.Tasks {
				bc.Tasks[j] = readTask(bc.Tasks[j])
			}
			if err := open.openTasks(ctx, bc.Tasks); err != nil {
				return err
			}
			if err := tx.SelectContext(ctx, &bc.Events, `
SELECT case_id, seq, type, actor, actor_role, at, data FROM case_events WHERE case_id = $1 ORDER BY seq`, c.ID); err != nil {
				return err
			}
			if err := open.openEvents(ctx, bc.Events); err != nil {
				return err
			}
			out.Cases = append(out.Cases, bc)
		}
		if err := tx.SelectContext(ctx, &out.Messages, `
SELECT * FROM buyer_messages WHERE marketplace = $1 AND buyer_id = $2 ORDER BY received_at, id`, m, buyerID); err != nil {
			return err
		}
		if err := open.openMessages(ctx, out.Messages); err != nil {
			return err
		}
		if err := exportOrderCare(ctx, tx, open, &out); err != nil {
			return err
		}
		if err := tx.GetContext(ctx, &out.Erased, `
SELECT EXISTS (SELECT 1 FROM buyer_keys WHERE marketplace = $1 AND buyer_id = $2 AND erased_at IS NOT NULL
  AND org_id IN (SELECT org_id FROM cases WHERE marketplace = $1 AND buyer_id = $2
                 UNION SELECT org_id FROM buyer_messages WHERE marketplace = $1 AND buyer_id = $2
                 UNION SELECT org_id FROM care_orders WHERE marketplace = $1 AND buyer_id = $2
                 UNION SELECT org_id FROM preemptive_tasks WHERE marketplace = $1 AND buyer_id = $2))`, m, buyerID); err != nil {
			return err
		}
		if err := tx.SelectContext(ctx, &out.Requests, `
SELECT `+privacyRequestColumns+`
FROM privacy_requests WHERE marketplace = $1 AND buyer_id = $2 ORDER BY at, id`, m, buyerID); err != nil {
			return err
		}
		_, err := recordPrivacyRequest(ctx, tx, PrivacyExport, m, buyerID, reason, by, ids)
		return err
	})
	if err != nil {
		return BuyerExport{}, wrap("export buyer", err)
	}
	return out, nil
}

func recordPrivacyRequest(ctx context.Context, tx *sqlx.Tx, kind string, m cases.Marketplace, buyerID, reason string,
	by cases.Actor, caseIDs []string) (PrivacyRequest, error) {
	// The request belongs to the caller's organisation; a deployment admin's
	// (every organisation) to each organisation whose cases it touched, so
	// every seller's own trail shows it.
	var r PrivacyRequest
	err := tx.GetContext(ctx, &r, `
WITH orgs AS (
    SELECT current_setting('app.org_id', true) AS org_id WHERE current_setting('app.org_id', true) <> '*'
    UNION
    SELECT DISTINCT org_id FROM cases WHERE id = ANY($7) AND current_setting('app.org_id', true) = '*'
    UNION
    SELECT DISTINCT org_id FROM buyer_messages
    WHERE marketplace = $2 AND buyer_id = $3 AND current_setting('app.org_id', true) = '*'
    UNION
    SELECT DISTINCT org_id FROM care_orders
    WHERE marketplace = $2 AND buyer_id = $3 AND current_setting('app.org_id', true) = '*'
), targets AS (
    SELECT org_id FROM orgs
    UNION ALL
    SELECT $8 WHERE NOT EXISTS (SELECT 1 FROM orgs)
), inserted AS (
    INSERT INTO privacy_requests (org_id, kind, marketplace, buyer_id, reason, actor, actor_role, case_ids)
    SELECT t.org_id, $1, $2, $3, $4, $5, $6,
           ARRAY(SELECT c.id FROM cases c WHERE c.id = ANY($7) AND c.org_id = t.org_id ORDER BY array_position($7, c.id))
    FROM targets t
    RETURNING `+privacyRequestColumns+`
)
SELECT `+privacyRequestColumns+` FROM inserted ORDER BY id LIMIT 1`,
		kind, m, buyerID, reason, by.ID, by.Role, pq.StringArray(caseIDs), DefaultOrg)
	return r, err
}

const privacyRequestColumns = `id, org_id, kind, marketplace, buyer_id, reason, actor, actor_role, at, case_ids`
