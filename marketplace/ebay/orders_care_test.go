package ebay

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/redress-hq/redress/marketplace/contracttest"
)

// RecentOrders' getOrders request and its golden answer validate against
// sell_fulfillment_v1_oas3.json.
func TestContractRecentOrders(t *testing.T) {
	contracttest.SpecsDir(t)
	env := newContractEnv(t)
	since := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	ids, newest, err := env.c.RecentOrders(context.Background(), testShop, since)
	require.NoError(t, err)
	assert.Equal(t, []string{"getOrders"}, checkExchanges(t, env))
	require.NotEmpty(t, ids)
	assert.False(t, newest.Before(since))
}
