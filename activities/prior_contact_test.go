package activities_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/redress-hq/redress/activities"
	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/store"
)

type priorStore struct {
	pc    *store.PriorContact
	calls int
}

func (*priorStore) SyncCase(context.Context, cases.SyncBatch) error { return nil }
func (*priorStore) AppendEvents(context.Context, cases.SyncBatch) (store.Appended, error) {
	return store.Appended{}, nil
}
func (p *priorStore) FirstPriorContact(_ context.Context, _ cases.Marketplace, _, _ string, _, _ time.Time) (store.PriorContact, error) {
	p.calls++
	if p.pc == nil {
		return store.PriorContact{}, store.ErrNotFound
	}
	return *p.pc, nil
}

func TestFindPriorContact(t *testing.T) {
	ctx := context.Background()
	in := activities.PriorContactInput{Marketplace: cases.EBay, ShopID: "s1", OrderID: "o1"}

	// A store without order history finds none.
	res, err := (&activities.Activities{}).FindPriorContact(ctx, in)
	require.NoError(t, err)
	require.False(t, res.Found)

	none := &priorStore{}
	res, err = (&activities.Activities{Store: none}).FindPriorContact(ctx, in)
	require.NoError(t, err)
	require.False(t, res.Found)
	require.Equal(t, 1, none.calls)

	pc := store.PriorContact{Kind: "message_answer", MessageID: "bm-1", Text: "sorry", By: "ana", At: time.Unix(1, 0).UTC()}
	found := &priorStore{pc: &pc}
	a := &activities.Activities{Store: found}
	for range 2 { // a read: the same answer every time
		res, err = a.FindPriorContact(ctx, in)
		require.NoError(t, err)
		require.True(t, res.Found)
		require.Equal(t, pc, *res.Contact)
	}

	// A case without an order has no order history.
	res, err = a.FindPriorContact(ctx, activities.PriorContactInput{Marketplace: cases.EBay, ShopID: "s1"})
	require.NoError(t, err)
	require.False(t, res.Found)
}
