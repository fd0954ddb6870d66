// Package activities holds every side effect of a case: writes to the case
// index, notifications and marketplace calls. Each method does one thing and
// is safe to repeat, because Temporal retries activities.
package activities

import (
	"context"
	"log/slog"
	"time"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace"
	"github.com/redress-hq/redress/store"
)

// Store is the part of the case index the workflow writes through.
type Store interface {
	SyncCase(ctx context.Context, b cases.SyncBatch) error
	AppendEvents(ctx context.Context, b cases.SyncBatch) (store.Appended, error)
}

// Notifier tells people about a case: the seller on a new case, managers on
// reminders, breaches and incidents.
type Notifier interface {
	Notify(ctx context.Context, a Alert) error
}

// Activities are registered on the worker; the workflow calls their methods.
type Activities struct {
	Store    Store
	Markets  marketplace.Registry
	Notifier Notifier
	Logger   *slog.Logger
	// Metrics, when set, counts cases opened and closed, breaches and incidents.
	Metrics *Metrics
	// RefundPollInterval is how often IssueRefund checks an asynchronous
	// refund (zero: 5 s).
	RefundPollInterval time.Duration
}

func (a *Activities) logger() *slog.Logger {
	if a.Logger != nil {
		return a.Logger
	}
	return slog.Default()
}

func (a *Activities) connector(m cases.Marketplace) (marketplace.Connector, error) {
	c, err := a.Markets.Get(m)
	if err != nil {
		// No connector is a configuration fault a retry cannot cure.
		return nil, permanent("no_connector", err)
	}
	return c, nil
}
