package marketplace_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace"
)

func TestConcurrentRenewSpendsTheRefreshTokenOnce(t *testing.T) {
	ctx := context.Background()
	store := marketplace.NewMemoryTokenStore(marketplace.ShopToken{Marketplace: cases.MercadoLibre, ShopID: "s", AccessToken: "old", RefreshToken: "r0"})
	var refreshes atomic.Int32
	tokens := &marketplace.OAuthTokens{Marketplace: cases.MercadoLibre, Store: store,
		Refresh: func(ctx context.Context, refresh string) (marketplace.ShopToken, error) {
			if refreshes.Add(1) > 1 {
				return marketplace.ShopToken{}, errors.New("refresh token already used")
			}
			time.Sleep(10 * time.Millisecond)
			return marketplace.ShopToken{AccessToken: "new", RefreshToken: "r1"}, nil
		}}
	var wg sync.WaitGroup
	got := make([]string, 8)
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tok, err := tokens.Renew(ctx, "s", "old")
			assert.NoError(t, err)
			got[i] = tok
		}()
	}
	wg.Wait()
	assert.Equal(t, int32(1), refreshes.Load())
	for _, tok := range got {
		assert.Equal(t, "new", tok)
	}
	saved, err := store.Get(ctx, cases.MercadoLibre, "s")
	require.NoError(t, err)
	assert.Equal(t, "r1", saved.RefreshToken)
}

func TestUnknownShopIsAuthRevoked(t *testing.T) {
	tokens := &marketplace.OAuthTokens{Marketplace: cases.EBay, Store: marketplace.NewMemoryTokenStore()}
	_, err := tokens.Access(context.Background(), "nobody")
	assert.Equal(t, cases.ErrAuthRevoked, marketplace.ClassOf(err))
}

func TestLostAnswerToAWriteIsAmbiguous(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, _, _ := w.(http.Hijacker).Hijack()
		conn.Close()
	}))
	defer srv.Close()
	c := &marketplace.HTTPCaller{Marketplace: cases.EBay, Client: srv.Client()}
	_, err := c.Do(context.Background(), marketplace.Request{Op: "w", Method: http.MethodPost, URL: srv.URL, Write: true})
	assert.Equal(t, cases.ErrAmbiguous, marketplace.ClassOf(err))
	_, err = c.Do(context.Background(), marketplace.Request{Op: "r", Method: http.MethodGet, URL: srv.URL})
	assert.Equal(t, cases.ErrRetryable, marketplace.ClassOf(err))
}

func TestRateLimitWaitRespectsContext(t *testing.T) {
	l := marketplace.NewRateLimits(map[string]marketplace.Rate{marketplace.DefaultBucket: {N: 1, Per: time.Hour, Burst: 1}})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	require.NoError(t, l.Wait(ctx, "", "shop-a"))
	require.NoError(t, l.Wait(ctx, "", "shop-b"), "shops have their own buckets")
	assert.Error(t, l.Wait(ctx, "", "shop-a"))
}

func TestRetryAfter(t *testing.T) {
	assert.Equal(t, 3*time.Second, marketplace.RetryAfter(http.Header{"Retry-After": {"3"}}))
	assert.Equal(t, time.Duration(0), marketplace.RetryAfter(http.Header{}))
	future := time.Now().Add(90 * time.Second).UTC().Format(http.TimeFormat)
	d := marketplace.RetryAfter(http.Header{"Retry-After": {future}})
	assert.InDelta(t, 90, d.Seconds(), 2)
	assert.Equal(t, cases.ErrRateLimited, marketplace.ClassForStatus(429))
	assert.Equal(t, cases.ErrRetryable, marketplace.ClassForStatus(502))
	assert.Equal(t, cases.ErrPermanent, marketplace.ClassForStatus(415))
}

func TestWriteOnceReadsBackFirst(t *testing.T) {
	ctx := context.Background()
	writes := 0
	write := func(ctx context.Context) (string, error) { writes++; return "new", nil }
	res, err := marketplace.WriteOnce(ctx, func(ctx context.Context) (string, bool, error) { return "old", true, nil }, write)
	require.NoError(t, err)
	assert.Equal(t, marketplace.WriteResult{ID: "old", Replayed: true}, res)
	assert.Zero(t, writes)
	res, err = marketplace.WriteOnce(ctx, func(ctx context.Context) (string, bool, error) { return "", false, nil }, write)
	require.NoError(t, err)
	assert.Equal(t, marketplace.WriteResult{ID: "new"}, res)
	assert.Equal(t, 1, writes)
}

func TestFileTokenStoreSurvivesReopen(t *testing.T) {
	ctx := context.Background()
	path := t.TempDir() + "/tokens.json"
	s := marketplace.NewFileTokenStore(path)
	_, err := s.Get(ctx, cases.MercadoLibre, "1")
	assert.ErrorIs(t, err, marketplace.ErrNoToken)
	require.NoError(t, s.Put(ctx, marketplace.ShopToken{Marketplace: cases.MercadoLibre, ShopID: "1", RefreshToken: "r1"}))
	require.NoError(t, s.Put(ctx, marketplace.ShopToken{Marketplace: cases.MercadoLibre, ShopID: "1", RefreshToken: "r2"}))
	require.NoError(t, s.Put(ctx, marketplace.ShopToken{Marketplace: cases.EBay, ShopID: "1", RefreshToken: "e"}))
	again := marketplace.NewFileTokenStore(path)
	tok, err := again.Get(ctx, cases.MercadoLibre, "1")
	require.NoError(t, err)
	assert.Equal(t, "r2", tok.RefreshToken, "the rotated token is what survives")
	tok, err = again.Get(ctx, cases.EBay, "1")
	require.NoError(t, err)
	assert.Equal(t, "e", tok.RefreshToken)
}
