package ebay

import (
	"context"
	"net/url"
	"strconv"
	"time"

	"github.com/redress-hq/redress/marketplace"
)

// RecentOrders lists the orders created since (getOrders with the
// creationdate filter): eBay's Notification API has no order topic, so
// order care finds new orders by this poll.
func (c *Client) RecentOrders(ctx context.Context, shopID string, since time.Time) ([]string, time.Time, error) {
	const op = "list_orders"
	if since.IsZero() {
		since = time.Now().Add(-orderWindow)
	}
	window := "creationdate:[" + since.UTC().Format("2006-01-02T15:04:05.000Z") + "..]"
	newest := since
	var ids []string
	for page := 0; page < maxOrderPages; page++ {
		q := url.Values{"filter": {window}, "limit": {strconv.Itoa(ordersPageSize)}, "offset": {strconv.Itoa(page * ordersPageSize)}}
		var res struct {
			Orders []order `json:"orders"`
			Total  int     `json:"total"`
		}
		if err := c.rest.Get(ctx, op, shopID, c.url("/sell/fulfillment/v1/order")+"?"+q.Encode(), &res); err != nil {
			return nil, since, err
		}
		for _, o := range res.Orders {
			ids = append(ids, o.OrderID)
			if o.CreationDate.After(newest) {
				newest = o.CreationDate
			}
		}
		if (page+1)*ordersPageSize >= res.Total {
			break
		}
	}
	return ids, newest, nil
}

var _ marketplace.OrderLister = (*Client)(nil)
