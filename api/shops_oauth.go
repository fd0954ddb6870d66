package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
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
	// Draft (Amazon): the application is unpublished; Amazon's test
	// authorization takes version=beta on the consent URI, a published
	// application's must not carry it.
	Draft bool
}

// stateTTL bounds the time between starting a connection and its callback.
const stateTTL = 15 * time.Minute

// pendingConnect is a connection started and not yet called back. It
// travels in the state parameter itself, sealed with the deployment's keys
// (store.SealToken), so any API replica takes the callback; the callback
// spends the state in PostgreSQL (store.SpendToken), once for all replicas.
type pendingConnect struct {
	Scope   store.Scope       `json:"scope"`
	Actor   string            `json:"actor"`
	OrgID   string            `json:"org_id"`
	M       cases.Marketplace `json:"marketplace"`
	ShopID  string            `json:"shop_id"`
	Expires time.Time         `json:"expires"`
}

// oauthStatePurpose binds sealed states to this use.
const oauthStatePurpose = "oauth-connect-state"

// tokenSealer seals values any process of the deployment can open, and
// spends them once across processes.
type tokenSealer interface {
	SealToken(purpose string, plaintext []byte) (string, error)
	OpenToken(purpose, token string) ([]byte, error)
	SpendToken(ctx context.Context, token string, keep time.Duration) (bool, error)
}

func (s *Server) sealConnect(p pendingConnect) (string, error) {
	ts, ok := s.store.(tokenSealer)
	if !ok {
		return "", errors.New("this store seals no OAuth state")
	}
	raw, err := json.Marshal(p)
	if err != nil {
		return "", err
	}
	return ts.SealToken(oauthStatePurpose, raw)
}

// spendConnect opens the connection a state names and spends the state:
// a replayed callback (any replica) is refused before the code is presented
// to the platform again.
func (s *Server) spendConnect(ctx context.Context, state string) (pendingConnect, bool, error) {
	p, ok := s.openConnect(state)
	if !ok {
		return p, false, nil
	}
	fresh, err := s.store.(tokenSealer).SpendToken(ctx, state, stateTTL)
	return p, fresh, err
}

// openConnect is the connection a state names, if it is ours and not expired.
func (s *Server) openConnect(state string) (pendingConnect, bool) {
	var p pendingConnect
	ts, ok := s.store.(tokenSealer)
	if !ok || state == "" {
		return p, false
	}
	raw, err := ts.OpenToken(oauthStatePurpose, state)
	if err != nil || json.Unmarshal(raw, &p) != nil {
		return p, false
	}
	return p, time.Now().Before(p.Expires)
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
		q := url.Values{"application_id": {a.ClientID}, "state": {state}, "redirect_uri": {a.RedirectURI}}
		if a.Draft {
			q.Set("version", "beta")
		}
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
	state, err := s.sealConnect(pendingConnect{Scope: scope, Actor: caller(c).Name, OrgID: sh.OrgID, M: m, ShopID: sh.ShopID,
		Expires: time.Now().Add(stateTTL)})
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
	p, ok, err := s.spendConnect(c.Request().Context(), q.Get("state"))
	if err != nil {
		return err
	}
	if !ok || p.M != m {
		return newProblem(http.StatusBadRequest, "oauth_state_invalid", "unknown or expired state: start again from …/connect")
	}
	if e := q.Get("error"); e != "" {
		return newProblem(http.StatusBadRequest, "oauth_denied", "the platform answered "+e+": the seller did not consent")
	}
	code := q.Get("code")
	if m == cases.Amazon {
		code = q.Get("spapi_oauth_code")
		if sp := q.Get("selling_partner_id"); sp != p.ShopID {
			return newProblem(http.StatusBadRequest, "oauth_wrong_account", "the seller signed in as "+sp+", not as shop "+p.ShopID)
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
		if uid := fmt.Sprint(tok.Extra("user_id")); uid != p.ShopID && !sameNumber(tok.Extra("user_id"), p.ShopID) {
			return newProblem(http.StatusBadRequest, "oauth_wrong_account", "the seller signed in as user "+uid+", not as shop "+p.ShopID)
		}
	}
	creds := store.ShopCredentials{AccessToken: tok.AccessToken, RefreshToken: tok.RefreshToken}
	if !tok.Expiry.IsZero() {
		exp := tok.Expiry.UTC()
		creds.ExpiresAt = &exp
	}
	// Act as the one who started the connection.
	ctx := store.WithScope(c.Request().Context(), p.Scope)
	c.SetRequest(c.Request().WithContext(ctx))
	c.Set(principalKey, principal{Name: p.Actor, Scope: p.Scope})
	st, err := s.orgStore()
	if err != nil {
		return err
	}
	if err := st.SetShopCredentials(ctx, m, p.ShopID, creds); err != nil {
		return err
	}
	if err := s.audit(c, p.OrgID, "shop.credentials_set", store.ShopKey(string(m), p.ShopID), map[string]string{"via": "oauth"}); err != nil {
		return err
	}
	sh, err := st.GetShop(ctx, m, p.ShopID)
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
