package store

import (
	"context"

	"github.com/jmoiron/sqlx"
)

// RewrapBuyerKeys wraps every live buyer key still wrapped by an older
// deployment key with the ring's active one, 500 per transaction, so the old
// key can leave REDRESS_DATA_KEYS (docs/privacy.md). The sealed data itself is
// untouched. Safe to run while Redress runs, and to repeat.
func (s *Store) RewrapBuyerKeys(ctx context.Context) (int, error) {
	ring := s.dataRing()
	if ring == nil {
		return 0, invalid("no data keys to rewrap with (REDRESS_DATA_KEYS)")
	}
	total := 0
	for {
		n := 0
		err := s.db.inTx(ctx, func(tx *sqlx.Tx) error {
			var rows []keyRow
			if err := tx.SelectContext(ctx, &rows, `
SELECT id, wrap_kid, wrapped_key FROM buyer_keys
WHERE erased_at IS NULL AND wrap_kid <> $1
ORDER BY id LIMIT 500 FOR UPDATE SKIP LOCKED`, ring.ActiveID()); err != nil {
				return err
			}
			for _, r := range rows {
				key, err := ring.Open(*r.WrapKID, r.Wrapped, wrapAAD(r.ID))
				if err != nil {
					return wrap("unwrap buyer key "+r.ID, err)
				}
				kid, wrapped := ring.Seal(key, wrapAAD(r.ID))
				if _, err := tx.ExecContext(ctx, `
UPDATE buyer_keys SET wrap_kid = $2, wrapped_key = $3 WHERE id = $1 AND erased_at IS NULL`, r.ID, kid, wrapped); err != nil {
					return err
				}
			}
			n = len(rows)
			return nil
		})
		if err != nil {
			return total, wrap("rewrap buyer keys", err)
		}
		total += n
		if n == 0 {
			return total, nil
		}
	}
}
