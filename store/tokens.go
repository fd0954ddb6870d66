package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/lib/pq"

	"github.com/redress-hq/redress/cases"
)

// Token is an API token's record. The token itself is never stored, only a
// hash of it, which callers compute. A token belongs to an organisation and
// either to a user (whose role and shops it carries) or to an automation
// (with its own shop set).
type Token struct {
	ID         string         `db:"id" json:"id"`
	Name       string         `db:"name" json:"name"`
	Role       cases.Role     `db:"role" json:"role"`
	OrgID      string         `db:"org_id" json:"org_id"`
	UserID     *string        `db:"user_id" json:"user_id,omitempty"`
	Shops      pq.StringArray `db:"shops" json:"shops"`
	CreatedAt  time.Time      `db:"created_at" json:"created_at"`
	LastUsedAt *time.Time     `db:"last_used_at" json:"last_used_at,omitempty"`
	RevokedAt  *time.Time     `db:"revoked_at" json:"revoked_at,omitempty"`
}

// Scope is what the token may see.
func (t Token) Scope() Scope { return OrgScope(t.OrgID, t.Shops...) }

// TokenSpec describes a token to create.
type TokenSpec struct {
	Name  string
	Role  cases.Role
	OrgID string   // "" = the caller's organisation ('default' for the system)
	User  string   // the user the token acts for; "" = an automation
	Shops []string // automation tokens only: the shops it may touch; empty = all
}

const tokenColumns = `id, name, role, org_id, user_id, shops, created_at, last_used_at, revoked_at`

// CreateToken records a token by its hash in the caller's organisation.
// ErrConflict if the hash exists.
func (s *Store) CreateToken(ctx context.Context, name string, role cases.Role, tokenHash string) (Token, error) {
	return s.CreateTokenFor(ctx, TokenSpec{Name: name, Role: role}, tokenHash)
}

// CreateTokenFor records a token by its hash. A user's token takes the
// user's organisation, and its role may not exceed the user's; an unknown
// user (or one outside the caller's scope) is ErrNotFound.
func (s *Store) CreateTokenFor(ctx context.Context, spec TokenSpec, tokenHash string) (Token, error) {
	switch {
	case spec.Name == "":
		return Token{}, invalid("token name is empty")
	case !spec.Role.Valid():
		return Token{}, invalid("unknown role %q", spec.Role)
	case tokenHash == "":
		return Token{}, invalid("token hash is empty")
	}
	org, err := s.orgForWrite(ctx, spec.OrgID)
	if err != nil {
		return Token{}, err
	}
	var user *string
	shops := pq.StringArray(spec.Shops)
	if spec.User != "" {
		u, err := s.GetUser(ctx, spec.User)
		if err != nil {
			return Token{}, fmt.Errorf("create token %s: %w", spec.Name, err)
		}
		if !roleCovers(u.Role, spec.Role) {
			return Token{}, invalid("a token of user %s may not have role %s (the user is %s)", u.ID, spec.Role, u.Role)
		}
		// The user's shops as they are now: what the token's row shows
		// to admins limited to shops; authentication reads the user's.
		org, user, shops = u.OrgID, &u.ID, u.Shops
	}
	if shops == nil {
		shops = pq.StringArray{}
	}
	id, err := newTokenID()
	if err != nil {
		return Token{}, err
	}
	var t Token
	err = s.db.GetContext(ctx, &t, `
INSERT INTO api_tokens (id, name, role, token_hash, org_id, user_id, shops)
VALUES ($1, $2, $3, $4, $5, $6, $7)
RETURNING `+tokenColumns, id, spec.Name, spec.Role, tokenHash, org, user, shops)
	if err != nil {
		return Token{}, wrap("create token "+spec.Name, err)
	}
	return t, nil
}

// tokenTouchInterval bounds how often authentication writes last_used_at:
// every API call reads the token, few need to write it.
const tokenTouchInterval = time.Minute

// TokenByHash returns the live token with this hash, or ErrNotFound if it is
// missing or revoked. It records the use at most once per tokenTouchInterval.
// A user's token carries the user's role and shops as they are now; a
// disabled user's tokens are ErrNotFound. Authentication comes before any
// scope, so the lookup runs as the system.
func (s *Store) TokenByHash(ctx context.Context, tokenHash string) (Token, error) {
	ctx = WithScope(ctx, SystemScope())
	var t Token
	// One round trip: touch the row if its last use is old enough, and read
	// it unchanged otherwise (both branches see the same snapshot).
	err := s.db.GetContext(ctx, &t, `
WITH touched AS (
    UPDATE api_tokens SET last_used_at = now()
    WHERE token_hash = $1
      AND revoked_at IS NULL
      AND (last_used_at IS NULL OR last_used_at < now() - make_interval(secs => $2))
    RETURNING `+tokenColumns+`
), found AS (
    SELECT `+tokenColumns+` FROM touched
    UNION ALL
    SELECT `+tokenColumns+`
    FROM api_tokens
    WHERE token_hash = $1
      AND revoked_at IS NULL
      AND NOT EXISTS (SELECT 1 FROM touched)
)
SELECT f.id, f.name, coalesce(u.role, f.role) AS role, f.org_id, f.user_id,
       CASE WHEN u.id IS NULL THEN f.shops ELSE u.shops END AS shops,
       f.created_at, f.last_used_at, f.revoked_at
FROM found f LEFT JOIN users u ON u.id = f.user_id
WHERE f.user_id IS NULL OR (u.id IS NOT NULL AND u.disabled_at IS NULL)`, tokenHash, tokenTouchInterval.Seconds())
	if err != nil {
		return Token{}, wrap("token by hash", err)
	}
	return t, nil
}

// ListTokens lists the tokens of the caller's organisations, newest first.
func (s *Store) ListTokens(ctx context.Context) ([]Token, error) {
	out := []Token{}
	err := s.db.SelectContext(ctx, &out, `SELECT `+tokenColumns+` FROM api_tokens ORDER BY created_at DESC, id DESC LIMIT 1000`)
	return out, wrap("list tokens", err)
}

// RevokeToken revokes a token. Revoking twice keeps the first revocation
// time; an unknown id, or one outside the caller's scope, is ErrNotFound.
func (s *Store) RevokeToken(ctx context.Context, id string) error {
	_, err := s.RevokeTokenOf(ctx, id)
	return err
}

// RevokeTokenOf revokes a token and returns it as revoked.
func (s *Store) RevokeTokenOf(ctx context.Context, id string) (Token, error) {
	var t Token
	err := s.db.GetContext(ctx, &t,
		`UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, now()) WHERE id = $1 RETURNING `+tokenColumns, id)
	return t, wrap("revoke token "+id, err)
}

// newTokenID returns "tok_" and 16 random hex digits; ids are not secret.
func newTokenID() (string, error) {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("token id: %w", err)
	}
	return "tok_" + hex.EncodeToString(b[:]), nil
}
