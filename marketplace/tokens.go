package marketplace

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/redress-hq/redress/cases"
)

// ShopToken is one shop's credentials on one platform.
type ShopToken struct {
	Marketplace  cases.Marketplace `json:"marketplace"`
	ShopID       string            `json:"shop_id"`
	AccessToken  string            `json:"access_token"` // Taobao: the session key
	RefreshToken string            `json:"refresh_token"`
	ExpiresAt    time.Time         `json:"expires_at"` // zero: unknown, use until refused
}

// ErrNoToken means the shop has never been authorized on the platform.
var ErrNoToken = errors.New("no token for shop")

// TokenStore keeps shop tokens. Mercado Libre refresh tokens are single-use
// and rotate on every refresh, so the new pair must be saved before the old
// one is forgotten; a store shared by several processes must also serialize
// refreshes per shop by implementing ShopLocker.
type TokenStore interface {
	Get(ctx context.Context, m cases.Marketplace, shopID string) (ShopToken, error)
	Put(ctx context.Context, tok ShopToken) error
}

// ShopLocker is a TokenStore shared by several processes that can hold one
// shop's refresh against all of them (a PostgreSQL advisory lock): while fn
// runs, no other process refreshes that shop.
type ShopLocker interface {
	WithShopLock(ctx context.Context, m cases.Marketplace, shopID string, fn func(context.Context) error) error
}

// MemoryTokenStore is the default TokenStore: correct for one process only.
type MemoryTokenStore struct {
	mu     sync.Mutex
	tokens map[string]ShopToken
}

// NewMemoryTokenStore returns a store holding the given tokens.
func NewMemoryTokenStore(initial ...ShopToken) *MemoryTokenStore {
	s := &MemoryTokenStore{tokens: map[string]ShopToken{}}
	for _, t := range initial {
		s.tokens[tokenKey(t.Marketplace, t.ShopID)] = t
	}
	return s
}

func tokenKey(m cases.Marketplace, shopID string) string { return string(m) + "\x00" + shopID }

func (s *MemoryTokenStore) Get(_ context.Context, m cases.Marketplace, shopID string) (ShopToken, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.tokens[tokenKey(m, shopID)]
	if !ok {
		return ShopToken{}, ErrNoToken
	}
	return t, nil
}

func (s *MemoryTokenStore) Put(_ context.Context, tok ShopToken) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tokens[tokenKey(tok.Marketplace, tok.ShopID)] = tok
	return nil
}
