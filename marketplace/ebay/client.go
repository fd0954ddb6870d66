// Package ebay is the eBay connector over eBay's REST APIs, as their OpenAPI
// documents define them (tested against them in contract_test.go): OAuth
// user tokens (/identity/v1/oauth2/token), the Feedback API (getFeedback,
// respondToFeedback), the Message API (getConversations, getConversation,
// sendMessage), Sell Fulfillment (getOrder, getOrders,
// getShippingFulfillments, issueRefund), Sell Marketing coded coupons
// (createItemPromotion, getPromotions) and Notification API public keys for
// verifying notifications.
//
// Public replies need human approval on eBay (Caps().ReplyNeedsHumanApproval):
// the connector posts what it is given; the workflow must have the approval.
//
// Exactly once, with no idempotency keys on eBay: a feedback takes one reply
// (the same text is a replay); messages are read back by exact text in the
// buyer's conversations about the order's listings; a refund of the same
// amount already on the order is this refund, replayed; coupons use a code
// derived from the key. eBay has no reship API (a person ships).
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

// DefaultRates: eBay publishes daily quotas per API, not per-second rates;
// messaging shares eBay's member-message limit in its own bucket.
var DefaultRates = map[string]marketplace.Rate{
	marketplace.DefaultBucket: {N: 5, Per: time.Second, Burst: 10},
	messagesBucket:            {N: 75, Per: time.Minute, Burst: 75},
}

const messagesBucket = "messages"

// userScopes are the OAuth scopes the operations the connector calls declare
// in their security requirements (see contract_test.go).
var userScopes = []string{
	"https://api.ebay.com/oauth/api_scope/commerce.feedback", // getFeedback, respondToFeedback
	"https://api.ebay.com/oauth/api_scope/commerce.message",  // getConversations, getConversation, sendMessage
	"https://api.ebay.com/oauth/api_scope/sell.fulfillment",  // getOrder, getOrders, getShippingFulfillments
	"https://api.ebay.com/oauth/api_scope/sell.finances",     // issueRefund
	"https://api.ebay.com/oauth/api_scope/sell.marketing",    // createItemPromotion, getPromotions
}

// appScope is the application-token scope of getPublicKey.
const appScope = "https://api.ebay.com/oauth/api_scope"

// Client is the eBay connector. Shop ids are seller usernames.
type Client struct {
	cfg    marketplace.PlatformConfig
	http   *marketplace.HTTPCaller
	tokens *marketplace.OAuthTokens
	rest   *marketplace.RESTClient
	keys   *publicKeys
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
	if cfg.MarketplaceID == "" {
		cfg.MarketplaceID = "EBAY_US"
	}
	c := &Client{cfg: cfg, http: &marketplace.HTTPCaller{Marketplace: cases.EBay, Client: hc, Limits: limits}}
	c.tokens = &marketplace.OAuthTokens{Marketplace: cases.EBay, Store: store, Refresh: c.refresh, Skew: time.Minute}
	c.rest = &marketplace.RESTClient{HTTP: c.http, Tokens: c.tokens, Authorize: marketplace.BearerAuth, Fail: c.fail}
	c.keys = &publicKeys{client: c, byKid: map[string]publicKey{}}
	return c
}

func (c *Client) Marketplace() cases.Marketplace { return cases.EBay }
func (c *Client) Caps() cases.PlatformRules      { return cases.RulesFor(cases.EBay) }

type apiError struct {
	Errors []struct {
		ErrorID  int    `json:"errorId"`
		Category string `json:"category"` // REQUEST, APPLICATION, BUSINESS
		Message  string `json:"message"`
	} `json:"errors"`
	// OAuth endpoint errors.
	Error            string `json:"error"`
	ErrorDescription string `json:"error_description"`
}

// fail classifies eBay errors by status (eBay's categories REQUEST,
// APPLICATION and BUSINESS are all the caller's to fix): 5xx retryable, 429
// rate_limited, 401 auth_expired, invalid_grant/invalid_client auth_revoked.
func (c *Client) fail(req marketplace.Request, resp *marketplace.Response) error {
	var body apiError
	_ = json.Unmarshal(resp.Body, &body)
	class := marketplace.ClassForStatus(resp.Status)
	code, msg := body.Error, body.ErrorDescription
	if len(body.Errors) > 0 {
		code, msg = fmt.Sprint(body.Errors[0].ErrorID), body.Errors[0].Message
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

type tokenAnswer struct {
	AccessToken string `json:"access_token"`
	ExpiresIn   int    `json:"expires_in"`
}

// grant asks the token endpoint for an access token (user or application).
func (c *Client) grant(ctx context.Context, op string, form url.Values) (tokenAnswer, error) {
	basic := base64.StdEncoding.EncodeToString([]byte(c.cfg.ClientID + ":" + c.cfg.ClientSecret))
	req := marketplace.Request{Op: op, Method: http.MethodPost, URL: c.cfg.AuthBase() + "/identity/v1/oauth2/token", Body: []byte(form.Encode()),
		Header: http.Header{"Content-Type": {"application/x-www-form-urlencoded"}, "Authorization": {"Basic " + basic}}}
	resp, err := c.http.Do(ctx, req)
	if err != nil {
		return tokenAnswer{}, err
	}
	if !resp.OK() {
		return tokenAnswer{}, c.fail(req, resp)
	}
	var tok tokenAnswer
	err = c.http.Decode(req, resp, &tok)
	return tok, err
}

// refresh gets a user access token; eBay refresh tokens do not rotate.
func (c *Client) refresh(ctx context.Context, refreshToken string) (marketplace.ShopToken, error) {
	tok, err := c.grant(ctx, "refresh_token", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {refreshToken}, "scope": {strings.Join(userScopes, " ")}})
	if err != nil {
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
