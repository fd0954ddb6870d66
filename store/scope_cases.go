package store

import "context"

// CaseIndexed reports whether the index holds case id in any organisation.
// Only for telling a case of another scope (not found) from one whose
// workflow has not written its first row yet; it returns nothing else.
func (s *Store) CaseIndexed(ctx context.Context, id string) (bool, error) {
	ctx = WithScope(ctx, SystemScope())
	var ok bool
	err := s.db.GetContext(ctx, &ok, `SELECT EXISTS (SELECT 1 FROM cases WHERE id = $1)`, id)
	return ok, wrap("case indexed "+id, err)
}

// ShopInScope reports whether the caller's scope covers shop (marketplace,
// shopID) of whichever organisation owns it (DefaultOrg when unregistered).
func (s *Store) ShopInScope(ctx context.Context, marketplace, shopID string) (bool, error) {
	sc := s.db.scopeOf(ctx)
	if sc.All {
		return true, nil
	}
	owner, err := s.ScopeOfShop(ctx, marketplace, shopID)
	if err != nil {
		return false, err
	}
	return sc.Admits(owner.OrgID, marketplace, shopID), nil
}
