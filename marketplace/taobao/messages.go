package taobao

import (
	"context"
	"net/url"
	"unicode/utf8"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace"
)

const maxMessageChars = 500

type chatMessage struct {
	MsgID   string `json:"msg_id"`
	From    string `json:"from"`
	Content string `json:"content"`
	Created string `json:"created"`
}

func (c *Client) chat(ctx context.Context, op, shopID, tid string) ([]chatMessage, error) {
	var res struct {
		Messages struct {
			Message []chatMessage `json:"message"`
		} `json:"messages"`
	}
	err := c.call(ctx, op, shopID, "alibaba.qianniu.message.list", url.Values{"tid": {tid}}, false, &res)
	return res.Messages.Message, err
}

// MessageEligibility: Qianniu chat stays open after refunds; an unknown
// trade is the only refusal visible before sending.
func (c *Client) MessageEligibility(ctx context.Context, shopID, orderID string) (marketplace.Eligibility, error) {
	if _, err := c.chat(ctx, "message_eligibility", shopID, orderID); err != nil {
		if me, ok := marketplace.AsError(err); ok && me.Code == "isv.trade-not-exist" {
			return marketplace.Eligibility{Allowed: false, Reason: "trade_not_found", MaxChars: maxMessageChars}, nil
		}
		return marketplace.Eligibility{}, err
	}
	return marketplace.Eligibility{Allowed: true, MaxChars: maxMessageChars}, nil
}

// SendBuyerMessage sends a chat message; a seller message with exactly this
// text already on the trade is taken to be this write.
func (c *Client) SendBuyerMessage(ctx context.Context, req marketplace.MessageRequest) (marketplace.WriteResult, error) {
	const op = "send_buyer_message"
	if n := utf8.RuneCountInString(req.Text); n == 0 || n > maxMessageChars {
		return marketplace.WriteResult{}, marketplace.Invalid(cases.Taobao, op, "text_length", "message must be 1–%d characters, got %d", maxMessageChars, n)
	}
	find := func(ctx context.Context) (string, bool, error) {
		msgs, err := c.chat(ctx, op, req.ShopID, req.OrderID)
		if err != nil {
			return "", false, err
		}
		for _, m := range msgs {
			if m.From == "seller" && m.Content == req.Text {
				return m.MsgID, true, nil
			}
		}
		return "", false, nil
	}
	write := func(ctx context.Context) (string, error) {
		var res struct {
			MsgID string `json:"msg_id"`
		}
		err := c.call(ctx, op, req.ShopID, "alibaba.qianniu.message.send", url.Values{"tid": {req.OrderID}, "buyer_nick": {req.BuyerID}, "content": {req.Text}}, true, &res)
		return res.MsgID, err
	}
	return marketplace.WriteOnce(ctx, find, write)
}
