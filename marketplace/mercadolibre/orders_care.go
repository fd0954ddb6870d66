package mercadolibre

import (
	"context"
	"net/url"
	"strconv"
	"time"

	"github.com/redress-hq/redress/marketplace"
)

// RecentOrders lists the seller's orders updated since (GET
// /orders/search?seller&order.date_last_updated.from&sort=date_asc), for
// order care's polling fallback.
func (c *Client) RecentOrders(ctx context.Context, shopID string, since time.Time) ([]string, time.Time, error) {
	const op = "list_orders"
	newest := since
	var ids []string
	for page := 0; page < maxPages; page++ {
		q := url.Values{"seller": {shopID}, "sort": {"date_asc"}, "offset": {strconv.Itoa(page * pageSize)}, "limit": {strconv.Itoa(pageSize)}}
		if !since.IsZero() {
			q.Set("order.date_last_updated.from", since.UTC().Format(time.RFC3339Nano))
		}
		var res struct {
			Results []order `json:"results"`
			Paging  struct {
				Total int `json:"total"`
			} `json:"paging"`
		}
		if err := c.get(ctx, op, shopID, "/orders/search?"+q.Encode(), nil, &res); err != nil {
			return nil, since, err
		}
		for _, o := range res.Results {
			ids = append(ids, string(o.ID))
			newest = latest(newest, o.DateLastUpdated)
		}
		if (page+1)*pageSize >= res.Paging.Total {
			break
		}
	}
	return ids, newest, nil
}

var _ marketplace.OrderLister = (*Client)(nil)
