package marketplace

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/redress-hq/redress/cases"
)

// RefreshFunc exchanges a refresh token at the platform's token endpoint.
// It returns the new token (with the rotated refresh token, if the platform
// rotates) or a classified error: invalid_grant must be ErrAuthRevoked.
type RefreshFunc func(ctx context.Context, refreshToken string) (ShopToken, error)

// OAuthTokens hands out shop access tokens and refreshes them, once per shop
// at a time: Mercado Libre refresh tokens are single-use, so two concurrent
// refreshes would revoke the shop.
type OAuthTokens struct {
	Marketplace cases.Marketplace
	Store       TokenStore
	Refresh     RefreshFunc
	// Skew refreshes this long before the stated expiry.
	Skew time.Duration
	// Unauthorized says a response refused the access token; nil means
	// HTTP 401 (SP-API answers an expired token with 403 Unauthorized).
	Unauthorized func(*Response) bool

	mu    sync.Mutex
	shops map[string]*sync.Mutex
}

func (o *OAuthTokens) shopLock(shopID string) *sync.Mutex {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.shops == nil {
		o.shops = map[string]*sync.Mutex{}
	}
	l, ok := o.shops[shopID]
	if !ok {
		l = &sync.Mutex{}
		o.shops[shopID] = l
	}
	return l
}

// Access returns a usable access token, refreshing one that has expired.
func (o *OAuthTokens) Access(ctx context.Context, shopID string) (string, error) {
	tok, err := o.load(ctx, shopID)
	if err != nil {
		return "", err
	}
	if tok.AccessToken != "" && (tok.ExpiresAt.IsZero() || time.Now().Add(o.Skew).Before(tok.ExpiresAt)) {
		return tok.AccessToken, nil
	}
	return o.Renew(ctx, shopID, tok.AccessToken)
}

// Renew refreshes the shop's token after the platform refused stale. If
// another call already replaced stale, that newer token is returned without
// spending the refresh token again. Calls in this process wait on a mutex;
// a Store that is a ShopLocker also holds other processes off, so the
// single-use refresh token is spent once across every worker.
func (o *OAuthTokens) Renew(ctx context.Context, shopID, stale string) (string, error) {
	l := o.shopLock(shopID)
	l.Lock()
	defer l.Unlock()
	locker, ok := o.Store.(ShopLocker)
	if !ok {
		return o.renew(ctx, shopID, stale)
	}
	var access string
	err := locker.WithShopLock(ctx, o.Marketplace, shopID, func(ctx context.Context) error {
		var err error
		access, err = o.renew(ctx, shopID, stale)
		return err
	})
	var classified *Error
	if err != nil && !errors.As(err, &classified) { // the lock itself failed: try again later
		return "", &Error{Marketplace: o.Marketplace, Op: "refresh_token", Class: cases.ErrRetryable, Code: "token_lock", Message: err.Error(), Err: err}
	}
	return access, err
}

// renew is Renew's read-refresh-write, run under the shop's locks.
func (o *OAuthTokens) renew(ctx context.Context, shopID, stale string) (string, error) {
	tok, err := o.load(ctx, shopID)
	if err != nil {
		return "", err
	}
	if tok.AccessToken != "" && tok.AccessToken != stale {
		return tok.AccessToken, nil
	}
	if tok.RefreshToken == "" {
		return "", &Error{Marketplace: o.Marketplace, Op: "refresh_token", Class: cases.ErrAuthRevoked, Code: "no_refresh_token", Message: "shop " + shopID + " must be authorized again"}
	}
	fresh, err := o.Refresh(ctx, tok.RefreshToken)
	if err != nil {
		return "", err
	}
	fresh.Marketplace, fresh.ShopID = o.Marketplace, shopID
	if fresh.RefreshToken == "" { // platforms that do not rotate keep the old one
		fresh.RefreshToken = tok.RefreshToken
	}
	slog.InfoContext(ctx, "marketplace token refreshed", "marketplace", o.Marketplace, "shop", shopID, "expires_at", fresh.ExpiresAt)
	if err := o.Store.Put(ctx, fresh); err != nil {
		// The old refresh token may already be spent: the shop must re-authorize.
		return "", &Error{Marketplace: o.Marketplace, Op: "refresh_token", Class: cases.ErrAuthRevoked, Code: "token_store", Message: "saving the refreshed token failed", Err: err}
	}
	return fresh.AccessToken, nil
}

func (o *OAuthTokens) load(ctx context.Context, shopID string) (ShopToken, error) {
	tok, err := o.Store.Get(ctx, o.Marketplace, shopID)
	if errors.Is(err, ErrNoToken) {
		return ShopToken{}, &Error{Marketplace: o.Marketplace, Op: "token", Class: cases.ErrAuthRevoked, Code: "not_authorized", Message: "shop " + shopID + " is not authorized", Err: err}
	}
	if err != nil {
		return ShopToken{}, &Error{Marketplace: o.Marketplace, Op: "token", Class: cases.ErrRetryable, Code: "token_store", Message: err.Error(), Err: err}
	}
	return tok, nil
}

func (o *OAuthTokens) refused(resp *Response) bool {
	if o.Unauthorized != nil {
		return o.Unauthorized(resp)
	}
	return resp.Status == 401
}

// AuthorizedDo sends a call with the shop's bearer token. When the token is refused it
// renews it once and retries; a second refusal is returned as the response for
// the connector to classify (auth_expired).
func (o *OAuthTokens) AuthorizedDo(ctx context.Context, c *HTTPCaller, req Request, authorize func(h map[string][]string, token string)) (*Response, error) {
	token, err := o.Access(ctx, req.ShopID)
	if err != nil {
		return nil, err
	}
	send := func(token string) (*Response, error) {
		r := req
		r.Header = cloneHeader(req.Header)
		authorize(r.Header, token)
		return c.Do(ctx, r)
	}
	resp, err := send(token)
	if err != nil || !o.refused(resp) {
		return resp, err
	}
	token, err = o.Renew(ctx, req.ShopID, token)
	if err != nil {
		return nil, err
	}
	return send(token)
}

func cloneHeader(h map[string][]string) map[string][]string {
	out := make(map[string][]string, len(h)+1)
	for k, v := range h {
		out[k] = append([]string(nil), v...)
	}
	return out
}
