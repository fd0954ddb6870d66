package api

import (
	"cmp"
	"context"
	"errors"
	"fmt"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/intake"
	"github.com/redress-hq/redress/store"
	"github.com/redress-hq/redress/workflows"
)

// scopeChecker is what the API asks the store before acting on a case or a
// shop through Temporal, where row-level security does not reach.
type scopeChecker interface {
	CaseIndexed(ctx context.Context, id string) (bool, error)
	ShopInScope(ctx context.Context, marketplace, shopID string) (bool, error)
}

// caseInScope returns nil when the caller may act on case id, else a 404 —
// never a 403, which would confirm another organisation's case exists.
// Temporal knows nothing of organisations, so every call that reaches a
// case's workflow asks here first. A case the index does not hold yet (its
// workflow has not written its first row) is judged by the shop its
// workflow was started for.
func (s *Server) caseInScope(ctx context.Context, id string) error {
	if sc, ok := store.ScopeFrom(ctx); ok && sc.All {
		return nil
	}
	_, err := s.store.GetCase(ctx, id)
	switch {
	case err == nil:
		return nil
	case !errors.Is(err, store.ErrNotFound):
		return fmt.Errorf("read case %s: %w", id, err)
	}
	_, err = s.unindexedCase(ctx, id)
	return err
}

// unindexedCase is the start input of a case the index does not hold yet,
// when the caller may see it: judged by the shop its workflow was started
// for. Any other answer is a 404.
func (s *Server) unindexedCase(ctx context.Context, id string) (workflows.CaseInput, error) {
	var in workflows.CaseInput
	if hidden, err := s.unindexedCaseHidden(ctx, id); err != nil || hidden {
		return in, cmp.Or(err, error(notFound("case")))
	}
	if s.temporal == nil {
		return in, notFound("case")
	}
	tctx, cancel := s.temporalContext(ctx)
	defer cancel()
	in, found, err := intake.StartInput(tctx, s.temporal, s.payloads, cases.WorkflowIDFor(id))
	switch {
	case err != nil:
		return in, fmt.Errorf("start input of case %s: %w", id, err)
	case !found:
		return in, notFound("case")
	}
	if err := s.shopInScope(ctx, in.Review.Marketplace, in.Review.ShopID); err != nil {
		return in, notFound("case")
	}
	return in, nil
}

// shopInScope returns nil when the caller may act on the shop, else a 404.
func (s *Server) shopInScope(ctx context.Context, m cases.Marketplace, shopID string) error {
	sc, ok := s.store.(scopeChecker)
	if !ok {
		return nil
	}
	in, err := sc.ShopInScope(ctx, string(m), shopID)
	if err != nil {
		return err
	}
	if !in {
		return notFound("shop")
	}
	return nil
}

// unindexedCaseHidden: a case missing from the caller's view that the
// index does hold belongs to someone else.
func (s *Server) unindexedCaseHidden(ctx context.Context, id string) (bool, error) {
	if sc, ok := store.ScopeFrom(ctx); ok && sc.All {
		return false, nil
	}
	chk, ok := s.store.(scopeChecker)
	if !ok {
		return false, nil
	}
	return chk.CaseIndexed(ctx, id)
}
