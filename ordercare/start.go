package ordercare

import (
	"context"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/store"
)

// SettingsOf turns a shop's stored setting into the workflow's settings.
func SettingsOf(shop store.OrderCareShop) Settings {
	sec := func(n int64) time.Duration { return time.Duration(n) * time.Second }
	set := Settings{StallAfter: sec(shop.StallAfterSeconds), LateGrace: sec(shop.LateGraceSeconds),
		PollEvery: sec(shop.PollEverySeconds), WatchAfterDelivery: sec(shop.WatchAfterDeliverySeconds),
		QuietStart: shop.QuietStart, QuietEnd: shop.QuietEnd}
	if shop.QuietStart == shop.QuietEnd {
		set.NoQuietHours = true
	}
	return set
}

// Order names an order to care for, with what is known of its buyer.
type Order struct {
	OrderID       string
	BuyerID       string
	Language      string
	BuyerTimeZone string
}

// Signal starts the order's care with the shop's settings, or signals the
// running care with ev (Temporal's signal-with-start: one workflow per order).
func Signal(ctx context.Context, tc client.Client, shop store.OrderCareShop, o Order, ev OrderEvent) (client.WorkflowRun, error) {
	lang := o.Language
	if lang == "" {
		lang = shop.Language
	}
	in := Input{Marketplace: shop.Marketplace, ShopID: shop.ShopID, OrderID: o.OrderID, BuyerID: o.BuyerID, Language: lang,
		BuyerTimeZone: o.BuyerTimeZone, ShopTimeZone: shop.TimeZone, Source: ev.Source, Settings: SettingsOf(shop), Shipment: ev.Shipment}
	id := WorkflowID(shop.Marketplace, shop.ShopID, o.OrderID)
	return tc.SignalWithStartWorkflow(ctx, id, SignalOrderEvent, ev, client.StartWorkflowOptions{ID: id, TaskQueue: TaskQueue}, WorkflowName, in)
}

// ShopPollWorkflowName polls an enabled shop: new orders and open questions.
const ShopPollWorkflowName = "OrderCareShopPollWorkflow"

// DefaultShopPoll is how often a shop is polled when its setting says nothing.
const DefaultShopPoll = 15 * time.Minute

// ShopPollID is the shop poll's workflow id (one per shop).
func ShopPollID(m cases.Marketplace, shopID string) string {
	return "ordercare-poll-" + string(m) + "-" + shopID
}
