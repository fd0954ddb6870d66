package store

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// DefaultOrg is the organisation a single-seller database moved into
// (migration 00040), and where the environment's shops are registered.
const DefaultOrg = "default"

// Organisation is a seller: it owns shops, users, tokens and cases.
type Organisation struct {
	ID         string     `db:"id" json:"id"`
	Name       string     `db:"name" json:"name"`
	CreatedAt  time.Time  `db:"created_at" json:"created_at"`
	DisabledAt *time.Time `db:"disabled_at" json:"disabled_at,omitempty"`
	// RetentionDays: personal data of its closed cases is kept this long;
	// nil takes the deployment's default (PRIVACY_RETENTION_DAYS).
	RetentionDays *int `db:"retention_days" json:"retention_days"`
}

// MaxRetentionDays bounds an organisation's retention (ten years).
const MaxRetentionDays = 3650

const orgColumns = `id, name, created_at, disabled_at, retention_days`

var orgIDPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,62}$`)

// CreateOrganisation adds an organisation (the deployment's bootstrap admin
// does this). ErrConflict if the id is taken.
func (s *Store) CreateOrganisation(ctx context.Context, id, name string) (Organisation, error) {
	switch {
	case !orgIDPattern.MatchString(id):
		return Organisation{}, invalid("organisation id %q: lower-case letters, digits, - and _, at most 63", id)
	case name == "":
		return Organisation{}, invalid("organisation name is empty")
	}
	var o Organisation
	err := s.db.GetContext(ctx, &o, `INSERT INTO organisations (id, name) VALUES ($1, $2)
RETURNING `+orgColumns, id, name)
	return o, wrap("create organisation "+id, err)
}

// ListOrganisations lists the organisations the caller sees.
func (s *Store) ListOrganisations(ctx context.Context) ([]Organisation, error) {
	out := []Organisation{}
	err := s.db.SelectContext(ctx, &out, `SELECT `+orgColumns+` FROM organisations ORDER BY id LIMIT 1000`)
	return out, wrap("list organisations", err)
}

// SetOrganisationRetention sets how long organisation id keeps its buyers'
// personal data after their cases close (nil: the deployment's default).
// Row-level security admits the caller's own organisation only (every one
// for the system scope): another's is ErrNotFound.
func (s *Store) SetOrganisationRetention(ctx context.Context, id string, days *int) (Organisation, error) {
	if days != nil && (*days < 1 || *days > MaxRetentionDays) {
		return Organisation{}, invalid("retention_days must be 1..%d, got %d", MaxRetentionDays, *days)
	}
	var o Organisation
	err := s.db.GetContext(ctx, &o, `UPDATE organisations SET retention_days = $2 WHERE id = $1
RETURNING `+orgColumns, id, days)
	return o, wrap("organisation "+id+" retention", err)
}

// orgForWrite is the organisation a new row of the caller goes to: the
// caller's own (asking for another is ErrNotFound), or for the system the
// one asked for, else DefaultOrg.
func (s *Store) orgForWrite(ctx context.Context, requested string) (string, error) {
	sc := s.db.scopeOf(ctx)
	switch {
	case sc.All && requested == "":
		return DefaultOrg, nil
	case sc.All:
		return requested, nil
	case sc.OrgID == "":
		return "", fmt.Errorf("no organisation in scope: %w", ErrNotFound)
	case requested != "" && requested != sc.OrgID:
		return "", fmt.Errorf("organisation %s: %w", requested, ErrNotFound)
	}
	return sc.OrgID, nil
}

// storableText: PostgreSQL text holds valid UTF-8 without NUL.
func storableText(s string) bool { return utf8.ValidString(s) && !strings.ContainsRune(s, 0) }

// ScopeOfShop is the scope of the organisation that owns shop (marketplace,
// shopID): webhooks name only the platform's shop, and act for its owner.
// A shop nobody registered belongs to DefaultOrg.
func (s *Store) ScopeOfShop(ctx context.Context, marketplace, shopID string) (Scope, error) {
	if !storableText(shopID) {
		// No registered shop has such an id (PostgreSQL text cannot hold it).
		return OrgScope(DefaultOrg), nil
	}
	ctx = WithScope(ctx, SystemScope())
	var org string
	err := s.db.GetContext(ctx, &org, `SELECT coalesce(redress_shop_owner($1, $2), $3)`, marketplace, shopID, DefaultOrg)
	if err != nil {
		return Scope{}, wrap("scope of shop "+ShopKey(marketplace, shopID), err)
	}
	return OrgScope(org), nil
}
