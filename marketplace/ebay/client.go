// Package ebay is the eBay connector over REST: OAuth user tokens
// (/identity/v1/oauth2/token), the Feedback API, the Message API
// (send_message / conversation_messages, modelled on eBay's REST Message
// API as the successor of Trading AddMemberMessageAAQToPartner, same
// 75 calls / 60 s limit), Fulfillment refunds and Marketing coded coupons.
//
// Public replies need human approval on eBay (Caps().ReplyNeedsHumanApproval):
// the connector posts what it is given; the workflow must have the approval.
//
// Exactly once, with no idempotency keys on eBay: a feedback takes one
// response (the same text is a replay); messages are read back by exact
// text on the order's conversation; refunds carry marketplace.RefTag(key)
// in the refund comment, echoed on the order's refunds; coupons use a code
// derived from the key; reships are shipping fulfillments carrying
// sellerReference = the key (modelled).
package ebay

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace"
)

// DefaultRates: messaging is 75 calls per 60 s; other calls share a
// conservative per-shop rate under eBay's daily quotas.
var DefaultRates = map[string]marketplace.Rate{
	marketplace.DefaultBucket: {N: 5, Per: time.Second, Burst: 10},
	messagesBucket:            {N: 75, Per: time.Minute, Burst: 75},
}

const messagesBucket = "messages"

// Client is the eBay connector. Shop ids are seller usernames.
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
		cfg.MarketplaceID = "EBAY_US"
	}
	c := &Client{cfg: cfg, http: &marketplace.HTTPCaller{Marketplace: cases.EBay, Client: hc, Limits: limits}}
	c.tokens = &marketplace.OAuthTokens{Marketplace: cases.EBay, Store: store, Refresh: c.refresh, Skew: time.Minute}
	c.rest = &marketplace.RESTClient{HTTP: c.http, Tokens: c.tokens, Authorize: marketplace.BearerAuth, Fail: c.fail}
	return c
}

func (c *Client) Marketplace() cases.Marketplace { return cases.EBay }
func (c *Client) Caps() cases.PlatformRules      { return cases.RulesFor(cases.EBay) }

type apiError struct {
	Errors []struct {
		ErrorID  int    `json:"errorId"`
		Domain   string `json:"domain"`
		Category string `json:"category"`
		Message  string `json:"message"`
	} `json:"errors"`
	// OAuth endpoint errors.
	Error            string `json:"error"`
	ErrorDescription string `json:"error_description"`
}

// fail classifies eBay errors: category System is retryable, Request and
// Application are permanent; 429 is rate_limited, 401 auth_expired,
// invalid_grant auth_revoked.
func (c *Client) fail(req marketplace.Request, resp *marketplace.Response) error {
	var body apiError
	_ = json.Unmarshal(resp.Body, &body)
	class := marketplace.ClassForStatus(resp.Status)
	code, msg := body.Error, body.ErrorDescription
	if len(body.Errors) > 0 {
		e := body.Errors[0]
		code, msg = fmt.Sprint(e.ErrorID), e.Message
		if class == cases.ErrPermanent && e.Category == "System" {
			class = cases.ErrRetryable
		}
	}
	if body.Error == "invalid_grant" || body.Error == "invalid_client" {
		class = cases.ErrAuthRevoked
	}
	if msg == "" {
		msg = http.StatusText(resp.Status)
	}
	e := c.http.Errorf(req.Op, class, resp.Status, code, "%s", msg)
	if class == cases.ErrRateLimited {
		e.RetryAfter = marketplace.RetryAfter(resp.Header)
	}
	return e
}

// refresh gets a user access token; eBay refresh tokens do not rotate.
func (c *Client) refresh(ctx context.Context, refreshToken string) (marketplace.ShopToken, error) {
	form := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {refreshToken},
		"scope": {"https://api.ebay.com/oauth/api_scope/sell.fulfillment https://api.ebay.com/oauth/api_scope/commerce.feedback https://api.ebay.com/oauth/api_scope/sell.marketing"}}
	basic := base64.StdEncoding.EncodeToString([]byte(c.cfg.ClientID + ":" + c.cfg.ClientSecret))
	req := marketplace.Request{Op: "refresh_token", Method: http.MethodPost, URL: c.cfg.AuthBase() + "/identity/v1/oauth2/token", Body: []byte(form.Encode()),
		Header: http.Header{"Content-Type": {"application/x-www-form-urlencoded"}, "Authorization": {"Basic " + basic}}}
	resp, err := c.http.Do(ctx, req)
	if err != nil {
		return marketplace.ShopToken{}, err
	}
	if !resp.OK() {
		return marketplace.ShopToken{}, c.fail(req, resp)
	}
	var tok struct {
		AccessToken string `json:"access_token"`
		ExpiresIn   int    `json:"expires_in"`
	}
	if err := c.http.Decode(req, resp, &tok); err != nil {
		return marketplace.ShopToken{}, err
	}
	return marketplace.ShopToken{AccessToken: tok.AccessToken, ExpiresAt: time.Now().Add(time.Duration(tok.ExpiresIn) * time.Second)}, nil
}

func (c *Client) url(format string, args ...any) string {
	for i, a := range args {
		args[i] = url.PathEscape(fmt.Sprint(a))
	}
	return c.cfg.BaseURL + fmt.Sprintf(format, args...)
}

type amount struct {
	Value    string `json:"value"`
	Currency string `json:"currency"`
}

func (a amount) money() cases.Money {
	m, _ := cases.ParseMoney(strings.TrimSpace(a.Value))
	return m
}
