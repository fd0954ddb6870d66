package store_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/redress-hq/redress/store/storetest"
)

// The review digest follows the case's newest version, like rating and text,
// so intake can tell a changed review from a redelivery.
func TestSyncKeepsReviewDigest(t *testing.T) {
	s := storetest.New(t)
	ctx := context.Background()
	b := fullBatch(1)
	b.Case.ReviewDigest = "d-1"
	mustSync(t, s, b)
	next := fullBatch(2)
	next.Case.Rating, next.Case.ReviewDigest = 5, "d-2"
	mustSync(t, s, next)
	mustSync(t, s, b) // a stale retry does not roll it back

	got, err := s.GetCase(ctx, b.Case.ID)
	require.NoError(t, err)
	require.Equal(t, "d-2", got.ReviewDigest)
	require.Equal(t, 5, got.Rating)
}
