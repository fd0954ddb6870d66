package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// The roles store transactions run as, one per kind of scope (migration
// 00044). The connecting user owns the tables (or is a superuser) and so
// would bypass row-level security; these roles are subject to it, each to
// a policy that is one plain comparison the planner can use.
const (
	systemRole = "redress_system" // every organisation
	orgRole    = "redress_org"    // one organisation
	shopsRole  = "redress_shops"  // some shops of one organisation
)

// role is the role a scope's transactions run as.
func (sc Scope) role() string {
	switch {
	case sc.All:
		return systemRole
	case len(sc.Shops) > 0:
		return shopsRole
	}
	return orgRole
}

// scopedDB runs every statement in a transaction that has switched to
// appRole and set the caller's scope (see Scope). The store's methods use
// it exactly as they would the pool.
type scopedDB struct {
	pool *sqlx.DB
	// strict: a context without a scope sees nothing. The API's store is
	// strict, so a handler that lost its caller's scope cannot leak; the
	// worker's store treats a missing scope as the system's (every
	// organisation), resolving each row's organisation from its shop or case.
	strict bool
}

func (d *scopedDB) scopeOf(ctx context.Context) Scope {
	if sc, ok := ScopeFrom(ctx); ok {
		return sc
	}
	if d.strict {
		return Scope{}
	}
	return SystemScope()
}

// BeginTxx begins a transaction in the caller's scope.
func (d *scopedDB) BeginTxx(ctx context.Context, opts *sql.TxOptions) (*sqlx.Tx, error) {
	tx, err := d.pool.BeginTxx(ctx, opts)
	if err != nil {
		return nil, err
	}
	sc := d.scopeOf(ctx)
	org, shops := sc.settings()
	// One round trip, no parameters: SET LOCAL ROLE and both settings last
	// until the transaction ends, whichever way it ends.
	if _, err := tx.ExecContext(ctx, fmt.Sprintf(
		`SELECT set_config('role', %s, true), set_config('app.org_id', %s, true), set_config('app.shop_ids', %s, true)`,
		pq.QuoteLiteral(sc.role()), pq.QuoteLiteral(org), pq.QuoteLiteral(shops))); err != nil {
		_ = tx.Rollback()
		return nil, fmt.Errorf("enter scope: %w", err)
	}
	return tx, nil
}

// inTx runs fn in a scoped transaction and commits it.
func (d *scopedDB) inTx(ctx context.Context, fn func(tx *sqlx.Tx) error) error {
	tx, err := d.BeginTxx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

func (d *scopedDB) GetContext(ctx context.Context, dest any, query string, args ...any) error {
	return d.inTx(ctx, func(tx *sqlx.Tx) error { return tx.GetContext(ctx, dest, query, args...) })
}

func (d *scopedDB) SelectContext(ctx context.Context, dest any, query string, args ...any) error {
	return d.inTx(ctx, func(tx *sqlx.Tx) error { return tx.SelectContext(ctx, dest, query, args...) })
}

func (d *scopedDB) ExecContext(ctx context.Context, query string, args ...any) (res sql.Result, err error) {
	err = d.inTx(ctx, func(tx *sqlx.Tx) error {
		res, err = tx.ExecContext(ctx, query, args...)
		return err
	})
	return res, err
}

func (d *scopedDB) NamedExecContext(ctx context.Context, query string, arg any) (res sql.Result, err error) {
	err = d.inTx(ctx, func(tx *sqlx.Tx) error {
		res, err = tx.NamedExecContext(ctx, query, arg)
		return err
	})
	return res, err
}

func (d *scopedDB) PingContext(ctx context.Context) error { return d.pool.PingContext(ctx) }

func (d *scopedDB) Close() error { return d.pool.Close() }
