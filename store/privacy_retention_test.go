package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/internal/keyring"
	"github.com/redress-hq/redress/store"
	"github.com/redress-hq/redress/store/storetest"
)

// Retention shreds the buyers whose cases all closed before the cutoff, and
// only them: a buyer with a case open, or closed since, keeps everything.
func TestShredExpiredTakesOnlyBuyersLongClosed(t *testing.T) {
	ctx := context.Background()
	s := storetest.New(t)
	s.UseDataKeys(keyring.Generate("retention"))
	now := day0.AddDate(0, 6, 0)
	cutoff := now.AddDate(0, 0, -180)
	seed := func(reviewID, buyer string, closedAt *time.Time) string {
		c := newCase(reviewID, day0)
		c.BuyerID, c.BuyerName = buyer, "Name of "+buyer
		if closedAt != nil {
			c.Status, c.Stage, c.Outcome, c.ClosedAt = cases.StatusClosed, cases.StageClosed, cases.OutcomeRevised, closedAt
		}
		require.NoError(t, s.SyncCase(ctx, cases.SyncBatch{Case: c}))
		return c.ID
	}
	old, recent := cutoff.Add(-24*time.Hour), cutoff.Add(24*time.Hour)
	gone := seed("r-old", "buyer-old", &old)
	keptOpen := seed("r-open-old", "buyer-mixed", &old)
	seed("r-open", "buyer-mixed", nil)
	keptRecent := seed("r-recent", "buyer-recent", &recent)

	r, err := s.ShredExpired(ctx, cutoff, 1)
	require.NoError(t, err)
	assert.Equal(t, store.Retention{Buyers: 1}, r)
	c, err := s.GetCase(ctx, gone)
	require.NoError(t, err)
	assert.Equal(t, store.Erased, c.BuyerName)
	assert.Equal(t, store.Erased, c.Text)
	for _, id := range []string{keptOpen, keptRecent} {
		c, err := s.GetCase(ctx, id)
		require.NoError(t, err)
		assert.NotEqual(t, store.Erased, c.BuyerName, id)
	}

	// The next pass finds nothing left to shred.
	r, err = s.ShredExpired(ctx, cutoff, 10)
	require.NoError(t, err)
	assert.Zero(t, r.Buyers)

	exp, err := s.ExportBuyer(ctx, cases.MercadoLibre, "buyer-old", "check", cases.Actor{ID: "maria", Role: cases.RoleManager})
	require.NoError(t, err)
	require.NotEmpty(t, exp.Requests)
	assert.Equal(t, store.PrivacyRetention, exp.Requests[0].Kind)
	assert.Equal(t, cases.SystemActor.ID, exp.Requests[0].Actor)
}
