package store

import (
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/lib/pq"
)

// Sentinel errors; callers test them with errors.Is.
var (
	ErrNotFound = errors.New("store: not found")
	ErrConflict = errors.New("store: conflict")
	ErrInvalid  = errors.New("store: invalid input")
)

// PostgreSQL error codes the store translates into sentinels.
const (
	pgUniqueViolation     = "23505"
	pgCheckViolation      = "23514"
	pgForeignKeyViolation = "23503"
	pgNotNullViolation    = "23502"
	pgInsufficientPriv    = "42501" // also: a row outside the caller's scope (RLS)
)

// wrap turns driver errors into the store's sentinels, keeping the original
// error in the chain for logs, and prefixes what the store was doing.
func wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%s: %w", op, ErrNotFound)
	}
	var pqErr *pq.Error
	if errors.As(err, &pqErr) {
		switch pqErr.Code {
		case pgUniqueViolation:
			return fmt.Errorf("%s: %w: %s (%w)", op, ErrConflict, pqErr.Constraint, err)
		case pgInsufficientPriv:
			// Writing a row of another organisation or shop: to the caller
			// it does not exist.
			if strings.Contains(pqErr.Message, "row-level security") {
				return fmt.Errorf("%s: %w (%w)", op, ErrNotFound, err)
			}
		case pgCheckViolation, pgForeignKeyViolation, pgNotNullViolation:
			return fmt.Errorf("%s: %w: %s (%w)", op, ErrInvalid, pqErr.Message, err)
		}
	}
	return fmt.Errorf("%s: %w", op, err)
}

// invalid reports bad caller input as ErrInvalid.
func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalid, fmt.Sprintf(format, args...))
}
