package store_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/store"
	"github.com/redress-hq/redress/store/storetest"
)

func TestRecordWebhookDelivery(t *testing.T) {
	s := storetest.New(t)
	ctx := context.Background()

	first, err := s.RecordWebhookDelivery(ctx, "ebay", "d-1")
	require.NoError(t, err)
	assert.True(t, first)
	first, err = s.RecordWebhookDelivery(ctx, "ebay", "d-1")
	require.NoError(t, err)
	assert.False(t, first, "a redelivery")
	first, err = s.RecordWebhookDelivery(ctx, "mercadolibre", "d-1")
	require.NoError(t, err)
	assert.True(t, first, "delivery ids are per marketplace")

	_, err = s.RecordWebhookDelivery(ctx, "ebay", "")
	assert.ErrorIs(t, err, store.ErrInvalid)
}

func TestRecordWebhookDeliveryConcurrentlyIsFirstOnce(t *testing.T) {
	s := storetest.New(t)
	ctx := context.Background()
	var firsts atomic.Int32
	var wg sync.WaitGroup
	for range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			first, err := s.RecordWebhookDelivery(ctx, "taobao", "d-race")
			assert.NoError(t, err)
			if first {
				firsts.Add(1)
			}
		}()
	}
	wg.Wait()
	assert.Equal(t, int32(1), firsts.Load())
}

func TestPollCursors(t *testing.T) {
	s := storetest.New(t)
	ctx := context.Background()

	got, err := s.GetCursor(ctx, cases.Amazon, "shop-1")
	require.NoError(t, err)
	assert.Empty(t, got, "never polled")

	require.NoError(t, s.SetCursor(ctx, cases.Amazon, "shop-1", "page-2"))
	require.NoError(t, s.SetCursor(ctx, cases.Amazon, "shop-1", "page-3"))
	require.NoError(t, s.SetCursor(ctx, cases.Amazon, "shop-2", "page-9"))

	got, err = s.GetCursor(ctx, cases.Amazon, "shop-1")
	require.NoError(t, err)
	assert.Equal(t, "page-3", got)
	got, err = s.GetCursor(ctx, cases.Taobao, "shop-1")
	require.NoError(t, err)
	assert.Empty(t, got, "cursors are per marketplace")
}

func TestSetCourierVolume(t *testing.T) {
	s := storetest.New(t)
	ctx := context.Background()
	mid := time.Date(2026, 9, 17, 15, 0, 0, 0, time.UTC)
	require.NoError(t, s.SetCourierVolume(ctx, "shop-1", "Correios", mid, 100))
	require.NoError(t, s.SetCourierVolume(ctx, "shop-1", "Correios", mid.AddDate(0, 0, 3), 120))

	var rows []struct {
		Month     time.Time `db:"month"`
		Shipments int       `db:"shipments"`
	}
	require.NoError(t, s.DB().Select(&rows, `SELECT month, shipments FROM courier_volumes`))
	require.Len(t, rows, 1, "one row per month: a second upload replaces the first")
	assert.Equal(t, "2026-09-01", rows[0].Month.Format(time.DateOnly))
	assert.Equal(t, 120, rows[0].Shipments)

	assert.ErrorIs(t, s.SetCourierVolume(ctx, "shop-1", "Correios", mid, -1), store.ErrInvalid)
	assert.ErrorIs(t, s.SetCourierVolume(ctx, "shop-1", "", mid, 1), store.ErrInvalid)
}
