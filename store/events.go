package store

import (
	"context"

	"github.com/redress-hq/redress/cases"
)

// ListEvents returns up to limit events of a case with seq > afterSeq, in
// order. Pass the last seq seen to page on; limit follows the page rules
// (default 50, at most 500).
func (s *Store) ListEvents(ctx context.Context, caseID string, afterSeq int64, limit int) ([]cases.Event, error) {
	limit, err := pageLimit(limit)
	if err != nil {
		return nil, err
	}
	events := []cases.Event{}
	err = s.db.SelectContext(ctx, &events, `
SELECT case_id, seq, type, actor, actor_role, at, data
FROM case_events
WHERE case_id = $1 AND seq > $2
ORDER BY seq
LIMIT $3`, caseID, afterSeq, limit)
	if err != nil {
		return nil, wrap("list events of "+caseID, err)
	}
	return events, s.opener(nil).openEvents(ctx, events)
}
