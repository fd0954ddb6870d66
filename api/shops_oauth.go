package api

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"golang.org/x/oauth2"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/store"
)

// OAuthApp is Redress's application on a platform that connects shops by
// OAuth's authorization-code grant (Mercado Libre, eBay, Amazon LWA).
type OAuthApp struct {
	// AuthorizeURL is the platform's consent page; TokenURL its token endpoint.
	AuthorizeURL, TokenURL string
	ClientID, ClientSecret string
	// RedirectURI is the callback as registered with the platform:
	// {public URL}/v1/oauth/{marketplace}/callback (eBay: the RuName that
	// stands for it).
	RedirectURI string
	Scopes      []string
}

// stateTTL bounds the time between starting a connection and its callback.
const stateTTL = 15 * time.Minute

// pendingConnect is a connection started and not yet called back: the
// state parameter names it, once.
type pendingConnect struct {
	scope   store.Scope
	actor   string
	orgID   string
	m       cases.Marketplace
	shopID  string
	expires time.Time
}

// connects keeps pending connections in memory: a connection is started
// and finished by the same seller within minutes. (Several API replicas
// behind a load balancer need sticky sessions for /v1/oauth, or a shared
// store: see docs/organisations.md.)
type connects struct {
	mu sync.Mutex
	m  map[string]pendingConnect
}

func (c *connects) put(p pendingConnect) (string, error) {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	state := base64.RawURLEncoding.EncodeToString(b)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[string]pendingConnect{}
	}
	now := time.Now()
	for k, v := range c.m {
		if now.After(v.expires) {
			delete(c.m, k)
		}
	}
	c.m[state] = p
	return state, nil
}

// take returns and forgets the connection a state names.
func (c *connects) take(state string) (pendingConnect, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	p, ok := c.m[state]
	delete(c.m, state)
	return p, ok && time.Now().Before(p.expires)
}

func (a OAuthApp) config(m cases.Marketplace) *oauth2.Config {
	style := oauth2.AuthStyleInParams // Mercado Libre and LWA take the secret in the form
	if m == cases.EBay {
		style = oauth2.AuthStyleInHeader // eBay: Basic client_id:client_secret
	}
	return &oauth2.Config{ClientID: a.ClientID, ClientSecret: a.ClientSecret, RedirectURL: a.RedirectURI, Scopes: a.Scopes,
		Endpoint: oauth2.Endpoint{AuthURL: a.AuthorizeURL, TokenURL: a.TokenURL, AuthStyle: style}}
}

// authorizeURL is where the seller consents. Amazon's consent page names the
// app by application_id and takes no response_type.
func (a OAuthApp) authorizeURL(m cases.Marketplace, state string) string {
	if m == cases.Amazon {
		q := url.Values{"application_id": {a.ClientID}, "state": {state}, "version": {"beta"}, "redirect_uri": {a.RedirectURI}}
		return a.AuthorizeURL + "?" + q.Encode()
	}
	return a.config(m).AuthCodeURL(state)
}

// connectShop starts connecting a shop: it answers the platform's consent
// URL, where the seller's browser goes next.
func (s *Server) connectShop(c echo.Context) error {
	st, m, err := s.orgStoreAndShop(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	sh, err := st.GetShop(ctx, m, c.Param("shop"))
	if err != nil {
		return err
	}
	app, ok := s.cfg.OAuth[m]
	if !ok || app.AuthorizeURL == "" {
		return newProblem(http.StatusConflict, "oauth_not_configured",
			"this deployment connects no "+string(m)+" shops by OAuth; store the shop's credentials with PUT …/credentials")
	}
	scope, _ := store.ScopeFrom(ctx)
	state, err := s.pending.put(pendingConnect{scope: scope, actor: caller(c).Name, orgID: sh.OrgID, m: m, shopID: sh.ShopID,
		expires: time.Now().Add(stateTTL)})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]string{"authorize_url": app.authorizeURL(m, state)})
}

// oauthCallback finishes a connection: the platform sends the seller's
// browser back with the state and a one-time code, which is exchanged for
// the shop's tokens, sealed and stored. The state, not a bearer token,
// authenticates the call: it was handed to the one who started it.
func (s *Server) oauthCallback(c echo.Context) error {
	m := cases.Marketplace(c.Param("marketplace"))
	app, ok := s.cfg.OAuth[m]
	if !m.Valid() || !ok {
		return newProblem(http.StatusNotFound, codeUnknownMarketplace, "no OAuth application for "+string(m))
	}
	q := c.QueryParams()
	p, ok := s.pending.take(q.Get("state"))
	if !ok || p.m != m {
		return newProblem(http.StatusBadRequest, "oauth_state_invalid", "unknown or expired state: start again from …/connect")
	}
	if e := q.Get("error"); e != "" {
		return newProblem(http.StatusBadRequest, "oauth_denied", "the platform answered "+e+": the seller did not consent")
	}
	code := q.Get("code")
	if m == cases.Amazon {
		code = q.Get("spapi_oauth_code")
		if sp := q.Get("selling_partner_id"); sp != p.shopID {
			return newProblem(http.StatusBadRequest, "oauth_wrong_account", "the seller signed in as "+sp+", not as shop "+p.shopID)
		}
	}
	if code == "" {
		return newProblem(http.StatusBadRequest, "oauth_code_missing", "the platform sent no authorization code")
	}
	tctx, cancel := context.WithTimeout(c.Request().Context(), s.cfg.TemporalTimeout)
	defer cancel()
	tok, err := app.config(m).Exchange(tctx, code)
	if err != nil {
		var re *oauth2.RetrieveError
		if errors.As(err, &re) {
			return newProblem(http.StatusBadGateway, "oauth_exchange_failed", fmt.Sprintf("the platform refused the code: %s %s", re.ErrorCode, re.ErrorDescription))
		}
		return fmt.Errorf("exchange %s code: %w", m, err)
	}
	// Mercado Libre says whose the tokens are: they must be the shop's.
	if m == cases.MercadoLibre {
		if uid := fmt.Sprint(tok.Extra("user_id")); uid != p.shopID && !sameNumber(tok.Extra("user_id"), p.shopID) {
			return newProblem(http.StatusBadRequest, "oauth_wrong_account", "the seller signed in as user "+uid+", not as shop "+p.shopID)
		}
	}
	creds := store.ShopCredentials{AccessToken: tok.AccessToken, RefreshToken: tok.RefreshToken}
	if !tok.Expiry.IsZero() {
		exp := tok.Expiry.UTC()
		creds.ExpiresAt = &exp
	}
	// Act as the one who started the connection.
	ctx := store.WithScope(c.Request().Context(), p.scope)
	c.SetRequest(c.Request().WithContext(ctx))
	c.Set(principalKey, principal{Name: p.actor, Scope: p.scope})
	st, err := s.orgStore()
	if err != nil {
		return err
	}
	if err := st.SetShopCredentials(ctx, m, p.shopID, creds); err != nil {
		return err
	}
	if err := s.audit(c, p.orgID, "shop.credentials_set", store.ShopKey(string(m), p.shopID), map[string]string{"via": "oauth"}); err != nil {
		return err
	}
	sh, err := st.GetShop(ctx, m, p.shopID)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, sh)
}

// sameNumber: Mercado Libre's user_id is a JSON number.
func sameNumber(v any, id string) bool {
	f, ok := v.(float64)
	n, err := strconv.ParseInt(id, 10, 64)
	return ok && err == nil && int64(f) == n
}
