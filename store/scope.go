package store

import (
	"context"
	"strings"
)

// Scope is whose data a call may see and change: one organisation and,
// optionally, some of its shops. The store hands it to PostgreSQL as
// session settings in every transaction, where row-level security (migration
// 00042) admits only the scope's rows; another organisation's case is then
// simply not found.
type Scope struct {
	// OrgID is the organisation; "" sees nothing.
	OrgID string
	// Shops limits the scope to these shops ("marketplace:shop_id");
	// empty means every shop of OrgID.
	Shops []string
	// All sees every organisation: the worker's system writes and the
	// deployment's bootstrap admin.
	All bool
}

// SystemScope sees every organisation.
func SystemScope() Scope { return Scope{All: true} }

// OrgScope sees one organisation, limited to shops when any are given.
func OrgScope(orgID string, shops ...string) Scope {
	return Scope{OrgID: orgID, Shops: shops}
}

// ShopKey names a shop in a scope's shop list.
func ShopKey(marketplace, shopID string) string { return marketplace + ":" + shopID }

// Admits reports whether the scope covers the shop (marketplace, shopID) of
// organisation orgID; callers that hold a row use it to decide before acting.
func (sc Scope) Admits(orgID, marketplace, shopID string) bool {
	if sc.All {
		return true
	}
	if sc.OrgID == "" || orgID != sc.OrgID {
		return false
	}
	if len(sc.Shops) == 0 {
		return true
	}
	key := ShopKey(marketplace, shopID)
	for _, s := range sc.Shops {
		if s == key {
			return true
		}
	}
	return false
}

// settings are the values of app.org_id and app.shop_ids for the scope.
func (sc Scope) settings() (org, shops string) {
	if sc.All {
		return "*", ""
	}
	return sc.OrgID, strings.Join(sc.Shops, ",")
}

type scopeKey struct{}

// WithScope returns ctx carrying the caller's scope. The API's
// authentication puts it there; the store reads it in every call.
func WithScope(ctx context.Context, sc Scope) context.Context {
	return context.WithValue(ctx, scopeKey{}, sc)
}

// ScopeFrom returns the scope ctx carries, if any.
func ScopeFrom(ctx context.Context) (Scope, bool) {
	sc, ok := ctx.Value(scopeKey{}).(Scope)
	return sc, ok
}
