package store

import (
	"context"
	"encoding/json"
	"time"
)

// AdminEvent is one entry of the admin audit trail: who created or revoked
// users and tokens, changed shops and settings. The trail is append-only.
type AdminEvent struct {
	ID     int64           `db:"id" json:"id"`
	OrgID  string          `db:"org_id" json:"org_id"`
	At     time.Time       `db:"at" json:"at"`
	Actor  string          `db:"actor" json:"actor"`
	Action string          `db:"action" json:"action"`
	Target string          `db:"target" json:"target"`
	Detail json.RawMessage `db:"detail" json:"detail"`
}

// RecordAdminEvent appends ev to the trail of ev.OrgID ("" = the caller's).
func (s *Store) RecordAdminEvent(ctx context.Context, ev AdminEvent) error {
	org, err := s.orgForWrite(ctx, ev.OrgID)
	if err != nil {
		return err
	}
	if len(ev.Detail) == 0 {
		ev.Detail = json.RawMessage(`{}`)
	}
	_, err = s.db.ExecContext(ctx, `INSERT INTO admin_audit (org_id, actor, action, target, detail)
VALUES ($1, $2, $3, $4, $5)`, org, ev.Actor, ev.Action, ev.Target, []byte(ev.Detail))
	return wrap("record admin event "+ev.Action, err)
}

// ListAdminEvents returns the caller's trail, newest first, before id
// beforeID (0 = from the newest).
func (s *Store) ListAdminEvents(ctx context.Context, beforeID int64, limit int) ([]AdminEvent, error) {
	limit = listLimit(limit)
	out := []AdminEvent{}
	err := s.db.SelectContext(ctx, &out, `SELECT id, org_id, at, actor, action, target, detail FROM admin_audit
WHERE $1 = 0 OR id < $1 ORDER BY id DESC LIMIT $2`, beforeID, limit)
	return out, wrap("list admin events", err)
}
