package store

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"
)

// ErrNoKeys: the store has no deployment key ring to seal with.
var ErrNoKeys = errors.New("no deployment keys")

// SealToken seals a small value under the deployment's key ring
// (REDRESS_DATA_KEYS) for a purpose, as a URL-safe string any process of
// the deployment can open: state handed to a browser and back (an OAuth
// connection's), so that any API replica takes the callback.
func (s *Store) SealToken(purpose string, plaintext []byte) (string, error) {
	ring := s.dataRing()
	if ring == nil {
		return "", ErrNoKeys
	}
	kid, sealed := ring.Seal(plaintext, []byte(purpose))
	return kid + "." + base64.RawURLEncoding.EncodeToString(sealed), nil
}

// OpenToken opens what SealToken sealed for the same purpose; anything else
// (tampered, another purpose, an unknown key) is ErrInvalid.
func (s *Store) OpenToken(purpose, token string) ([]byte, error) {
	ring := s.dataRing()
	if ring == nil {
		return nil, ErrNoKeys
	}
	kid, enc, ok := strings.Cut(token, ".")
	sealed, err := base64.RawURLEncoding.DecodeString(enc)
	if !ok || err != nil {
		return nil, fmt.Errorf("sealed token: %w", ErrInvalid)
	}
	plain, err := ring.Open(kid, sealed, []byte(purpose))
	if err != nil {
		return nil, fmt.Errorf("sealed token: %w", ErrInvalid)
	}
	return plain, nil
}

// SpendToken marks a sealed token used; false when it already was (by this
// or any other process). Tokens spent longer ago than keep are forgotten.
func (s *Store) SpendToken(ctx context.Context, token string, keep time.Duration) (bool, error) {
	sum := sha256.Sum256([]byte(token))
	if _, err := s.db.ExecContext(ctx, `DELETE FROM oauth_spent_states WHERE spent_at < now() - $1 * interval '1 second'`, keep.Seconds()); err != nil {
		return false, wrap("forget spent tokens", err)
	}
	res, err := s.db.ExecContext(ctx, `INSERT INTO oauth_spent_states (state_hash) VALUES ($1) ON CONFLICT DO NOTHING`, sum[:])
	if err != nil {
		return false, wrap("spend token", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}
