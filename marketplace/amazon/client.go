// Package amazon is the Amazon SP-API connector: LWA access tokens
// (POST /auth/o2/token), the Messaging API (unexpectedProblem), Orders API
// v2026-01-01 getOrder for evidence, items and the reship address, the
// Reports API (GET_SELLER_FEEDBACK_DATA) for seller feedback, and
// Multi-Channel Fulfillment for reships. Every call goes to an operation of
// the published models (github.com/amzn/selling-partner-api-models).
//
// Amazon has no API for product reviews, public replies, per-buyer coupons
// or seller refunds (refunds are issued in Seller Central): those return the
// permanent error not_supported and the workflow makes them manual steps.
//
// Exactly once: MCF orders carry sellerFulfillmentOrderId derived from the
// key, read back by GET. Messages cannot be read back on SP-API: a lost
// answer stays ambiguous_write and must not be retried blindly; the caller
// escalates to a person.
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

// Client is the Amazon connector. Shop ids are selling partner ids.
type Client struct {
	cfg    marketplace.PlatformConfig
	http   *marketplace.HTTPCaller
	tokens *marketplace.OAuthTokens
	rest   *marketplace.RESTClient
	// reportWait is how long ListNegativeReviews waits for a feedback report
	// before leaving it for the next poll.
	reportWait time.Duration
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
	c := &Client{cfg: cfg, http: &marketplace.HTTPCaller{Marketplace: cases.Amazon, Client: hc, Limits: limits}, reportWait: defaultReportWait}
	c.tokens = &marketplace.OAuthTokens{Marketplace: cases.Amazon, Store: store, Refresh: c.refresh, Skew: time.Minute, Unauthorized: expiredToken}
	c.rest = &marketplace.RESTClient{HTTP: c.http, Tokens: c.tokens, Fail: c.fail,
		Authorize: func(h map[string][]string, token string) { h["X-Amz-Access-Token"] = []string{token} }}
	return c
}

// WithReportWait returns the client with another bound on how long one
// ListNegativeReviews call waits for Amazon to finish a feedback report.
func (c *Client) WithReportWait(d time.Duration) *Client {
	c.reportWait = d
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

// call is one SP-API operation: its own rate-limit bucket (SP-API limits
// each operation separately) and the media type the model says it produces.
type call struct {
	op     string // Redress's name for the step, for errors and logs
	bucket string // the SP-API operation, see DefaultRates
	method string
	url    string
	body   any
	accept string // empty: application/json
}

func (c *Client) do(ctx context.Context, shopID string, k call, out any) error {
	req := marketplace.Request{Op: k.op, ShopID: shopID, Bucket: k.bucket, Method: k.method, URL: k.url, Header: http.Header{}}
	if k.accept != "" {
		req.Header["Accept"] = []string{k.accept}
	}
	if k.body != nil {
		data, err := json.Marshal(k.body)
		if err != nil {
			return marketplace.Invalid(cases.Amazon, k.op, "bad_request", "encode body: %v", err)
		}
		req.Body, req.Write = data, true
	}
	_, err := c.rest.Call(ctx, req, out)
	return err
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
