package activities

import (
	"context"
	"fmt"

	"github.com/redress-hq/redress/cases"
)

// SyncCase writes one batch of the workflow's state to the case index. The
// store makes it idempotent: (case_id, seq) is unique and the case version
// only moves forward.
func (a *Activities) SyncCase(ctx context.Context, b cases.SyncBatch) error {
	if err := a.Store.SyncCase(ctx, b); err != nil {
		return fmt.Errorf("sync case %s v%d: %w", b.Case.ID, b.Case.Version, err)
	}
	return nil
}
