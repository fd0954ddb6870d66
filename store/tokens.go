package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/redress-hq/redress/cases"
)

// Token is an API token's record. The token itself is never stored, only a
// hash of it, which callers compute.
type Token struct {
	ID         string     `db:"id" json:"id"`
	Name       string     `db:"name" json:"name"`
	Role       cases.Role `db:"role" json:"role"`
	CreatedAt  time.Time  `db:"created_at" json:"created_at"`
	LastUsedAt *time.Time `db:"last_used_at" json:"last_used_at,omitempty"`
	RevokedAt  *time.Time `db:"revoked_at" json:"revoked_at,omitempty"`
}

// CreateToken records a token by its hash. ErrConflict if the hash exists.
func (s *Store) CreateToken(ctx context.Context, name string, role cases.Role, tokenHash string) (Token, error) {
	switch {
	case name == "":
		return Token{}, invalid("token name is empty")
	case !role.Valid():
		return Token{}, invalid("unknown role %q", role)
	case tokenHash == "":
		return Token{}, invalid("token hash is empty")
	}
	id, err := newTokenID()
	if err != nil {
		return Token{}, err
	}
	var t Token
	err = s.db.GetContext(ctx, &t, `
INSERT INTO api_tokens (id, name, role, token_hash)
VALUES ($1, $2, $3, $4)
RETURNING id, name, role, created_at, last_used_at, revoked_at`, id, name, role, tokenHash)
	if err != nil {
		return Token{}, wrap("create token "+name, err)
	}
	return t, nil
}

// tokenTouchInterval bounds how often authentication writes last_used_at:
// every API call reads the token, few need to write it.
const tokenTouchInterval = time.Minute

// TokenByHash returns the live token with this hash, or ErrNotFound if it is
// missing or revoked. It records the use at most once per tokenTouchInterval.
func (s *Store) TokenByHash(ctx context.Context, tokenHash string) (Token, error) {
	var t Token
	// One round trip: touch the row if its last use is old enough, and read
	// it unchanged otherwise (both branches see the same snapshot).
	err := s.db.GetContext(ctx, &t, `
WITH touched AS (
    UPDATE api_tokens SET last_used_at = now()
    WHERE token_hash = $1
      AND revoked_at IS NULL
      AND (last_used_at IS NULL OR last_used_at < now() - make_interval(secs => $2))
    RETURNING id, name, role, created_at, last_used_at, revoked_at
)
SELECT id, name, role, created_at, last_used_at, revoked_at FROM touched
UNION ALL
SELECT id, name, role, created_at, last_used_at, revoked_at
FROM api_tokens
WHERE token_hash = $1
  AND revoked_at IS NULL
  AND NOT EXISTS (SELECT 1 FROM touched)`, tokenHash, tokenTouchInterval.Seconds())
	if err != nil {
		return Token{}, wrap("token by hash", err)
	}
	return t, nil
}

// RevokeToken revokes a token. Revoking twice keeps the first revocation
// time; an unknown id is ErrNotFound.
func (s *Store) RevokeToken(ctx context.Context, id string) error {
	res, err := s.db.ExecContext(ctx,
		`UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, now()) WHERE id = $1`, id)
	if err != nil {
		return wrap("revoke token "+id, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return wrap("revoke token "+id, err)
	}
	if n == 0 {
		return fmt.Errorf("revoke token %s: %w", id, ErrNotFound)
	}
	return nil
}

// newTokenID returns "tok_" and 16 random hex digits; ids are not secret.
func newTokenID() (string, error) {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("token id: %w", err)
	}
	return "tok_" + hex.EncodeToString(b[:]), nil
}
