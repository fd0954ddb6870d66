package taobao

import (
	"context"
	"net/url"
	"strconv"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace"
)

// refund is TOP's Refund: refund_id is String, tid Number, fees decimal strings.
type refund struct {
	RefundID  flexID      `json:"refund_id"`
	Tid       flexID      `json:"tid"`
	RefundFee cases.Money `json:"refund_fee"`
	Status    string      `json:"status"`
	Reason    string      `json:"reason"`
}

const refundFields = "refund_id,tid,refund_fee,status,reason"

func (r refund) result() marketplace.RefundResult {
	status := "pending"
	switch r.Status {
	case "SUCCESS":
		status = "completed"
	case "CLOSED", "SELLER_REFUSE_BUYER":
		status = "failed"
	}
	return marketplace.RefundResult{ID: string(r.RefundID), Status: status, Amount: r.RefundFee}
}

// refundPageSize is taobao.refunds.receive.get's maximum.
const refundPageSize = 100

// maxRefundPages bounds one scan of a buyer's refunds.
const maxRefundPages = 10

// refundsOfTrade lists the refunds a buyer asked the shop for on one trade.
// refunds.receive.get cannot filter by trade: it is narrowed to the buyer
// and filtered here.
func (c *Client) refundsOfTrade(ctx context.Context, op, shopID, buyerNick, tid string) ([]refund, error) {
	var out []refund
	for page := 1; page <= maxRefundPages; page++ {
		q := url.Values{"fields": {refundFields}, "buyer_nick": {buyerNick}, "use_has_next": {"true"},
			"page_no": {strconv.Itoa(page)}, "page_size": {strconv.Itoa(refundPageSize)}}
		var res struct {
			Refunds topList[refund] `json:"refunds"`
			HasNext bool            `json:"has_next"`
		}
		if err := c.call(ctx, op, shopID, "taobao.refunds.receive.get", q, false, &res); err != nil {
			return nil, err
		}
		for _, r := range res.Refunds {
			if string(r.Tid) == tid {
				out = append(out, r)
			}
		}
		if !res.HasNext {
			break
		}
	}
	return out, nil
}

// IssueRefund: TOP has no API for a seller to start a refund (refunds are
// the buyer's request, agreed in the seller centre): a manual step.
func (c *Client) IssueRefund(ctx context.Context, req marketplace.RefundRequest) (marketplace.RefundResult, error) {
	return marketplace.RefundResult{}, marketplace.NotSupported(cases.Taobao, "issue_refund",
		"TOP has no API for a seller to refund; refund in the seller centre (千牛 → 退款管理) and confirm with the refund id")
}

// RefundStatus reads a refund (taobao.refund.get) by the id the agent confirmed.
func (c *Client) RefundStatus(ctx context.Context, shopID, refundID string) (marketplace.RefundResult, error) {
	const op = "refund_status"
	if _, err := strconv.ParseUint(refundID, 10, 64); err != nil {
		return marketplace.RefundResult{}, marketplace.Invalid(cases.Taobao, op, "bad_refund_id", "a Taobao refund id is a number, got %q", refundID)
	}
	var out struct {
		Refund refund `json:"refund"`
	}
	if err := c.call(ctx, op, shopID, "taobao.refund.get", url.Values{"refund_id": {refundID}, "fields": {refundFields}}, false, &out); err != nil {
		return marketplace.RefundResult{}, err
	}
	return out.Refund.result(), nil
}
