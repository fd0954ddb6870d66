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

// ShredExpired shreds, as an erasure does, the personal data of buyers whose
// cases all closed before closedBefore and still hold some (a live data key
// or a plain copy): at most limit buyers per pass. A buyer with a case still
// open, or closed since, keeps it all: their data key is shared by their
// cases. Cases without a buyer id are not reached (docs/privacy.md).
func (s *Store) ShredExpired(ctx context.Context, closedBefore time.Time, limit int) (Retention, error) {
	if limit <= 0 || limit > 1000 {
		return Retention{}, invalid("retention limit must be 1..1000, got %d", limit)
	}
	var buyers []struct {
		Marketplace cases.Marketplace `db:"marketplace"`
		BuyerID     string            `db:"buyer_id"`
	}
	if err := s.db.SelectContext(ctx, &buyers, `
SELECT c.marketplace, c.buyer_id
FROM cases c
WHERE c.buyer_id <> ''
GROUP BY c.marketplace, c.buyer_id
HAVING bool_and(c.status = 'closed' AND c.closed_at < $1)
   AND (bool_or(c.text <> $2 OR c.buyer_name <> $2)
        OR EXISTS (SELECT 1 FROM buyer_keys k WHERE k.marketplace = c.marketplace
                   AND k.buyer_id = c.buyer_id AND k.erased_at IS NULL))
ORDER BY c.marketplace, c.buyer_id
LIMIT $3`, closedBefore, Erased, limit+1); err != nil {
		return Retention{}, wrap("retention: find buyers", err)
	}
	out := Retention{More: len(buyers) > limit}
	if out.More {
		buyers = buyers[:limit]
	}
	reason := fmt.Sprintf("retention: every case closed before %s", closedBefore.UTC().Format(time.RFC3339))
	for _, b := range buyers {
		if _, err := s.erase(ctx, PrivacyRetention, b.Marketplace, b.BuyerID, reason, cases.SystemActor); err != nil {
			return out, err
		}
		out.Buyers++
	}
	return out, nil
}
