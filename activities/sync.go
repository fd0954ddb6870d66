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
	if err := a.Store.SyncCase(ctx, b); err != nil {
		err = fmt.Errorf("sync case %s v%d: %w", b.Case.ID, b.Case.Version, err)
		if errors.Is(err, store.ErrInvalid) {
			// A batch the schema refuses will be refused again: fail the
			// attempt for good so the workflow surfaces it, not retry forever.
			return permanent("invalid_batch", err)
		}
		return err
	}
	a.Metrics.observe(b)
	return nil
}
