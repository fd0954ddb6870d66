package taobao

import (
	"context"
	"net/url"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace"
)

type trade struct {
	Tid         flexID      `json:"tid"`
	Status      string      `json:"status"`
	BuyerNick   string      `json:"buyer_nick"`
	Payment     cases.Money `json:"payment"`
	PostFee     cases.Money `json:"post_fee"`
	PayTime     string      `json:"pay_time"`
	ConsignTime string      `json:"consign_time"`
	EndTime     string      `json:"end_time"`
	Orders      topList[struct {
		Oid   flexID `json:"oid"`
		Title string `json:"title"`
	}] `json:"orders"`
}

type traceStep struct {
	StatusTime string `json:"status_time"`
	Action     string `json:"action"`
	StatusDesc string `json:"status_desc"`
}

// noChat is why Taobao evidence never holds the chat.
const noChat = "chat: TOP publishes no API to read Wangwang/Qianniu conversations; read them in Qianniu"

// GetEvidence reads the trade (taobao.trade.fullinfo.get), its logistics
// trace (taobao.logistics.trace.search) and the buyer's refunds on it
// (taobao.refunds.receive.get) as claims. The chat has no API.
func (c *Client) GetEvidence(ctx context.Context, shopID, orderID string) (marketplace.Evidence, error) {
	const op = "get_evidence"
	var full struct {
		Trade trade `json:"trade"`
	}
	q := url.Values{"tid": {orderID}, "fields": {"tid,status,buyer_nick,payment,post_fee,pay_time,consign_time,end_time,orders"}}
	if err := c.call(ctx, op, shopID, "taobao.trade.fullinfo.get", q, false, &full); err != nil {
		return marketplace.Evidence{}, err
	}
	t := full.Trade
	ev := marketplace.Evidence{Order: marketplace.OrderInfo{
		OrderID: string(t.Tid), Status: t.Status, Amount: t.Payment, ShippingFee: t.PostFee, Currency: "CNY",
		PaidAt: topTimePtr(t.PayTime), ShippedAt: topTimePtr(t.ConsignTime), Refunded: t.Status == "TRADE_CLOSED",
	}, Unavailable: []string{noChat}}
	if t.Status == "TRADE_FINISHED" {
		ev.Order.DeliveredAt = topTimePtr(t.EndTime)
	}
	for _, o := range t.Orders {
		ev.Order.Items = append(ev.Order.Items, o.Title)
	}
	var trace struct {
		CompanyName string             `json:"company_name"`
		TraceList   topList[traceStep] `json:"trace_list"`
	}
	if err := c.call(ctx, op, shopID, "taobao.logistics.trace.search", url.Values{"tid": {orderID}}, false, &trace); err != nil {
		return marketplace.Evidence{}, err
	}
	ev.Courier = trace.CompanyName
	for _, s := range trace.TraceList {
		ev.Tracking = append(ev.Tracking, marketplace.TrackingStep{At: topTimeOf(s.StatusTime), Status: s.Action, Description: s.StatusDesc})
	}
	refunds, err := c.refundsOfTrade(ctx, op, shopID, t.BuyerNick, orderID)
	if err != nil {
		return marketplace.Evidence{}, err
	}
	for _, r := range refunds {
		ev.Claims = append(ev.Claims, marketplace.Claim{ID: string(r.RefundID), Status: r.Status, Reason: r.Reason, Stage: "refund"})
	}
	return ev, nil
}
