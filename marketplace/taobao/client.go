// Package taobao is the Taobao/Tmall connector over the TOP gateway: signed
// form calls to one URL (method=taobao.traderates.get, app_key, session,
// timestamp, sign_method, sign, format=json, v=2.0), only to methods in TOP's
// published API metadata.
//
// Shop ids are seller nicks; a shop's credential is its TOP session key
// (ShopToken.AccessToken). An invalid session (code 27) is auth_revoked: the
// seller must authorize again (TOP refreshes sessions only for apps sold in
// the service market, so Redress does not).
//
// What TOP offers: rates (taobao.traderates.get), the Tmall seller's
// explanation (taobao.traderate.explain.add), 追评 (tmall.traderate.feeds.get),
// trades, logistics traces, refunds the seller received, shop coupons sent
// from an existing coupon template (taobao.promotion.coupon.send), and TMC
// messages pulled with taobao.tmc.messages.consume/confirm. What it does not:
// seller-to-buyer chat, seller-initiated refunds, reships, appeals: those are
// manual steps (NotSupported).
package taobao

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace"
)

// DefaultRates model TOP's per-app flow control per shop session (TOP sets
// the real quota per app; this is a conservative guess).
var DefaultRates = map[string]marketplace.Rate{
	marketplace.DefaultBucket: {N: 20, Per: time.Second, Burst: 20},
}

// Client is the Taobao connector.
type Client struct {
	cfg    marketplace.PlatformConfig
	http   *marketplace.HTTPCaller
	tokens marketplace.TokenStore
	// SignMethod is md5 (default) or hmac.
	SignMethod string
}

var _ marketplace.Connector = (*Client)(nil)

// New returns a connector; limits nil means DefaultRates.
func New(cfg marketplace.PlatformConfig, hc *http.Client, tokens marketplace.TokenStore, limits *marketplace.RateLimits) *Client {
	if limits == nil {
		limits = marketplace.NewRateLimits(DefaultRates)
	}
	return &Client{cfg: cfg, tokens: tokens, SignMethod: "md5",
		http: &marketplace.HTTPCaller{Marketplace: cases.Taobao, Client: hc, Limits: limits}}
}

func (c *Client) Marketplace() cases.Marketplace { return cases.Taobao }
func (c *Client) Caps() cases.PlatformRules      { return cases.RulesFor(cases.Taobao) }

var topZone = time.FixedZone("CST", 8*3600)

const topTime = "2006-01-02 15:04:05"

// topError is TOP's error envelope.
type topError struct {
	Code    int    `json:"code"`
	Msg     string `json:"msg"`
	SubCode string `json:"sub_code"`
	SubMsg  string `json:"sub_msg"`
}

var banSeconds = regexp.MustCompile(`(\d+)\s*more seconds`)

// classify maps TOP errors: code 7 (call limit) → rate_limited for the
// stated ban; invalid session → auth_revoked; isp.* → retryable; isv.* and
// the rest → permanent.
func (c *Client) classify(op string, e topError) *marketplace.Error {
	class := cases.ErrPermanent
	var retry time.Duration
	switch {
	case e.Code == 7:
		class = cases.ErrRateLimited
		retry = time.Second
		if m := banSeconds.FindStringSubmatch(e.SubMsg); m != nil {
			n, _ := strconv.Atoi(m[1])
			retry = time.Duration(n) * time.Second
		}
	case e.Code == 26 || e.Code == 27 || strings.HasPrefix(e.SubCode, "isv.session"):
		class = cases.ErrAuthRevoked
	case strings.HasPrefix(e.SubCode, "isp."):
		class = cases.ErrRetryable
	}
	code := e.SubCode
	if code == "" {
		code = strconv.Itoa(e.Code)
	}
	// TOP answers errors with HTTP 200, so there is no status to report.
	me := c.http.Errorf(op, class, 0, code, "%s: %s", e.Msg, e.SubMsg)
	me.RetryAfter = retry
	return me
}

// call signs and sends one TOP method with the shop's session and decodes
// its response object into out.
func (c *Client) call(ctx context.Context, op, shopID, method string, params url.Values, write bool, out any) error {
	tok, err := c.tokens.Get(ctx, cases.Taobao, shopID)
	if errors.Is(err, marketplace.ErrNoToken) {
		return &marketplace.Error{Marketplace: cases.Taobao, Op: op, Class: cases.ErrAuthRevoked, Code: "not_authorized", Message: "no session for shop " + shopID, Err: err}
	}
	if err != nil { // the token store is down (e.g. PostgreSQL restarting): try again
		return &marketplace.Error{Marketplace: cases.Taobao, Op: op, Class: cases.ErrRetryable, Code: "token_store", Message: err.Error(), Err: err}
	}
	return c.invoke(ctx, op, shopID, tok.AccessToken, method, params, write, out)
}

// invoke sends one TOP method; session is empty for app-level methods (TMC).
// Blank parameters are neither sent nor signed, as the official SDKs do.
func (c *Client) invoke(ctx context.Context, op, shopID, session, method string, params url.Values, write bool, out any) error {
	form := url.Values{}
	for k, v := range params {
		if len(v) > 0 && v[0] != "" {
			form.Set(k, v[0])
		}
	}
	form.Set("method", method)
	form.Set("app_key", c.cfg.ClientID)
	if session != "" {
		form.Set("session", session)
	}
	form.Set("timestamp", time.Now().In(topZone).Format(topTime))
	form.Set("format", "json")
	form.Set("v", "2.0")
	form.Set("sign_method", c.SignMethod)
	sign, err := Sign(form, c.cfg.ClientSecret, c.SignMethod)
	if err != nil {
		return marketplace.Invalid(cases.Taobao, op, "bad_sign_method", "%v", err)
	}
	form.Set("sign", sign)
	req := marketplace.Request{Op: op, ShopID: shopID, Bucket: marketplace.DefaultBucket, Method: http.MethodPost, URL: c.cfg.BaseURL + "/router/rest",
		Header: http.Header{"Content-Type": {"application/x-www-form-urlencoded;charset=utf-8"}}, Body: []byte(form.Encode()), Write: write}
	resp, err := c.http.Do(ctx, req)
	if err != nil {
		return err
	}
	if !resp.OK() {
		return c.http.Errorf(op, marketplace.ClassForStatus(resp.Status), resp.Status, "http", "gateway answered %d", resp.Status)
	}
	var env map[string]json.RawMessage
	if err := c.http.Decode(req, resp, &env); err != nil {
		return err
	}
	if raw, ok := env["error_response"]; ok {
		var e topError
		_ = json.Unmarshal(raw, &e)
		return c.classify(op, e)
	}
	raw, ok := env[ResponseKey(method)]
	if !ok {
		class := cases.ErrRetryable
		if write {
			class = cases.ErrAmbiguous
		}
		return c.http.Errorf(op, class, resp.Status, "bad_response", "no %s in the answer", ResponseKey(method))
	}
	if out == nil {
		return nil
	}
	return c.http.Decode(req, &marketplace.Response{Status: resp.Status, Body: raw}, out)
}

// topTimeOf parses TOP's local (UTC+8) timestamps.
func topTimeOf(s string) time.Time {
	t, err := time.ParseInLocation(topTime, s, topZone)
	if err != nil {
		return time.Time{}
	}
	return t.UTC()
}

func topTimePtr(s string) *time.Time {
	if s == "" {
		return nil
	}
	t := topTimeOf(s)
	return &t
}
