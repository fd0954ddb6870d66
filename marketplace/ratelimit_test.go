package marketplace_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace"
)

// sharedQuota records reservations and answers a fixed wait.
type sharedQuota struct {
	mu    sync.Mutex
	keys  []string
	every []time.Duration
	wait  time.Duration
	err   error
}

func (q *sharedQuota) ReserveQuota(_ context.Context, key string, interval time.Duration, burst int) (time.Duration, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.keys, q.every = append(q.keys, key), append(q.every, interval)
	return q.wait, q.err
}

// A shared quota is asked for every call, per platform, bucket and shop, at
// the bucket's spacing; its wait is honoured and its failure returned.
func TestSharedRateLimitsReserveEachCall(t *testing.T) {
	ctx := context.Background()
	q := &sharedQuota{}
	limits := marketplace.NewRateLimits(map[string]marketplace.Rate{
		marketplace.DefaultBucket: {N: 100, Per: time.Second, Burst: 100},
		"orders":                  {N: 1, Per: time.Second, Burst: 5},
	}).Share("mercadolibre", q)
	require.NoError(t, limits.Wait(ctx, "orders", "1001"))
	require.NoError(t, limits.Wait(ctx, "messages", "1002")) // no own rate: the default bucket's
	assert.Equal(t, []string{"mercadolibre/orders/1001", "mercadolibre/default/1002"}, q.keys)
	assert.Equal(t, []time.Duration{time.Second, 10 * time.Millisecond}, q.every)

	q.wait = time.Hour // the shop's slot is far off: the caller's deadline ends the wait
	short, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	assert.ErrorIs(t, limits.Wait(short, "orders", "1001"), context.DeadlineExceeded)

	q.wait, q.err = 0, errors.New("database down")
	assert.Error(t, limits.Wait(ctx, "orders", "1001"))
}

// lockingStore is a token store that counts the cross-process locks taken.
type lockingStore struct {
	*marketplace.MemoryTokenStore
	mu    sync.Mutex
	locks int
	held  bool
}

func (s *lockingStore) WithShopLock(ctx context.Context, m cases.Marketplace, shopID string, fn func(context.Context) error) error {
	s.mu.Lock()
	s.locks++
	s.held = true
	s.mu.Unlock()
	defer func() { s.mu.Lock(); s.held = false; s.mu.Unlock() }()
	return fn(ctx)
}

// A store that can lock a shop across processes holds that lock around the
// read-refresh-write, and a refresh runs only inside it.
func TestRenewRefreshesUnderTheStoresShopLock(t *testing.T) {
	ctx := context.Background()
	store := &lockingStore{MemoryTokenStore: marketplace.NewMemoryTokenStore(
		marketplace.ShopToken{Marketplace: cases.MercadoLibre, ShopID: "s", AccessToken: "old", RefreshToken: "r0"})}
	tokens := &marketplace.OAuthTokens{Marketplace: cases.MercadoLibre, Store: store,
		Refresh: func(ctx context.Context, refresh string) (marketplace.ShopToken, error) {
			store.mu.Lock()
			defer store.mu.Unlock()
			if !store.held {
				t.Error("refreshed outside the shop lock")
			}
			return marketplace.ShopToken{AccessToken: "new", RefreshToken: "r1"}, nil
		}}
	tok, err := tokens.Renew(ctx, "s", "old")
	require.NoError(t, err)
	assert.Equal(t, "new", tok)
	tok, err = tokens.Renew(ctx, "s", "old") // another caller with the stale token: no second refresh
	require.NoError(t, err)
	assert.Equal(t, "new", tok)
	assert.Equal(t, 2, store.locks)
	saved, err := store.Get(ctx, cases.MercadoLibre, "s")
	require.NoError(t, err)
	assert.Equal(t, "r1", saved.RefreshToken)
}
