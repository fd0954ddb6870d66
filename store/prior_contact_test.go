package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/store"
	"github.com/redress-hq/redress/store/storetest"
)

// Only an agent's answer to a complaint on the order, inside the window,
// is a prior contact; the earliest one wins.
func TestFirstPriorContact(t *testing.T) {
	ctx := context.Background()
	s := storetest.New(t)
	now := time.Now().UTC().Truncate(time.Second)
	add := func(id, order, kind string, complaint bool) {
		_, _, err := s.AddBuyerMessage(ctx, store.BuyerMessage{ID: id, Marketplace: cases.EBay, ShopID: "s1", ExternalID: id, Kind: kind,
			OrderID: order, Text: "Where is my order? It is late", Complaint: complaint, ReceivedAt: now.Add(-30 * time.Hour), DueAt: now})
		require.NoError(t, err)
	}
	answer := func(id, via string, at time.Time) {
		_, err := s.AnswerBuyerMessage(ctx, id, store.Answer{Text: "Sorry, " + id, Ref: "ref-" + id, Via: via, By: "ana", At: at})
		require.NoError(t, err)
	}
	add("bm-old", "o1", "message", true)   // answered before the window
	add("bm-calm", "o1", "message", false) // not a complaint
	add("bm-case", "o1", "message", true)  // answered inside a case
	add("bm-late", "o1", "message", true)  // answered after the window
	add("bm-hit", "o1", "message", true)   // the prior contact
	add("bm-hit2", "o1", "message", true)  // a later one
	add("bm-other", "o2", "message", true) // another order
	answer("bm-old", "api", now.Add(-26*time.Hour))
	answer("bm-calm", "api", now.Add(-5*time.Hour))
	answer("bm-case", "case", now.Add(-5*time.Hour))
	answer("bm-late", "api", now.Add(time.Hour))
	answer("bm-hit", "manual", now.Add(-4*time.Hour))
	answer("bm-hit2", "api", now.Add(-2*time.Hour))
	answer("bm-other", "api", now.Add(-5*time.Hour))

	pc, err := s.FirstPriorContact(ctx, cases.EBay, "s1", "o1", now.Add(-24*time.Hour), now)
	require.NoError(t, err)
	require.Equal(t, store.PriorContact{Kind: "message_answer", MessageID: "bm-hit", Text: "Sorry, bm-hit", Ref: "ref-bm-hit",
		Via: "manual", By: "ana", At: pc.At}, pc)
	require.True(t, pc.At.Equal(now.Add(-4*time.Hour)), pc.At)

	_, err = s.FirstPriorContact(ctx, cases.EBay, "s1", "o3", now.Add(-24*time.Hour), now)
	require.True(t, errors.Is(err, store.ErrNotFound), "%v", err)
}
