package intake

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/redress-hq/redress/cases"
)

// ShopSource lists the shops to poll now (the environment today; the shop
// table once shops live in PostgreSQL).
type ShopSource func(ctx context.Context) ([]Shop, error)

// OwnerLock runs fn only in the one process holding the lock named key
// (store.Store.TryWithLock, a PostgreSQL advisory lock); ran is false when
// another process holds it.
type OwnerLock interface {
	TryWithLock(ctx context.Context, key string, fn func(context.Context) error) (ran bool, err error)
}

// ScheduleReconciler keeps one poll schedule per listed shop, from whichever
// replica holds the owner lock at each pass: every worker runs it, one does
// the work, and a pass repeated by another replica changes nothing.
type ScheduleReconciler struct {
	Temporal client.Client
	Lock     OwnerLock
	Shops    ShopSource
	Every    time.Duration // each shop's poll interval
	// Prune deletes poll schedules of shops no longer listed; only for a
	// source that lists every shop (the shop table), not one process's view.
	Prune  bool
	Logger *slog.Logger
}

const scheduleOwnerLock = "intake/poll-schedules"

// Reconcile runs one pass if no other replica is running one; ran reports
// whether this process did.
func (r ScheduleReconciler) Reconcile(ctx context.Context) (ran bool, err error) {
	return r.Lock.TryWithLock(ctx, scheduleOwnerLock, func(ctx context.Context) error {
		shops, err := r.Shops(ctx)
		if err != nil {
			return fmt.Errorf("list shops to poll: %w", err)
		}
		if err := EnsureSchedules(ctx, r.Temporal, shops, r.Every); err != nil {
			return err
		}
		if !r.Prune {
			return nil
		}
		return r.prune(ctx, shops)
	})
}

// Run reconciles now and then every interval until ctx ends; a failed pass
// is logged and tried again at the next one.
func (r ScheduleReconciler) Run(ctx context.Context, interval time.Duration) {
	for {
		if ran, err := r.Reconcile(ctx); err != nil && ctx.Err() == nil {
			r.logger().Warn("poll schedules: reconcile failed", "err", err)
		} else if ran {
			r.logger().Debug("poll schedules reconciled")
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(interval):
		}
	}
}

func (r ScheduleReconciler) prune(ctx context.Context, shops []Shop) error {
	keep := map[string]bool{}
	for _, s := range shops {
		keep[PollWorkflowID(s.Marketplace, s.ShopID)] = true
	}
	it, err := r.Temporal.ScheduleClient().List(ctx, client.ScheduleListOptions{})
	if err != nil {
		return fmt.Errorf("list poll schedules: %w", err)
	}
	for it.HasNext() {
		e, err := it.Next()
		if err != nil {
			return fmt.Errorf("list poll schedules: %w", err)
		}
		if keep[e.ID] || !isPollScheduleID(e.ID) {
			continue
		}
		if err := r.Temporal.ScheduleClient().GetHandle(ctx, e.ID).Delete(ctx); err != nil {
			return fmt.Errorf("delete poll schedule %s: %w", e.ID, err)
		}
		r.logger().Info("poll schedule deleted: shop no longer listed", "schedule", e.ID)
	}
	return nil
}

func isPollScheduleID(id string) bool {
	for _, m := range cases.Marketplaces {
		if strings.HasPrefix(id, PollWorkflowID(m, "")) {
			return true
		}
	}
	return false
}

func (r ScheduleReconciler) logger() *slog.Logger {
	if r.Logger != nil {
		return r.Logger
	}
	return slog.Default()
}
