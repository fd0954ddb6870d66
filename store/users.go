package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"

	"github.com/lib/pq"
	"golang.org/x/crypto/bcrypt"

	"github.com/redress-hq/redress/cases"
)

// User is a person of one organisation: a role and, optionally, the shops
// they work ("marketplace:shop_id"; empty = every shop of the organisation).
type User struct {
	ID          string         `db:"id" json:"id"`
	OrgID       string         `db:"org_id" json:"org_id"`
	Email       string         `db:"email" json:"email"`
	Name        string         `db:"name" json:"name"`
	Role        cases.Role     `db:"role" json:"role"`
	Shops       pq.StringArray `db:"shops" json:"shops"`
	HasPassword bool           `db:"has_password" json:"has_password"`
	CreatedAt   time.Time      `db:"created_at" json:"created_at"`
	DisabledAt  *time.Time     `db:"disabled_at" json:"disabled_at,omitempty"`
}

// Scope is what the user may see.
func (u User) Scope() Scope { return OrgScope(u.OrgID, u.Shops...) }

// UserSpec describes a user to create.
type UserSpec struct {
	OrgID    string // "" = the caller's organisation
	Email    string
	Name     string
	Role     cases.Role
	Shops    []string
	Password string // optional; set later with SetPassword
}

// UserPatch changes some of a user's fields; nil leaves one as it is.
type UserPatch struct {
	Name     *string
	Role     *cases.Role
	Shops    *[]string
	Disabled *bool
}

const userColumns = `id, org_id, email, name, role, shops, password_hash <> '' AS has_password, created_at, disabled_at`

// minPasswordLen is the shortest password accepted; bcrypt reads at most 72 bytes.
const minPasswordLen, maxPasswordLen = 10, 72

// userRoles are the roles a person may hold (automation is for tokens).
var userRoles = map[cases.Role]int{cases.RoleAgent: 1, cases.RoleManager: 2, cases.RoleAdmin: 3}

// roleCovers reports whether a user of role user may hold a token of role tok.
func roleCovers(user, tok cases.Role) bool {
	r, ok := userRoles[tok]
	return ok && r <= userRoles[user]
}

// CreateUser adds a user. ErrConflict if the e-mail is taken.
func (s *Store) CreateUser(ctx context.Context, spec UserSpec) (User, error) {
	addr, err := mail.ParseAddress(spec.Email)
	switch {
	case err != nil || addr.Address != spec.Email:
		return User{}, invalid("%q is not an e-mail address", spec.Email)
	case userRoles[spec.Role] == 0:
		return User{}, invalid("a user's role is agent, manager or admin, not %q", spec.Role)
	}
	shops, err := validShopKeys(spec.Shops)
	if err != nil {
		return User{}, err
	}
	hash := ""
	if spec.Password != "" {
		if hash, err = hashPassword(spec.Password); err != nil {
			return User{}, err
		}
	}
	org, err := s.orgForWrite(ctx, spec.OrgID)
	if err != nil {
		return User{}, err
	}
	id, err := newID("usr_")
	if err != nil {
		return User{}, err
	}
	var u User
	err = s.db.GetContext(ctx, &u, `
INSERT INTO users (id, org_id, email, name, role, shops, password_hash)
VALUES ($1, $2, $3, $4, $5, $6, $7)
RETURNING `+userColumns, id, org, strings.ToLower(spec.Email), spec.Name, spec.Role, shops, hash)
	return u, wrap("create user "+spec.Email, err)
}

// GetUser returns a user of the caller's organisation, else ErrNotFound.
func (s *Store) GetUser(ctx context.Context, id string) (User, error) {
	var u User
	err := s.db.GetContext(ctx, &u, `SELECT `+userColumns+` FROM users WHERE id = $1`, id)
	return u, wrap("get user "+id, err)
}

// ListUsers lists the users of the caller's organisation by e-mail.
func (s *Store) ListUsers(ctx context.Context) ([]User, error) {
	out := []User{}
	err := s.db.SelectContext(ctx, &out, `SELECT `+userColumns+` FROM users ORDER BY org_id, email LIMIT 1000`)
	return out, wrap("list users", err)
}

// UpdateUser applies p to a user of the caller's organisation.
func (s *Store) UpdateUser(ctx context.Context, id string, p UserPatch) (User, error) {
	var shops any
	if p.Shops != nil {
		keys, err := validShopKeys(*p.Shops)
		if err != nil {
			return User{}, err
		}
		shops = keys
	}
	if p.Role != nil && userRoles[*p.Role] == 0 {
		return User{}, invalid("a user's role is agent, manager or admin, not %q", *p.Role)
	}
	var u User
	err := s.db.GetContext(ctx, &u, `
UPDATE users SET
    name = coalesce($2, name),
    role = coalesce($3, role),
    shops = coalesce($4, shops),
    disabled_at = CASE WHEN $5::boolean IS NULL THEN disabled_at
                       WHEN $5 THEN coalesce(disabled_at, now()) ELSE NULL END
WHERE id = $1
RETURNING `+userColumns, id, p.Name, p.Role, shops, p.Disabled)
	return u, wrap("update user "+id, err)
}

// SetPassword sets a user's password (stored as a bcrypt hash).
func (s *Store) SetPassword(ctx context.Context, id, password string) error {
	hash, err := hashPassword(password)
	if err != nil {
		return err
	}
	res, err := s.db.ExecContext(ctx, `UPDATE users SET password_hash = $2 WHERE id = $1`, id, hash)
	if err != nil {
		return wrap("set password of "+id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("set password of %s: %w", id, ErrNotFound)
	}
	return nil
}

// UserByPassword returns the enabled user with this e-mail and password;
// any mismatch is ErrNotFound, without saying which part was wrong. It runs
// as the system: signing in comes before any scope.
func (s *Store) UserByPassword(ctx context.Context, email, password string) (User, error) {
	ctx = WithScope(ctx, SystemScope())
	var row struct {
		User
		Hash string `db:"password_hash"`
	}
	err := s.db.GetContext(ctx, &row, `SELECT `+userColumns+`, password_hash FROM users
WHERE email = $1 AND disabled_at IS NULL`, strings.ToLower(email))
	if err != nil {
		// Spend the same time as a real check so timing does not tell
		// which e-mails exist.
		_ = bcrypt.CompareHashAndPassword(dummyHash, []byte(password))
		return User{}, wrap("sign in", err)
	}
	if row.Hash == "" || bcrypt.CompareHashAndPassword([]byte(row.Hash), []byte(password)) != nil {
		return User{}, fmt.Errorf("sign in: %w", ErrNotFound)
	}
	return row.User, nil
}

var dummyHash, _ = bcrypt.GenerateFromPassword([]byte("redress-timing-equaliser"), bcrypt.DefaultCost)

func hashPassword(password string) (string, error) {
	if len(password) < minPasswordLen || len(password) > maxPasswordLen {
		return "", invalid("a password has %d to %d bytes", minPasswordLen, maxPasswordLen)
	}
	h, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.DefaultCost)
	if errors.Is(err, bcrypt.ErrPasswordTooLong) {
		return "", invalid("a password has at most %d bytes", maxPasswordLen)
	}
	if err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	return string(h), nil
}

// validShopKeys checks "marketplace:shop_id" entries.
func validShopKeys(keys []string) (pq.StringArray, error) {
	out := pq.StringArray{}
	for _, k := range keys {
		m, id, ok := strings.Cut(k, ":")
		if !ok || !cases.Marketplace(m).Valid() || id == "" || strings.Contains(id, ",") {
			return nil, invalid("shop %q is not marketplace:shop_id", k)
		}
		out = append(out, k)
	}
	return out, nil
}

// newID returns prefix and 16 random hex digits; ids are not secret.
func newID(prefix string) (string, error) {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("new id: %w", err)
	}
	return prefix + hex.EncodeToString(b[:]), nil
}
