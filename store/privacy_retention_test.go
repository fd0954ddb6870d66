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

	policy := store.RetentionPolicy{Now: now, DefaultDays: 180}
	r, err := s.ShredExpired(ctx, policy, 1)
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
	r, err = s.ShredExpired(ctx, policy, 10)
	require.NoError(t, err)
	assert.Zero(t, r.Buyers)

	exp, err := s.ExportBuyer(ctx, cases.MercadoLibre, "buyer-old", "check", cases.Actor{ID: "maria", Role: cases.RoleManager})
	require.NoError(t, err)
	require.NotEmpty(t, exp.Requests)
	assert.Equal(t, store.PrivacyRetention, exp.Requests[0].Kind)
	assert.Equal(t, cases.SystemActor.ID, exp.Requests[0].Actor)
}

// Each organisation keeps personal data as long as it set (else the
// deployment's default), and one organisation's retention never shreds the
// same buyer id held by another; each sees only its own privacy requests.
func TestShredExpiredFollowsEachOrganisationsRetention(t *testing.T) {
	ctx := context.Background()
	s := storetest.New(t)
	s.UseDataKeys(keyring.Generate("retention-orgs"))
	for _, o := range []string{"brief", "long"} {
		_, err := s.CreateOrganisation(ctx, o, "Seller "+o)
		require.NoError(t, err)
	}
	for _, sh := range []store.Shop{
		{OrgID: "brief", Marketplace: cases.MercadoLibre, ShopID: "ml-brief", Currency: "ARS", Enabled: true},
		{OrgID: "long", Marketplace: cases.MercadoLibre, ShopID: "ml-long", Currency: "ARS", Enabled: true},
	} {
		_, err := s.CreateShop(ctx, sh)
		require.NoError(t, err)
	}
	thirty := 30
	o, err := s.SetOrganisationRetention(store.WithScope(ctx, store.OrgScope("brief")), "brief", &thirty)
	require.NoError(t, err)
	require.NotNil(t, o.RetentionDays)
	assert.Equal(t, 30, *o.RetentionDays)
	_, err = s.SetOrganisationRetention(store.WithScope(ctx, store.OrgScope("brief")), "long", &thirty)
	assert.ErrorIs(t, err, store.ErrNotFound, "an organisation sets its own retention only")
	zero := 0
	_, err = s.SetOrganisationRetention(ctx, "long", &zero)
	assert.ErrorIs(t, err, store.ErrInvalid)

	// The same buyer id in both organisations, every case closed 40 days ago.
	closed := day0
	seed := func(shop, review string) string {
		c := caseOf(cases.MercadoLibre, shop, review)
		c.BuyerID, c.BuyerName = "buyer-shared", "Ana of "+shop
		c.Status, c.Stage, c.Outcome, c.ClosedAt = cases.StatusClosed, cases.StageClosed, cases.OutcomeRevised, &closed
		require.NoError(t, s.SyncCase(ctx, cases.SyncBatch{Case: c}))
		return c.ID
	}
	inBrief, inLong := seed("ml-brief", "r-brief"), seed("ml-long", "r-long")

	r, err := s.ShredExpired(ctx, store.RetentionPolicy{Now: closed.AddDate(0, 0, 40), DefaultDays: 180}, 10)
	require.NoError(t, err)
	assert.Equal(t, store.Retention{Buyers: 1}, r, "30 days passed in brief, not the default 180 in long")
	c, err := s.GetCase(ctx, inBrief)
	require.NoError(t, err)
	assert.Equal(t, store.Erased, c.BuyerName)
	c, err = s.GetCase(ctx, inLong)
	require.NoError(t, err)
	assert.Equal(t, "Ana of ml-long", c.BuyerName, "the other organisation's copy and key are untouched")

	// Runs scheduled before per-organisation retention use one cutoff for all.
	r, err = s.ShredExpired(ctx, store.RetentionPolicy{Now: closed.AddDate(0, 0, 40), DefaultDays: 39, SameForAll: true}, 10)
	require.NoError(t, err)
	assert.Equal(t, store.Retention{Buyers: 1}, r)

	// Each organisation's export lists its own retention request only.
	api := s.RequireScope()
	for _, org := range []string{"brief", "long"} {
		exp, err := api.ExportBuyer(store.WithScope(ctx, store.OrgScope(org)), cases.MercadoLibre, "buyer-shared", "access request", cases.Actor{ID: "maria", Role: cases.RoleManager})
		require.NoError(t, err)
		require.Len(t, exp.Requests, 1, org)
		assert.Equal(t, org, exp.Requests[0].OrgID)
		assert.Equal(t, store.PrivacyRetention, exp.Requests[0].Kind)
	}
}
