package intake

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/temporal"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace"
	"github.com/redress-hq/redress/workflows"
)

// CursorStore keeps each shop's poll cursor.
type CursorStore interface {
	GetCursor(ctx context.Context, m cases.Marketplace, shopID string) (string, error)
	SetCursor(ctx context.Context, m cases.Marketplace, shopID, cursor string) error
}

// Activities are intake's side effects.
type Activities struct {
	Cursors CursorStore
	// Cases finds the case a buyer message belongs to (message notifications
	// that only name a resource); without it such notifications fail for good.
	Cases    CaseIndex
	Markets  marketplace.Registry
	Temporal client.Client
	// Payloads is Temporal's data converter (encrypted payloads); nil: the default.
	Payloads converter.DataConverter
	// Settings are the deployment's defaults; each case lays its shop's
	// policy over them when it opens (workflows.CaseInput.ShopAtOpen).
	Settings workflows.CaseSettings
	Logger   *slog.Logger
}

// PollReviews first drains the platform's notification queue where it has
// one (marketplace.EventPuller: Taobao TMC), then lists negative reviews
// since the shop's cursor — the fallback that catches what notifications
// missed —, starts a case for each 1–3★ review, sends a changed review to its
// case, then advances the cursor. Safe to repeat: case ids are derived from
// the review, a redelivered review changes nothing, and the cursor moves
// only after every start.
func (a *Activities) PollReviews(ctx context.Context, in PollInput) (PollResult, error) {
	conn, err := a.Markets.Get(in.Marketplace)
	if err != nil {
		return PollResult{}, temporal.NewNonRetryableApplicationError(err.Error(), string(cases.ErrPermanent), err)
	}
	var pulled PollResult
	if puller, ok := conn.(marketplace.EventPuller); ok {
		if pulled, err = a.pullEvents(ctx, puller, in); err != nil {
			return pulled, err
		}
	}
	cursor, err := a.Cursors.GetCursor(ctx, in.Marketplace, in.ShopID)
	if err != nil {
		return PollResult{}, fmt.Errorf("read cursor: %w", err)
	}
	reviews, next, err := conn.ListNegativeReviews(ctx, in.ShopID, cursor)
	if err != nil {
		return PollResult{}, asApplicationError(err)
	}
	res := PollResult{Found: pulled.Found + len(reviews), Started: pulled.Started, Changed: pulled.Changed}
	for i, r := range reviews {
		activity.RecordHeartbeat(ctx, i)
		started, changed, err := a.openOrChange(ctx, r, "poll")
		if err != nil {
			return res, err
		}
		if started {
			res.Started++
		}
		if changed {
			res.Changed++
		}
	}
	if next != "" && next != cursor {
		if err := a.Cursors.SetCursor(ctx, in.Marketplace, in.ShopID, next); err != nil {
			return res, fmt.Errorf("save cursor: %w", err)
		}
	}
	if a.Logger != nil {
		a.Logger.InfoContext(ctx, "polled shop", "marketplace", in.Marketplace, "shop", in.ShopID,
			"found", res.Found, "started", res.Started, "changed", res.Changed)
	}
	return res, nil
}

// openOrChange starts the case of a 1–3★ review; a review that already has a
// case (whatever its rating now) goes to it as a change.
func (a *Activities) openOrChange(ctx context.Context, r cases.Review, source string) (started, changed bool, err error) {
	if _, opens := cases.SeverityOf(r.Rating); opens {
		// The case reads its shop's policy and texts itself when it opens.
		started, err = workflows.StartCase(ctx, a.Temporal, workflows.CaseInput{
			Review: r, Settings: a.Settings, ShopAtOpen: true, ReceivedAt: time.Now().UTC(),
		})
		if err != nil || started {
			return started, false, err
		}
	}
	d, err := DeliverReviewChange(ctx, a.Temporal, a.Payloads, a.Cases, r, source)
	return false, d.Changed, err
}

// asApplicationError keeps the marketplace error class as the Temporal error
// type, so the retry policy can tell permanent failures from passing ones.
func asApplicationError(err error) error {
	var me *marketplace.Error
	if !errors.As(err, &me) {
		return err
	}
	return temporal.NewApplicationErrorWithOptions(me.Error(), string(me.Class), temporal.ApplicationErrorOptions{
		NonRetryable:   marketplace.Permanent(err),
		NextRetryDelay: me.RetryAfter,
		Cause:          err,
	})
}
