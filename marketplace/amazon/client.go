// Package amazon is the Amazon SP-API connector: LWA access tokens
// (POST /auth/o2/token), the Messaging API (unexpectedProblem), Orders,
// Shipping v2 tracking, Multi-Channel Fulfillment for reships, and refunds.
//
// Amazon has no API to read reviews or reply publicly, and Redress never
// solicits a review change: ListNegativeReviews, GetReview, PostPublicReply
// and ParseWebhook return the permanent error not_supported; Caps says so.
//
// Exactly once: MCF orders carry sellerFulfillmentOrderId derived from the
// key, read back by GET. Refunds are modelled as an SP-API-style resource
// (/refunds/2026-01-01/refunds, clientReferenceId = the key, read back by
// listing the order's refunds): real SP-API refunds go through the
// POST_PAYMENT_ADJUSTMENT_DATA feed. Messages cannot be read back on
// SP-API: a lost answer stays ambiguous_write and must not be retried
// blindly; the caller escalates to a person.
package amazon

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace"
)

// DefaultRates: Messaging allows 1 request per second with a burst of 5;
// the other operations Redress uses are no faster for one seller.
var DefaultRates = map[string]marketplace.Rate{
	marketplace.DefaultBucket: {N: 1, Per: time.Second, Burst: 5},
}

// Client is the Amazon connector. Shop ids are selling partner ids.
type Client struct {
	cfg    marketplace.PlatformConfig
	http   *marketplace.HTTPCaller
	tokens *marketplace.OAuthTokens
	rest   *marketplace.RESTClient
}

var _ marketplace.Connector = (*Client)(nil)

// New returns a connector; limits nil means DefaultRates.
func New(cfg marketplace.PlatformConfig, hc *http.Client, store marketplace.TokenStore, limits *marketplace.RateLimits) *Client {
	if limits == nil {
		limits = marketplace.NewRateLimits(DefaultRates)
	}
	if cfg.MarketplaceID == "" {
		cfg.MarketplaceID = "ATVPDKIKX0DER"
	}
	c := &Client{cfg: cfg, http: &marketplace.HTTPCaller{Marketplace: cases.Amazon, Client: hc, Limits: limits}}
	c.tokens = &marketplace.OAuthTokens{Marketplace: cases.Amazon, Store: store, Refresh: c.refresh, Skew: time.Minute, Unauthorized: expiredToken}
	c.rest = &marketplace.RESTClient{HTTP: c.http, Tokens: c.tokens, Fail: c.fail,
		Authorize: func(h map[string][]string, token string) { h["X-Amz-Access-Token"] = []string{token} }}
	return c
}

func (c *Client) Marketplace() cases.Marketplace { return cases.Amazon }
func (c *Client) Caps() cases.PlatformRules      { return cases.RulesFor(cases.Amazon) }

type apiError struct {
	Errors []struct {
		Code    string `json:"code"`
		Message string `json:"message"`
		Details string `json:"details"`
	} `json:"errors"`
	Error            string `json:"error"`
	ErrorDescription string `json:"error_description"`
}

// expiredToken: SP-API answers a stale access token with 403 Unauthorized
// naming the access token.
func expiredToken(resp *marketplace.Response) bool {
	if resp.Status == http.StatusUnauthorized {
		return true
	}
	if resp.Status != http.StatusForbidden {
		return false
	}
	// 403 Unauthorized also means "not allowed for this order"; only a
	// message about the access token is worth a refresh.
	var body apiError
	if json.Unmarshal(resp.Body, &body) != nil || len(body.Errors) == 0 || body.Errors[0].Code != "Unauthorized" {
		return false
	}
	e := body.Errors[0]
	return strings.Contains(strings.ToLower(e.Message+" "+e.Details), "access token")
}

// fail classifies SP-API errors: 429/500/503 retry (429 as rate_limited),
// 400/403/404/413/415 are permanent; a token still refused after one
// refresh is auth_expired; LWA invalid_grant is auth_revoked.
func (c *Client) fail(req marketplace.Request, resp *marketplace.Response) error {
	var body apiError
	_ = json.Unmarshal(resp.Body, &body)
	class := marketplace.ClassForStatus(resp.Status)
	code, msg := body.Error, body.ErrorDescription
	if len(body.Errors) > 0 {
		code, msg = body.Errors[0].Code, body.Errors[0].Message
	}
	if expiredToken(resp) {
		class = cases.ErrAuthExpired
	}
	if body.Error == "invalid_grant" || body.Error == "invalid_client" {
		class = cases.ErrAuthRevoked
	}
	if msg == "" {
		msg = http.StatusText(resp.Status)
	}
	e := c.http.Errorf(req.Op, class, resp.Status, code, "%s", msg)
	if class == cases.ErrRateLimited {
		e.RetryAfter = retryAfter(resp.Header)
	}
	return e
}

// retryAfter prefers Retry-After and otherwise waits one request's worth of
// the rate SP-API states in x-amzn-RateLimit-Limit (requests per second).
func retryAfter(h http.Header) time.Duration {
	if d := marketplace.RetryAfter(h); d > 0 {
		return d
	}
	if rps, err := strconv.ParseFloat(h.Get("x-amzn-RateLimit-Limit"), 64); err == nil && rps > 0 {
		return time.Duration(float64(time.Second) / rps)
	}
	return time.Second
}

// refresh gets an LWA access token.
func (c *Client) refresh(ctx context.Context, refreshToken string) (marketplace.ShopToken, error) {
	form := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {refreshToken}, "client_id": {c.cfg.ClientID}, "client_secret": {c.cfg.ClientSecret}}
	req := marketplace.Request{Op: "refresh_token", Method: http.MethodPost, URL: c.cfg.AuthBase() + "/auth/o2/token", Body: []byte(form.Encode()),
		Header: http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}}
	resp, err := c.http.Do(ctx, req)
	if err != nil {
		return marketplace.ShopToken{}, err
	}
	if !resp.OK() {
		return marketplace.ShopToken{}, c.fail(req, resp)
	}
	var tok struct {
		AccessToken  string `json:"access_token"`
		ExpiresIn    int    `json:"expires_in"`
		RefreshToken string `json:"refresh_token"`
	}
	if err := c.http.Decode(req, resp, &tok); err != nil {
		return marketplace.ShopToken{}, err
	}
	return marketplace.ShopToken{AccessToken: tok.AccessToken, RefreshToken: tok.RefreshToken, ExpiresAt: time.Now().Add(time.Duration(tok.ExpiresIn) * time.Second)}, nil
}

func (c *Client) url(format string, args ...any) string {
	for i, a := range args {
		args[i] = url.PathEscape(fmt.Sprint(a))
	}
	return c.cfg.BaseURL + fmt.Sprintf(format, args...)
}

func (c *Client) marketplaceQuery() string {
	return "?" + url.Values{"marketplaceIds": {c.cfg.MarketplaceID}}.Encode()
}
