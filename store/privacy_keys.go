package store

import (
	"context"
	"crypto/cipher"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"sync/atomic"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/internal/keyring"
)

// dataKeys is the deployment key ring that wraps buyers' data keys; a Store
// and the scoped stores made from it share one.
type dataKeys struct{ ring atomic.Pointer[keyring.Ring] }

// UseDataKeys makes the store seal buyers' personal data with a data key
// per buyer, wrapped by ring (REDRESS_DATA_KEYS). Without it personal data
// is written in clear: only tests of other packages run so; every entry
// point sets it (config refuses to start without keys).
func (s *Store) UseDataKeys(ring *keyring.Ring) { s.keys.ring.Store(ring) }

func (s *Store) dataRing() *keyring.Ring {
	if s.keys == nil {
		return nil
	}
	return s.keys.ring.Load()
}

// subjectOf is whose data a case holds: its buyer, or the case itself when
// the platform did not name the buyer.
func subjectOf(c cases.Case) (cases.Marketplace, string) {
	if c.BuyerID == "" {
		return c.Marketplace, "case:" + c.ID
	}
	return c.Marketplace, c.BuyerID
}

// sealerFor returns the sealer of the case's buyer, creating the buyer's
// data key on first use (nil, nil when the store has no data keys). An
// erased buyer who comes back gets a new key: what was erased stays erased.
func (s *Store) sealerFor(ctx context.Context, tx *sqlx.Tx, c cases.Case) (*sealer, error) {
	ring := s.dataRing()
	if ring == nil {
		return nil, nil
	}
	m, buyer := subjectOf(c)
	// The case's organisation: its row's, else its shop's owner's (00042).
	var org string
	if err := tx.GetContext(ctx, &org, `
SELECT coalesce((SELECT org_id FROM cases WHERE id = $1), redress_shop_owner($2, $3), redress_session_org(), 'default')`,
		c.ID, c.Marketplace, c.ShopID); err != nil {
		return nil, wrap("organisation of case "+c.ID, err)
	}
	var row struct {
		ID      string `db:"id"`
		WrapKID string `db:"wrap_kid"`
		Wrapped []byte `db:"wrapped_key"`
	}
	err := tx.GetContext(ctx, &row, `
SELECT id, wrap_kid, wrapped_key FROM buyer_keys
WHERE org_id = $1 AND marketplace = $2 AND buyer_id = $3 AND erased_at IS NULL`, org, m, buyer)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		row.ID = newKeyID()
		key := keyring.NewKey()
		row.WrapKID, row.Wrapped = ring.Seal(key, wrapAAD(row.ID))
		// A concurrent first write for the same buyer (another case) wins
		// the partial unique index; read its key instead.
		res, err := tx.ExecContext(ctx, `
INSERT INTO buyer_keys (id, org_id, marketplace, buyer_id, wrap_kid, wrapped_key) VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT (org_id, marketplace, buyer_id) WHERE erased_at IS NULL DO NOTHING`, row.ID, org, m, buyer, row.WrapKID, row.Wrapped)
		if err != nil {
			return nil, wrap("create buyer key", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return s.sealerFor(ctx, tx, c)
		}
		a, err := keyring.AEAD(key)
		if err != nil {
			return nil, err
		}
		return &sealer{keyID: row.ID, aead: a}, nil
	case err != nil:
		return nil, wrap("read buyer key", err)
	}
	a, err := unwrapKey(ring, row.ID, row.WrapKID, row.Wrapped)
	if err != nil {
		return nil, err
	}
	return &sealer{keyID: row.ID, aead: a}, nil
}

func unwrapKey(ring *keyring.Ring, id, kid string, wrapped []byte) (cipher.AEAD, error) {
	key, err := ring.Open(kid, wrapped, wrapAAD(id))
	if err != nil {
		return nil, wrap("unwrap buyer key "+id, err)
	}
	return keyring.AEAD(key)
}

func wrapAAD(id string) []byte { return []byte("redress/buyer-key/" + id) }

func newKeyID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// querier is a transaction or the scoped pool.
type querier interface {
	GetContext(ctx context.Context, dest any, query string, args ...any) error
	SelectContext(ctx context.Context, dest any, query string, args ...any) error
}

// opener opens sealed values, looking up each buyer key once; an erased
// key opens to the erased markers.
type opener struct {
	ring *keyring.Ring
	q    querier
	keys map[string]cipher.AEAD // nil value: erased
}

func (s *Store) opener(q querier) *opener {
	if q == nil {
		q = s.db
	}
	return &opener{ring: s.dataRing(), q: q, keys: map[string]cipher.AEAD{}}
}

// prefetch looks up, in one query, the keys of ids not seen yet: a page of
// cases or tasks needs one round trip, not one per buyer.
func (o *opener) prefetch(ctx context.Context, ids map[string]bool) error {
	var missing []string
	for id := range ids {
		if _, ok := o.keys[id]; !ok {
			missing = append(missing, id)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	var rows []keyRow
	if err := o.q.SelectContext(ctx, &rows, `SELECT id, wrap_kid, wrapped_key FROM buyer_keys WHERE id = ANY($1)`,
		pq.StringArray(missing)); err != nil {
		return wrap("read buyer keys", err)
	}
	for _, r := range rows {
		if err := o.add(r); err != nil {
			return err
		}
	}
	for _, id := range missing {
		if _, ok := o.keys[id]; !ok {
			o.keys[id] = nil // a key that no longer exists reads as erased
		}
	}
	return nil
}

type keyRow struct {
	ID      string  `db:"id"`
	WrapKID *string `db:"wrap_kid"`
	Wrapped []byte  `db:"wrapped_key"`
}

func (o *opener) add(r keyRow) error {
	switch {
	case r.WrapKID == nil:
		o.keys[r.ID] = nil
		return nil
	case o.ring == nil:
		return errors.New("store: sealed personal data but no data keys (REDRESS_DATA_KEYS)")
	}
	a, err := unwrapKey(o.ring, r.ID, *r.WrapKID, r.Wrapped)
	if err != nil {
		return err
	}
	o.keys[r.ID] = a
	return nil
}

// key returns the buyer key id, or nil when it was erased.
func (o *opener) key(ctx context.Context, id string) (cipher.AEAD, error) {
	if a, ok := o.keys[id]; ok {
		return a, nil
	}
	if err := o.prefetch(ctx, map[string]bool{id: true}); err != nil {
		return nil, err
	}
	return o.keys[id], nil
}
