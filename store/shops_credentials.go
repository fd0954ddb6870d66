package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/redress-hq/redress/cases"
)

// Sealer encrypts shops' credentials at rest (AES-256-GCM: a
// keyring.Ring from the environment satisfies it; by default the
// deployment's REDRESS_DATA_KEYS ring). The key id is kept
// beside the sealed value so old keys still open after a rotation.
type Sealer interface {
	Seal(plaintext, aad []byte) (kid string, sealed []byte)
	Open(kid string, sealed, aad []byte) ([]byte, error)
}

type credentialKeys struct{ sealer atomic.Pointer[Sealer] }

// ErrNoCredentialKey: credentials cannot be stored or read without a key.
var ErrNoCredentialKey = errors.New("store: no key to seal shop credentials")

// SetCredentialSealer sets the key ring that seals shops' credentials, for
// this store and every RequireScope copy of it.
func (s *Store) SetCredentialSealer(k Sealer) { s.credKeys.sealer.Store(&k) }

// credentialSealer is the sealer set for credentials, else the
// deployment's data key ring (REDRESS_DATA_KEYS, UseDataKeys).
func (s *Store) credentialSealer() (Sealer, error) {
	if p := s.credKeys.sealer.Load(); p != nil && *p != nil {
		return *p, nil
	}
	if r := s.dataRing(); r != nil {
		return r, nil
	}
	return nil, ErrNoCredentialKey
}

// ShopCredentials are what Redress holds to call a platform for a shop.
type ShopCredentials struct {
	AccessToken  string     `json:"access_token,omitempty"`
	RefreshToken string     `json:"refresh_token,omitempty"`
	ExpiresAt    *time.Time `json:"expires_at,omitempty"`
	// Extra holds platform-specific values (Taobao session key, Amazon
	// selling partner id).
	Extra map[string]string `json:"extra,omitempty"`
}

// credentialAAD binds sealed credentials to their shop: a row copied onto
// another shop does not open.
func credentialAAD(m cases.Marketplace, shopID string) []byte {
	return []byte("redress/shop-credentials/" + string(m) + "/" + shopID)
}

// SetShopCredentials seals and stores a shop's credentials (the shop must
// be in the caller's scope).
func (s *Store) SetShopCredentials(ctx context.Context, m cases.Marketplace, shopID string, creds ShopCredentials) error {
	sealer, err := s.credentialSealer()
	if err != nil {
		return err
	}
	plain, err := json.Marshal(creds)
	if err != nil {
		return fmt.Errorf("seal credentials: %w", err)
	}
	kid, sealed := sealer.Seal(plain, credentialAAD(m, shopID))
	res, err := s.db.ExecContext(ctx, `UPDATE shops SET credentials = $3, credentials_key = $4, updated_at = now()
WHERE marketplace = $1 AND shop_id = $2`, m, shopID, sealed, kid)
	if err != nil {
		return wrap("set credentials of "+ShopKey(string(m), shopID), err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("set credentials of %s: %w", ShopKey(string(m), shopID), ErrNotFound)
	}
	return nil
}

// ShopCredentialsOf opens a shop's stored credentials; ErrNotFound when the
// shop is unknown, out of scope or has none.
func (s *Store) ShopCredentialsOf(ctx context.Context, m cases.Marketplace, shopID string) (ShopCredentials, error) {
	sealer, err := s.credentialSealer()
	if err != nil {
		return ShopCredentials{}, err
	}
	var row struct {
		Sealed []byte `db:"credentials"`
		Kid    string `db:"credentials_key"`
	}
	err = s.db.GetContext(ctx, &row, `SELECT credentials, credentials_key FROM shops
WHERE marketplace = $1 AND shop_id = $2 AND credentials IS NOT NULL`, m, shopID)
	if err != nil {
		return ShopCredentials{}, wrap("credentials of "+ShopKey(string(m), shopID), err)
	}
	plain, err := sealer.Open(row.Kid, row.Sealed, credentialAAD(m, shopID))
	if err != nil {
		return ShopCredentials{}, fmt.Errorf("open credentials of %s: %w", ShopKey(string(m), shopID), err)
	}
	var c ShopCredentials
	if err := json.Unmarshal(plain, &c); err != nil {
		return ShopCredentials{}, fmt.Errorf("decode credentials of %s: %w", ShopKey(string(m), shopID), err)
	}
	return c, nil
}

// ShopToken is the platform token the connectors use for a shop: the shop's
// sealed credentials when it was connected through the API, else the
// marketplace_tokens row (a single-seller deployment's MARKETPLACE_SHOP_TOKENS).
// It runs as the system: the worker's connectors call it for every
// organisation's shops. ErrNotFound when the shop has neither.
func (s *Store) ShopToken(ctx context.Context, m cases.Marketplace, shopID string) (MarketplaceToken, error) {
	ctx = WithScope(ctx, SystemScope())
	creds, err := s.ShopCredentialsOf(ctx, m, shopID)
	switch {
	case err == nil && (creds.AccessToken != "" || creds.RefreshToken != ""):
		return MarketplaceToken{Marketplace: m, ShopID: shopID, AccessToken: creds.AccessToken,
			RefreshToken: creds.RefreshToken, ExpiresAt: creds.ExpiresAt}, nil
	case err != nil && !errors.Is(err, ErrNotFound) && !errors.Is(err, ErrNoCredentialKey):
		return MarketplaceToken{}, err
	}
	return s.GetMarketplaceToken(ctx, m, shopID)
}

// PutShopToken keeps a refreshed (for Mercado Libre, rotated) token where
// the shop keeps its credentials: sealed in its row when it was connected
// through the API (other values such as Extra stay), else marketplace_tokens.
func (s *Store) PutShopToken(ctx context.Context, t MarketplaceToken) error {
	ctx = WithScope(ctx, SystemScope())
	creds, err := s.ShopCredentialsOf(ctx, t.Marketplace, t.ShopID)
	switch {
	case err == nil:
		creds.AccessToken, creds.RefreshToken, creds.ExpiresAt = t.AccessToken, t.RefreshToken, t.ExpiresAt
		return s.SetShopCredentials(ctx, t.Marketplace, t.ShopID, creds)
	case !errors.Is(err, ErrNotFound) && !errors.Is(err, ErrNoCredentialKey):
		return err
	}
	return s.PutMarketplaceToken(ctx, t)
}
