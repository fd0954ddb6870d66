package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/store"
	"github.com/redress-hq/redress/store/storetest"
)

func TestOrderCareRowsTouchpointsAndPreemptiveTasks(t *testing.T) {
	ctx := context.Background()
	s := storetest.New(t)

	_, err := s.GetOrderCareShop(ctx, cases.EBay, "s1")
	require.ErrorIs(t, err, store.ErrNotFound)
	shop, err := s.PutOrderCareShop(ctx, store.OrderCareShop{Marketplace: cases.EBay, ShopID: "s1", Enabled: true, TimeZone: "UTC", QuietStart: 21, QuietEnd: 8})
	require.NoError(t, err)
	assert.True(t, shop.Enabled)

	o := store.CareOrder{Key: "ebay:s1:o1", Marketplace: cases.EBay, ShopID: "s1", OrderID: "o1", WorkflowID: "order-ebay-s1-o1",
		Status: "shipped", State: json.RawMessage(`{"v":2}`), StartedAt: day0, UpdatedAt: day0, Version: 2}
	require.NoError(t, s.SyncCareOrder(ctx, o))
	old := o
	old.Status, old.Version = "pending", 1
	require.NoError(t, s.SyncCareOrder(ctx, old))
	got, err := s.GetCareOrder(ctx, cases.EBay, "s1", "o1")
	require.NoError(t, err)
	assert.Equal(t, "shipped", got.Status, "an older version never overwrites a newer one")

	row := store.TouchpointRow{OrderKey: o.Key, Touchpoint: "shipped", Marketplace: cases.EBay, ShopID: "s1", Outcome: "sent", Text: "first", At: day0}
	first, err := s.RecordTouchpoint(ctx, row)
	require.NoError(t, err)
	row.Text = "second"
	again, err := s.RecordTouchpoint(ctx, row)
	require.NoError(t, err)
	assert.Equal(t, first.Text, again.Text)
	assert.Equal(t, "first", again.Text)

	pt := store.PreemptiveTask{ID: "pt-1", OrderKey: o.Key, Marketplace: cases.EBay, ShopID: "s1", OrderID: "o1", Signal: "tracking_stalled", RaisedAt: day0}
	ok, err := s.RaisePreemptiveTask(ctx, pt)
	require.NoError(t, err)
	assert.True(t, ok)
	ok, err = s.RaisePreemptiveTask(ctx, pt)
	require.NoError(t, err)
	assert.False(t, ok)
	done, err := s.CompletePreemptiveTask(ctx, "pt-1", "ana", "called the carrier")
	require.NoError(t, err)
	assert.Equal(t, "done", done.Status)
	_, err = s.CompletePreemptiveTask(ctx, "pt-1", "ana", "again")
	require.ErrorIs(t, err, store.ErrConflict)
}

func TestMessageCentreOrderAnswerAndStats(t *testing.T) {
	ctx := context.Background()
	s := storetest.New(t)
	now := time.Now().UTC().Truncate(time.Second)
	q := store.BuyerMessage{ID: "bm-q", Marketplace: cases.MercadoLibre, ShopID: "1001", ExternalID: "Q1", Kind: "question",
		Text: "¿Tienen talle M?", ReceivedAt: now, DueAt: now.Add(24 * time.Hour)}
	c := store.BuyerMessage{ID: "bm-c", Marketplace: cases.EBay, ShopID: "s1", ExternalID: "M1", Kind: "message", OrderID: "o1",
		Text: "Where is my order?", Complaint: true, ReceivedAt: now, DueAt: now.Add(12 * time.Hour)}
	for _, m := range []store.BuyerMessage{q, c} {
		_, first, err := s.AddBuyerMessage(ctx, m)
		require.NoError(t, err)
		assert.True(t, first)
	}
	_, first, err := s.AddBuyerMessage(ctx, q)
	require.NoError(t, err)
	assert.False(t, first, "a redelivery is the same message")

	list, err := s.ListBuyerMessages(ctx, store.MessageFilter{Status: "open"})
	require.NoError(t, err)
	require.Len(t, list, 2)
	assert.Equal(t, "bm-c", list[0].ID, "the complaint has less time left")

	_, err = s.AnswerBuyerMessage(ctx, "bm-c", store.Answer{Text: "On its way", Via: "api", By: "ana", At: now.Add(time.Hour)})
	require.NoError(t, err)
	_, err = s.AnswerBuyerMessage(ctx, "bm-c", store.Answer{Text: "again", Via: "api", By: "ana", At: now})
	require.True(t, errors.Is(err, store.ErrConflict))

	stats, err := s.MessageResponseTimes(ctx, now.Add(-time.Hour), now.Add(time.Hour))
	require.NoError(t, err)
	buckets := map[string]int{}
	for _, st := range stats {
		buckets[st.Bucket] += st.Messages
	}
	assert.Equal(t, map[string]int{"within_half": 1, "open": 1}, buckets)

	qr, err := s.AddQuickReply(ctx, store.QuickReply{ID: "qr-1", Marketplace: cases.MercadoLibre, Language: "es", Name: "talles", Text: "Sí, tenemos todos los talles."})
	require.NoError(t, err)
	all, err := s.ListQuickReplies(ctx, cases.MercadoLibre, "1001", "es")
	require.NoError(t, err)
	require.Len(t, all, 1)
	assert.Equal(t, qr.ID, all[0].ID)

	_, err = s.CareBadReviewRates(ctx, now.Add(-time.Hour), now.Add(time.Hour))
	require.NoError(t, err)
	_, err = s.TouchpointStats(ctx, now.Add(-time.Hour), now.Add(time.Hour))
	require.NoError(t, err)
}
