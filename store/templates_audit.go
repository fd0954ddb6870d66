package store

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/jmoiron/sqlx"
)

// auditedTx runs a change to templates or alert channels in one
// transaction with its entry in the admin audit trail, so neither is ever
// kept without the other.
func (s *Store) auditedTx(ctx context.Context, fn func(tx *sqlx.Tx) (AdminEvent, error)) error {
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return err
	}
	ev, err := fn(tx)
	if err == nil {
		err = appendAudit(ctx, tx, ev)
	}
	if err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

func appendAudit(ctx context.Context, tx *sqlx.Tx, ev AdminEvent) error {
	if ev.Action == "" {
		return nil // nothing changed
	}
	detail, err := json.Marshal(ev.Detail)
	if len(ev.Detail) == 0 {
		detail, err = []byte(`{}`), nil
	}
	if err != nil {
		return fmt.Errorf("audit %s: %w", ev.Action, err)
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO admin_audit (org_id, actor, action, target, detail) VALUES ($1, $2, $3, $4, $5)`,
		ev.OrgID, ev.Actor, ev.Action, ev.Target, detail)
	return err
}

// auditDetail encodes what changed (never a secret) for the trail.
func auditDetail(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		return nil
	}
	return b
}
