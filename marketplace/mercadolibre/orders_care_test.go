package mercadolibre

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestGoldenRecentOrders(t *testing.T) {
	c, rec := serve(t, map[string]reply{"GET /orders/search": {file: "orders_search.response.repaired.json"}})
	since := time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC)
	ids, newest, err := c.RecentOrders(context.Background(), testShop, since)
	require.NoError(t, err)
	require.NotEmpty(t, ids)
	assert.True(t, newest.After(since), "the documented results' date_last_updated moves the cursor")
	q := rec.Exchanges()[0].Request.URL.Query()
	assert.Equal(t, "2015-01-01T00:00:00Z", q.Get("order.date_last_updated.from"))
	assert.Equal(t, "date_asc", q.Get("sort"))
}
