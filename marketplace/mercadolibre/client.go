// Package mercadolibre is the Mercado Libre connector: OAuth bearer calls
// with rotating single-use refresh tokens, sale feedback and replies,
// post-sale messages (with the reason flow for seller-initiated contact and
// the messaging agents of MLB and MLC), claims, shipments and Mercado Pago
// refunds. Every endpoint it calls is in Mercado Libre's or Mercado Pago's
// published documentation; coupons and reships have no public API and are
// manual steps (NotSupported).
//
// Exactly once: refunds carry the idempotency key as Mercado Pago's
// X-Idempotency-Key. Nothing else has a key, so every other write reads back
// first: the feedback's reply (one per feedback; the same text is a replay)
// and the pack's seller messages (an identical text is a replay).
package mercadolibre

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace"
)

// DefaultRates: 500 requests per minute per seller (GET and POST alike).
var DefaultRates = map[string]marketplace.Rate{
	marketplace.DefaultBucket: {N: 500, Per: time.Minute, Burst: 10},
}

// Client is the Mercado Libre connector. Shop ids are seller user ids.
type Client struct {
	cfg    marketplace.PlatformConfig
	http   *marketplace.HTTPCaller
	tokens *marketplace.OAuthTokens
	rest   *marketplace.RESTClient
}

var (
	_ marketplace.Connector       = (*Client)(nil)
	_ marketplace.ResourceFetcher = (*Client)(nil)
)

// New returns a connector; limits nil means DefaultRates.
func New(cfg marketplace.PlatformConfig, hc *http.Client, store marketplace.TokenStore, limits *marketplace.RateLimits) *Client {
	if limits == nil {
		limits = marketplace.NewRateLimits(DefaultRates)
	}
	if cfg.PaymentsURL == "" {
		cfg.PaymentsURL = cfg.BaseURL
	}
	c := &Client{cfg: cfg, http: &marketplace.HTTPCaller{Marketplace: cases.MercadoLibre, Client: hc, Limits: limits}}
	c.tokens = &marketplace.OAuthTokens{Marketplace: cases.MercadoLibre, Store: store, Refresh: c.refresh, Skew: time.Minute}
	c.rest = &marketplace.RESTClient{HTTP: c.http, Tokens: c.tokens, Authorize: marketplace.BearerAuth, Fail: c.fail}
	return c
}

func (c *Client) Marketplace() cases.Marketplace { return cases.MercadoLibre }
func (c *Client) Caps() cases.PlatformRules      { return cases.RulesFor(cases.MercadoLibre) }

// apiError reads Mercado Libre's error bodies, which vary by API: the
// standard {message, error, status, cause[]}, messaging's {status_code, code,
// message}, the action guide's {error, message, cause: "<string>"} and
// OAuth's {error, error_description}.
type apiError struct {
	Message          string          `json:"message"`
	Error            string          `json:"error"`
	Code             string          `json:"code"`
	ErrorDescription string          `json:"error_description"`
	Cause            json.RawMessage `json:"cause"`
}

// code is the machine-readable code: error, or code where error is missing
// or human text (the 403 page's {"error": "Invalid scopes", "code": "FORBIDDEN"}).
func (e apiError) code() string {
	if e.Code != "" && (e.Error == "" || strings.ContainsRune(e.Error, ' ')) {
		return e.Code
	}
	return e.Error
}

// causes flattens cause: one string, or an array of strings or {code,message} objects.
func (e apiError) causes() []string {
	var one string
	if json.Unmarshal(e.Cause, &one) == nil && one != "" {
		return []string{one}
	}
	var list []json.RawMessage
	_ = json.Unmarshal(e.Cause, &list)
	var out []string
	for _, raw := range list {
		var s string
		if json.Unmarshal(raw, &s) == nil {
			out = append(out, s)
			continue
		}
		var obj struct{ Code, Message string }
		if json.Unmarshal(raw, &obj) == nil && obj.Code != "" {
			out = append(out, obj.Code)
		}
	}
	return out
}

func (e apiError) message() string {
	msg := e.Message
	if msg == "" {
		msg = e.ErrorDescription
	}
	if msg == "" && e.code() != e.Error {
		msg = e.Error
	}
	if cs := e.causes(); len(cs) > 0 {
		msg += " (" + strings.Join(cs, ", ") + ")"
	}
	return strings.TrimSpace(msg)
}

// fail classifies a non-2xx answer.
func (c *Client) fail(req marketplace.Request, resp *marketplace.Response) error {
	var body apiError
	_ = json.Unmarshal(resp.Body, &body)
	class := marketplace.ClassForStatus(resp.Status)
	switch {
	case body.Error == "invalid_grant":
		class = cases.ErrAuthRevoked
	case resp.Status == http.StatusNotFound && req.Op == opFetchMessage:
		// "Mensaje no encontrado en el servidor. Intenta nuevamente en algunos segundos."
		class = cases.ErrRetryable
	}
	msg := body.message()
	if msg == "" {
		msg = http.StatusText(resp.Status)
	}
	e := c.http.Errorf(req.Op, class, resp.Status, body.code(), "%s", msg)
	if class == cases.ErrRateLimited {
		e.RetryAfter = marketplace.RetryAfter(resp.Header)
	}
	return e
}

// get reads path (under BaseURL) into out, with extra headers if any.
func (c *Client) get(ctx context.Context, op, shopID, path string, header http.Header, out any) error {
	_, err := c.rest.Call(ctx, marketplace.Request{Op: op, ShopID: shopID, Method: http.MethodGet, URL: c.cfg.BaseURL + path, Header: header}, out)
	return err
}

func (c *Client) post(ctx context.Context, op, shopID, rawURL string, body any, header http.Header, out any) error {
	return c.rest.Post(ctx, op, shopID, "", rawURL, body, header, out)
}

// refresh exchanges the single-use refresh token for a new pair.
func (c *Client) refresh(ctx context.Context, refreshToken string) (marketplace.ShopToken, error) {
	form := url.Values{"grant_type": {"refresh_token"}, "client_id": {c.cfg.ClientID}, "client_secret": {c.cfg.ClientSecret}, "refresh_token": {refreshToken}}
	req := marketplace.Request{Op: "refresh_token", Method: http.MethodPost, URL: c.cfg.AuthBase() + "/oauth/token", Body: []byte(form.Encode()),
		Header: http.Header{"Content-Type": {"application/x-www-form-urlencoded"}, "Accept": {"application/json"}}}
	resp, err := c.http.Do(ctx, req)
	if err != nil {
		return marketplace.ShopToken{}, err
	}
	if !resp.OK() {
		err := c.fail(req, resp)
		if me, ok := marketplace.AsError(err); ok && me.Class == cases.ErrPermanent {
			me.Class = cases.ErrAuthRevoked // invalid_client and the like: a person must fix the app
		}
		return marketplace.ShopToken{}, err
	}
	var tok struct {
		AccessToken  string `json:"access_token"`
		ExpiresIn    int    `json:"expires_in"`
		RefreshToken string `json:"refresh_token"`
	}
	if err := c.http.Decode(req, resp, &tok); err != nil {
		return marketplace.ShopToken{}, err
	}
	if tok.AccessToken == "" {
		return marketplace.ShopToken{}, c.http.Errorf(req.Op, cases.ErrRetryable, resp.Status, "bad_response", "token response without access_token")
	}
	return marketplace.ShopToken{AccessToken: tok.AccessToken, RefreshToken: tok.RefreshToken,
		ExpiresAt: time.Now().Add(time.Duration(tok.ExpiresIn) * time.Second)}, nil
}

func pathf(format string, args ...any) string {
	for i, a := range args {
		args[i] = url.PathEscape(fmt.Sprint(a))
	}
	return fmt.Sprintf(format, args...)
}
