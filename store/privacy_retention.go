package store

import (
	"context"
	"fmt"
	"time"

	"github.com/redress-hq/redress/cases"
)

// Retention is what one retention pass shredded.
type Retention struct {
	// Buyers shredded, each recorded in privacy_requests as kind retention.
	Buyers int `json:"buyers"`
	// More: the pass stopped at its limit; run it again.
	More bool `json:"more"`
}

// RetentionPolicy says how long personal data outlives a buyer's last case.
type RetentionPolicy struct {
	// Now is the pass's time: an organisation's cutoff is Now minus its days.
	Now time.Time
	// DefaultDays is for organisations without their own retention_days.
	DefaultDays int
	// SameForAll applies DefaultDays to every organisation, as retention
	// runs scheduled before organisations had their own did.
	SameForAll bool
}

// ShredExpired shreds, as an erasure does, the personal data each
// organisation holds of buyers whose cases there all closed more than its
// retention ago (its retention_days, else p.DefaultDays) and still hold
// some (a live data key or a plain copy); a buyer known only from the
// message centre, once every message of theirs is answered and older than
// that; one known only from order care, once care of every order of theirs
// ended that long ago. At most limit buyers per pass. A buyer with a case still open, or
// closed since, keeps it all: their data key is shared by their cases in
// that organisation. Each organisation's shredding reaches its own rows only.
// Cases without a buyer id are not reached (docs/privacy.md).
func (s *Store) ShredExpired(ctx context.Context, p RetentionPolicy, limit int) (Retention, error) {
	switch {
	case limit <= 0 || limit > 1000:
		return Retention{}, invalid("retention limit must be 1..1000, got %d", limit)
	case p.DefaultDays < 1 || p.Now.IsZero():
		return Retention{}, invalid("retention needs a time and at least 1 day, got %d", p.DefaultDays)
	}
	var buyers []struct {
		OrgID       string            `db:"org_id"`
		Marketplace cases.Marketplace `db:"marketplace"`
		BuyerID     string            `db:"buyer_id"`
		Cutoff      time.Time         `db:"cutoff"`
	}
	if err := s.db.SelectContext(ctx, &buyers, `
WITH policy AS (
    SELECT o.id AS org_id, $1::timestamptz - make_interval(days => coalesce(CASE WHEN $5 THEN NULL ELSE o.retention_days END, $2)) AS cutoff
    FROM organisations o
), by_cases AS (
    SELECT c.org_id, c.marketplace, c.buyer_id, min(p.cutoff) AS cutoff
    FROM cases c JOIN policy p ON p.org_id = c.org_id
    WHERE c.buyer_id <> ''
    GROUP BY c.org_id, c.marketplace, c.buyer_id
    HAVING bool_and(c.status = 'closed' AND c.closed_at < p.cutoff)
       AND (bool_or(c.text <> $3 OR c.buyer_name <> $3)
            OR EXISTS (SELECT 1 FROM buyer_keys k WHERE k.org_id = c.org_id AND k.marketplace = c.marketplace
                       AND k.buyer_id = c.buyer_id AND k.erased_at IS NULL))
), by_messages AS (
    SELECT m.org_id, m.marketplace, m.buyer_id, min(p.cutoff) AS cutoff
    FROM buyer_messages m JOIN policy p ON p.org_id = m.org_id
    WHERE m.buyer_id <> ''
      AND NOT EXISTS (SELECT 1 FROM cases c WHERE c.org_id = m.org_id AND c.marketplace = m.marketplace
                      AND c.buyer_id = m.buyer_id)
    GROUP BY m.org_id, m.marketplace, m.buyer_id
    HAVING bool_and(m.status <> 'open' AND coalesce(m.answered_at, m.received_at) < p.cutoff)
       AND (bool_or(m.text <> $3)
            OR EXISTS (SELECT 1 FROM buyer_keys k WHERE k.org_id = m.org_id AND k.marketplace = m.marketplace
                       AND k.buyer_id = m.buyer_id AND k.erased_at IS NULL))
), by_orders AS (
    SELECT o.org_id, o.marketplace, o.buyer_id, min(p.cutoff) AS cutoff
    FROM care_orders o JOIN policy p ON p.org_id = o.org_id
    WHERE o.buyer_id <> ''
      AND NOT EXISTS (SELECT 1 FROM cases c WHERE c.org_id = o.org_id AND c.marketplace = o.marketplace
                      AND c.buyer_id = o.buyer_id)
      AND NOT EXISTS (SELECT 1 FROM buyer_messages m WHERE m.org_id = o.org_id AND m.marketplace = o.marketplace
                      AND m.buyer_id = o.buyer_id)
    GROUP BY o.org_id, o.marketplace, o.buyer_id
    HAVING bool_and(o.done AND o.updated_at < p.cutoff)
       AND (bool_or(o.tracking_number NOT IN ('', $3))
            OR EXISTS (SELECT 1 FROM buyer_keys k WHERE k.org_id = o.org_id AND k.marketplace = o.marketplace
                       AND k.buyer_id = o.buyer_id AND k.erased_at IS NULL))
)
SELECT * FROM (SELECT * FROM by_cases UNION ALL SELECT * FROM by_messages UNION ALL SELECT * FROM by_orders) b
ORDER BY org_id, marketplace, buyer_id
LIMIT $4`, p.Now, p.DefaultDays, Erased, limit+1, p.SameForAll); err != nil {
		return Retention{}, wrap("retention: find buyers", err)
	}
	out := Retention{More: len(buyers) > limit}
	if out.More {
		buyers = buyers[:limit]
	}
	for _, b := range buyers {
		reason := fmt.Sprintf("retention: every case closed before %s", b.Cutoff.UTC().Format(time.RFC3339))
		orgCtx := WithScope(ctx, OrgScope(b.OrgID))
		if _, err := s.erase(orgCtx, PrivacyRetention, b.Marketplace, b.BuyerID, reason, cases.SystemActor); err != nil {
			return out, err
		}
		out.Buyers++
	}
	return out, nil
}
