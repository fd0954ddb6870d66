package taobao

import (
	"context"
	"net/url"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace"
)

type trade struct {
	Tid         string      `json:"tid"`
	Status      string      `json:"status"`
	Payment     cases.Money `json:"payment"`
	PostFee     cases.Money `json:"post_fee"`
	PayTime     string      `json:"pay_time"`
	ConsignTime string      `json:"consign_time"`
	EndTime     string      `json:"end_time"`
	Orders      struct {
		Order []struct {
			Oid   string `json:"oid"`
			Title string `json:"title"`
		} `json:"order"`
	} `json:"orders"`
}

// GetEvidence reads the trade (taobao.trade.fullinfo.get), its logistics
// trace and the chat.
func (c *Client) GetEvidence(ctx context.Context, shopID, orderID string) (marketplace.Evidence, error) {
	const op = "get_evidence"
	var full struct {
		Trade trade `json:"trade"`
	}
	q := url.Values{"tid": {orderID}, "fields": {"tid,status,payment,post_fee,pay_time,consign_time,end_time,orders"}}
	if err := c.call(ctx, op, shopID, "taobao.trade.fullinfo.get", q, false, &full); err != nil {
		return marketplace.Evidence{}, err
	}
	t := full.Trade
	ev := marketplace.Evidence{Order: marketplace.OrderInfo{
		OrderID: t.Tid, Status: t.Status, Amount: t.Payment, ShippingFee: t.PostFee, Currency: "CNY",
		PaidAt: topTimePtr(t.PayTime), ShippedAt: topTimePtr(t.ConsignTime), Refunded: t.Status == "TRADE_CLOSED",
	}}
	if t.Status == "TRADE_FINISHED" {
		ev.Order.DeliveredAt = topTimePtr(t.EndTime)
	}
	for _, o := range t.Orders.Order {
		ev.Order.Items = append(ev.Order.Items, o.Title)
	}
	var trace struct {
		CompanyName string `json:"company_name"`
		TraceList   struct {
			Steps []struct {
				StatusTime string `json:"status_time"`
				Action     string `json:"action"`
				StatusDesc string `json:"status_desc"`
			} `json:"transit_step_info"`
		} `json:"trace_list"`
	}
	if err := c.call(ctx, op, shopID, "taobao.logistics.trace.search", url.Values{"tid": {orderID}}, false, &trace); err != nil {
		return marketplace.Evidence{}, err
	}
	ev.Courier = trace.CompanyName
	for _, s := range trace.TraceList.Steps {
		ev.Tracking = append(ev.Tracking, marketplace.TrackingStep{At: topTimeOf(s.StatusTime), Status: s.Action, Description: s.StatusDesc})
	}
	msgs, err := c.chat(ctx, op, shopID, orderID)
	if err != nil {
		return marketplace.Evidence{}, err
	}
	for _, m := range msgs {
		ev.Chat = append(ev.Chat, marketplace.ChatMessage{At: topTimeOf(m.Created), From: m.From, Text: m.Content})
	}
	return ev, nil
}
