package activities

import (
	"context"
	"errors"
	"fmt"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/store"
)

// SyncCase writes one batch of the workflow's state to the case index. The
// store makes it idempotent: (case_id, seq) is unique and the case version
// only moves forward.
func (a *Activities) SyncCase(ctx context.Context, b cases.SyncBatch) error {
	if b.Fence != nil && len(b.Events) > 0 {
		return a.appendFenced(ctx, b)
	}
	if err := a.Store.SyncCase(ctx, b); err != nil {
		return indexError(fmt.Sprintf("sync case %s v%d", b.Case.ID, b.Case.Version), err)
	}
	a.Metrics.observe(b)
	return nil
}

// appendFenced writes a batch from inside a workflow task (events-not-rows
// version 7) and says when the store dropped or replaced events: each means
// a workflow task that wrote to the index never completed.
func (a *Activities) appendFenced(ctx context.Context, b cases.SyncBatch) error {
	caseID := b.Events[0].CaseID
	out, err := a.Store.AppendEvents(ctx, b)
	if err != nil {
		return indexError("append events of "+caseID, err)
	}
	switch {
	case out.Dropped:
		a.Metrics.uncommittedBatch("dropped")
		a.logger().Warn("index batch from a retried workflow task dropped", "case_id", caseID,
			"history_length", b.Fence.HistoryLength, "first_seq", b.Events[0].Seq)
		return nil
	case out.RewoundFrom > 0:
		a.Metrics.uncommittedBatch("replaced")
		a.logger().Warn("index events of a workflow task that never completed replaced", "case_id", caseID,
			"from_seq", out.RewoundFrom, "removed", out.Removed, "history_length", b.Fence.HistoryLength)
	}
	a.Metrics.observe(b)
	return nil
}

// indexError wraps a store error of what: a batch the schema refuses will be
// refused again, so it fails the attempt for good and the workflow surfaces
// it instead of retrying forever.
func indexError(what string, err error) error {
	err = fmt.Errorf("%s: %w", what, err)
	if errors.Is(err, store.ErrInvalid) {
		return permanent("invalid_batch", err)
	}
	return err
}
