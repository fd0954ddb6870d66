package store_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/internal/keyring"
	"github.com/redress-hq/redress/store"
	"github.com/redress-hq/redress/store/storetest"
)

// caseOf returns newCase for another shop.
func caseOf(m cases.Marketplace, shop, review string) cases.Case {
	c := newCase(review, day0)
	c.Marketplace, c.ShopID = m, shop
	c.ID = cases.CaseIDFor(m, shop, review)
	c.WorkflowID = cases.WorkflowIDFor(c.ID)
	return c
}

// TestRowLevelSecurityIsolatesOrganisations: with two sellers in one
// database, queries that name no organisation still only return the
// caller's rows; the database, not a WHERE, keeps them apart.
func TestRowLevelSecurityIsolatesOrganisations(t *testing.T) {
	ctx := context.Background()
	s := storetest.New(t)
	_, err := s.CreateOrganisation(ctx, "acme", "Acme")
	require.NoError(t, err)
	_, err = s.CreateOrganisation(ctx, "bolt", "Bolt")
	require.NoError(t, err)
	for _, sh := range []store.Shop{
		{OrgID: "acme", Marketplace: cases.MercadoLibre, ShopID: "ml-a", Currency: "ARS", Enabled: true},
		{OrgID: "acme", Marketplace: cases.Taobao, ShopID: "tb-a", Currency: "CNY", Enabled: true},
		{OrgID: "bolt", Marketplace: cases.EBay, ShopID: "eb-b", Currency: "USD", Enabled: true},
	} {
		_, err := s.CreateShop(ctx, sh)
		require.NoError(t, err)
	}

	// The worker (no scope: the system) writes cases; each lands in its shop's organisation.
	ml, tb, eb := caseOf(cases.MercadoLibre, "ml-a", "r1"), caseOf(cases.Taobao, "tb-a", "r2"), caseOf(cases.EBay, "eb-b", "r3")
	for _, c := range []cases.Case{ml, tb, eb} {
		mustSync(t, s, cases.SyncBatch{Case: c, Events: []cases.Event{newEvent(c.ID, 1, day0)},
			Tasks: []cases.Task{newTask(c, 1, nil)}})
	}
	var orgs []string
	require.NoError(t, s.DB().Select(&orgs, `SELECT org_id FROM cases ORDER BY id`))
	assert.ElementsMatch(t, []string{"acme", "acme", "bolt"}, orgs)

	api := s.RequireScope()
	acme := store.WithScope(ctx, store.OrgScope("acme"))
	bolt := store.WithScope(ctx, store.OrgScope("bolt"))
	acmeTaobao := store.WithScope(ctx, store.OrgScope("acme", "taobao:tb-a"))

	ids := func(ctx context.Context) []string {
		p, err := api.ListCases(ctx, store.CaseFilter{})
		require.NoError(t, err)
		var out []string
		for _, c := range p.Items {
			out = append(out, c.ShopID)
		}
		return out
	}
	assert.ElementsMatch(t, []string{"ml-a", "tb-a"}, ids(acme))
	assert.ElementsMatch(t, []string{"eb-b"}, ids(bolt))
	assert.ElementsMatch(t, []string{"tb-a"}, ids(acmeTaobao), "a user limited to a shop sees only it")
	assert.Empty(t, ids(ctx), "the API's store sees nothing without a scope")
	assert.Len(t, func() []string { p, _ := s.ListCases(ctx, store.CaseFilter{}); return caseIDs(p.Items) }(), 3,
		"the worker's store acts for the system")

	// Another organisation's case, its events and tasks are not found.
	_, err = api.GetCase(bolt, ml.ID)
	assert.ErrorIs(t, err, store.ErrNotFound)
	_, err = api.GetCase(acmeTaobao, ml.ID)
	assert.ErrorIs(t, err, store.ErrNotFound)
	evs, err := api.ListEvents(bolt, ml.ID, 0, 10)
	require.NoError(t, err)
	assert.Empty(t, evs)
	evs, err = api.ListEvents(acmeTaobao, ml.ID, 0, 10)
	require.NoError(t, err)
	assert.Empty(t, evs, "events follow their case's shop")
	_, err = api.GetTask(bolt, newTask(ml, 1, nil).ID)
	assert.ErrorIs(t, err, store.ErrNotFound)
	got, err := api.GetCase(acme, ml.ID)
	require.NoError(t, err)
	assert.Equal(t, ml.ID, got.ID)

	// Writing another organisation's rows is refused as not found.
	err = api.SyncCase(bolt, cases.SyncBatch{Case: caseOf(cases.MercadoLibre, "ml-a", "r9")})
	assert.ErrorIs(t, err, store.ErrNotFound, "bolt may not open a case in acme's shop")
	err = api.SyncCase(bolt, cases.SyncBatch{Case: ml, Events: []cases.Event{newEvent(ml.ID, 2, day0)}})
	assert.Error(t, err, "nor write acme's case")

	// Shops, users and tokens are scoped the same way.
	shops, err := api.ListShops(bolt)
	require.NoError(t, err)
	require.Len(t, shops, 1)
	assert.Equal(t, "eb-b", shops[0].ShopID)
	_, err = api.GetShop(bolt, cases.MercadoLibre, "ml-a")
	assert.ErrorIs(t, err, store.ErrNotFound)
	sc, err := api.ScopeOfShop(ctx, "ebay", "eb-b")
	require.NoError(t, err)
	assert.Equal(t, "bolt", sc.OrgID, "webhooks resolve the organisation from the platform's shop")
}

func caseIDs(cs []cases.Case) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.ID
	}
	return out
}

// TestEnvShopsLandInDefault: shops named only in the environment are
// registered in the default organisation at start.
func TestEnvShopsLandInDefault(t *testing.T) {
	ctx := context.Background()
	s := storetest.New(t)
	require.NoError(t, s.EnsureShops(ctx, []store.ShopRef{{Marketplace: cases.Amazon, ShopID: "A1"}}, true))
	require.NoError(t, s.EnsureShops(ctx, []store.ShopRef{{Marketplace: cases.Amazon, ShopID: "A1"}}, false), "idempotent")
	sh, err := s.GetShop(ctx, cases.Amazon, "A1")
	require.NoError(t, err)
	assert.Equal(t, store.DefaultOrg, sh.OrgID)
	assert.True(t, sh.Enabled)
	assert.True(t, sh.Poll, "POLL_SHOPS marked it for polling; registering it again does not unmark it")
	poll, err := s.ShopsToPoll(ctx)
	require.NoError(t, err)
	require.Len(t, poll, 1)
	_, err = s.UpdateShop(ctx, cases.Amazon, "A1", store.ShopPatch{Enabled: new(false)})
	require.NoError(t, err)
	poll, err = s.ShopsToPoll(ctx)
	require.NoError(t, err)
	assert.Empty(t, poll, "a disabled shop is not polled")
}

// TestShopCredentialsAreTheConnectorsTokens: a shop connected through the
// API gives the connectors its sealed token, and a refresh is kept sealed
// (with the shop's other values); a shop without any keeps using
// marketplace_tokens.
func TestShopCredentialsAreTheConnectorsTokens(t *testing.T) {
	ctx := context.Background()
	s := storetest.New(t)
	s.UseDataKeys(keyring.Generate("t"))
	_, err := s.CreateShop(ctx, store.Shop{Marketplace: cases.MercadoLibre, ShopID: "ml-1", Enabled: true})
	require.NoError(t, err)
	require.NoError(t, s.SetShopCredentials(ctx, cases.MercadoLibre, "ml-1",
		store.ShopCredentials{RefreshToken: "TG-first", Extra: map[string]string{"site": "MLA"}}))

	tok, err := s.ShopToken(ctx, cases.MercadoLibre, "ml-1")
	require.NoError(t, err)
	assert.Equal(t, "TG-first", tok.RefreshToken)
	require.NoError(t, s.PutShopToken(ctx, store.MarketplaceToken{Marketplace: cases.MercadoLibre, ShopID: "ml-1",
		AccessToken: "APP_USR-1", RefreshToken: "TG-rotated"}))
	creds, err := s.ShopCredentialsOf(ctx, cases.MercadoLibre, "ml-1")
	require.NoError(t, err)
	assert.Equal(t, store.ShopCredentials{AccessToken: "APP_USR-1", RefreshToken: "TG-rotated", Extra: map[string]string{"site": "MLA"}}, creds)
	var plain int
	require.NoError(t, s.DB().Get(&plain, `SELECT count(*) FROM marketplace_tokens`))
	assert.Zero(t, plain, "nothing of a connected shop is stored in the clear")

	require.NoError(t, s.PutShopToken(ctx, store.MarketplaceToken{Marketplace: cases.EBay, ShopID: "env-shop", RefreshToken: "v^1"}))
	tok, err = s.ShopToken(ctx, cases.EBay, "env-shop")
	require.NoError(t, err)
	assert.Equal(t, "v^1", tok.RefreshToken)
}
