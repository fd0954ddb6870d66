package api

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/internal/keyring"
	"github.com/redress-hq/redress/simulator"
	"github.com/redress-hq/redress/store"
)

// callbackBase is where the platforms send the seller back (this API).
const callbackBase = "https://redress.test/v1/oauth/"

// simOAuth is Redress's OAuth applications on the simulator.
func simOAuth(base string) map[cases.Marketplace]OAuthApp {
	apps := simulator.DefaultApps()
	app := func(m cases.Marketplace, authorize, token string) OAuthApp {
		return OAuthApp{AuthorizeURL: base + authorize, TokenURL: base + token, ClientID: apps[m].ClientID,
			ClientSecret: apps[m].ClientSecret, RedirectURI: callbackBase + string(m) + "/callback"}
	}
	eb := app(cases.EBay, "/ebay/oauth2/authorize", "/ebay/identity/v1/oauth2/token")
	eb.Scopes = []string{"https://api.ebay.com/oauth/api_scope/sell.fulfillment"}
	return map[cases.Marketplace]OAuthApp{
		cases.MercadoLibre: app(cases.MercadoLibre, "/mercadolibre/authorization", "/mercadolibre/oauth/token"),
		cases.EBay:         eb,
		cases.Amazon:       app(cases.Amazon, "/amazon/apps/authorize/consent", "/amazon/auth/o2/token"),
	}
}

// consent plays the seller's browser on the platform's consent page,
// signed in as login, and returns where the platform sends it back.
func consent(t *testing.T, authorizeURL, login string) *url.URL {
	t.Helper()
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noFollow.Get(authorizeURL + "&sim_login=" + url.QueryEscape(login))
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusFound, resp.StatusCode, authorizeURL)
	back, err := url.Parse(resp.Header.Get("Location"))
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(back.String(), callbackBase), back.String())
	return back
}

// TestShopsConnectByOAuthAgainstTheSimulator: an organisation's admin
// connects a Mercado Libre, an eBay and an Amazon shop through each
// platform's authorization-code grant; the tokens are sealed with the
// shop and work at the platform; a state is spent once, and a seller who
// signs in as another account does not connect the shop.
func TestShopsConnectByOAuthAgainstTheSimulator(t *testing.T) {
	sim := simulator.New(simulator.Options{})
	sim.Seed(simulator.DemoShops()...)
	sim.Seed(simulator.Shop{Platform: cases.MercadoLibre, ID: "2002", Token: "TG-other"})
	srv := httptest.NewServer(sim.Handler())
	t.Cleanup(srv.Close)
	h := newHarness(t, func(d *Deps) { d.Config.OAuth = simOAuth(srv.URL) })
	h.store.UseDataKeys(keyring.Generate("t"))
	ctx := context.Background()
	_, err := h.store.CreateOrganisation(ctx, "acme", "Acme")
	require.NoError(t, err)
	plain, hash, err := GenerateToken()
	require.NoError(t, err)
	_, err = h.store.CreateTokenFor(ctx, store.TokenSpec{Name: "acme-admin", Role: cases.RoleAdmin, OrgID: "acme"}, hash)
	require.NoError(t, err)

	for m, shop := range map[cases.Marketplace]string{cases.MercadoLibre: "1001", cases.EBay: "demo-seller", cases.Amazon: "A1DEMOSELLER"} {
		t.Run(string(m), func(t *testing.T) {
			h.t = t
			h.call(plain, http.MethodPost, "/v1/shops", `{"marketplace":"`+string(m)+`","shop_id":"`+shop+`"}`, http.StatusCreated)
			start := h.call(plain, http.MethodPost, "/v1/shops/"+string(m)+"/"+shop+"/connect", "", http.StatusOK)
			back := consent(t, start["authorize_url"].(string), shop)

			got := h.call("", http.MethodGet, back.RequestURI(), "", http.StatusOK)
			assert.Equal(t, true, got["connected"])
			h.call("", http.MethodGet, back.RequestURI(), "", http.StatusBadRequest) // a state is spent once

			creds, err := h.store.ShopCredentialsOf(ctx, m, shop)
			require.NoError(t, err)
			require.NotEmpty(t, creds.RefreshToken)
			require.NotEmpty(t, creds.AccessToken)
			// The platform honours the refresh token it issued for the shop.
			tok, err := h.store.ShopToken(ctx, m, shop)
			require.NoError(t, err)
			assert.Equal(t, creds.RefreshToken, tok.RefreshToken)
		})
	}
	h.t = t

	// Signing in as another Mercado Libre seller does not connect shop 1001.
	start := h.call(plain, http.MethodPost, "/v1/shops/mercadolibre/1001/connect", "", http.StatusOK)
	back := consent(t, start["authorize_url"].(string), "2002")
	h.call("", http.MethodGet, back.RequestURI(), "", http.StatusBadRequest)
	// Nor does a seller who does not consent.
	start = h.call(plain, http.MethodPost, "/v1/shops/ebay/demo-seller/connect", "", http.StatusOK)
	back = consent(t, start["authorize_url"].(string), "nobody")
	h.call("", http.MethodGet, back.RequestURI(), "", http.StatusBadRequest)

	trail, err := h.store.ListAdminEvents(store.WithScope(ctx, store.OrgScope("acme")), 0, 100)
	require.NoError(t, err)
	oauth := 0
	for _, ev := range trail {
		if ev.Action == "shop.credentials_set" && strings.Contains(string(ev.Detail), "oauth") {
			oauth++
		}
	}
	assert.Equal(t, 3, oauth, "each connection is in the admin trail")
}

// The state a connection starts with is sealed by the deployment's keys, so
// another API replica (here a second server over the same store) takes the
// callback, and it is spent once for all of them; a tampered state, one
// sealed for another purpose, and an expired one are refused.
func TestOAuthStateIsOpenedByAnyReplica(t *testing.T) {
	h := newHarness(t)
	h.store.UseDataKeys(keyring.Generate("t"))
	other := New(Deps{Store: h.store, Temporal: devTemporal, Markets: testRegistry{}, Config: Config{BootstrapToken: testBootstrap}})
	p := pendingConnect{Scope: store.OrgScope("acme"), Actor: "ana", OrgID: "acme", M: cases.EBay, ShopID: "seller-1",
		Expires: time.Now().Add(time.Minute)}
	state, err := h.srv.sealConnect(p)
	require.NoError(t, err)
	got, ok, err := other.spendConnect(context.Background(), state)
	require.NoError(t, err)
	require.True(t, ok)
	require.Equal(t, p.ShopID, got.ShopID)
	require.Equal(t, p.Scope, got.Scope)
	_, ok, err = h.srv.spendConnect(context.Background(), state)
	require.NoError(t, err)
	require.False(t, ok, "spent once, whichever replica took it")

	_, ok = other.openConnect(state[:len(state)-2] + "AA")
	require.False(t, ok, "tampered")
	foreign, err := h.store.SealToken("another-purpose", []byte(`{"shop_id":"seller-1"}`))
	require.NoError(t, err)
	_, ok = other.openConnect(foreign)
	require.False(t, ok, "sealed for another purpose")
	p.Expires = time.Now().Add(-time.Second)
	expired, err := h.srv.sealConnect(p)
	require.NoError(t, err)
	_, ok = other.openConnect(expired)
	require.False(t, ok, "expired")
}

// Amazon's consent URI carries version=beta only for an application still in
// draft (Amazon's test authorization); a published application's must not.
func TestAmazonConsentVersionBetaOnlyForDrafts(t *testing.T) {
	app := OAuthApp{AuthorizeURL: "https://sellercentral.amazon.com/apps/authorize/consent", ClientID: "amzn1.app"}
	published, err := url.Parse(app.authorizeURL(cases.Amazon, "s"))
	require.NoError(t, err)
	assert.False(t, published.Query().Has("version"))
	app.Draft = true
	draft, err := url.Parse(app.authorizeURL(cases.Amazon, "s"))
	require.NoError(t, err)
	assert.Equal(t, "beta", draft.Query().Get("version"))
}
