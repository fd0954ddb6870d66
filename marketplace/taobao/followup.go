package taobao

import (
	"context"
	"net/url"
)

// rateFeed is tmall.traderate.feeds.get's tmall_rate_info: the rate of one
// sub-order with its 追评 (follow-up review). TradeRate has no 追评 fields.
type rateFeed struct {
	Content       string `json:"content"`
	CommentTime   string `json:"comment_time"`
	AppendContent string `json:"append_content"`
	AppendTime    string `json:"append_time"`
}

func (f rateFeed) present() bool { return f.AppendContent != "" || f.AppendTime != "" }

// followUp reads the 追评 of sub-order oid. The method is Tmall's: rates of
// Taobao (C-shop) sellers have no explanation API either.
func (c *Client) followUp(ctx context.Context, op, shopID, oid string) (rateFeed, error) {
	var res struct {
		Info rateFeed `json:"tmall_rate_info"`
	}
	err := c.call(ctx, op, shopID, "tmall.traderate.feeds.get", url.Values{"child_trade_id": {oid}}, false, &res)
	return res.Info, err
}
