package ebay

import (
	"context"
	"net/url"
	"time"
	"unicode/utf8"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace"
)

const maxMessageChars = 2000

// messagingWindow: eBay allows member messages up to 90 days after the order.
const messagingWindow = 90 * 24 * time.Hour

type memberMessage struct {
	MessageID      string    `json:"messageId"`
	SenderUsername string    `json:"senderUsername"`
	MessageBody    string    `json:"messageBody"`
	CreatedDate    time.Time `json:"createdDate"`
}

func (c *Client) messages(ctx context.Context, op, shopID, orderID string) ([]memberMessage, error) {
	var res struct {
		Messages []memberMessage `json:"messages"`
	}
	err := c.rest.Get(ctx, op, shopID, c.url("/commerce/message/v1/conversation_messages")+"?"+url.Values{"reference_id": {orderID}}.Encode(), &res)
	return res.Messages, err
}

// MessageEligibility: messaging closes 90 days after the order.
func (c *Client) MessageEligibility(ctx context.Context, shopID, orderID string) (marketplace.Eligibility, error) {
	o, err := c.order(ctx, "message_eligibility", shopID, orderID)
	if err != nil {
		return marketplace.Eligibility{}, err
	}
	if time.Since(o.CreationDate) > messagingWindow {
		return marketplace.Eligibility{Allowed: false, Reason: "window_closed", MaxChars: maxMessageChars}, nil
	}
	return marketplace.Eligibility{Allowed: true, MaxChars: maxMessageChars}, nil
}

// SendBuyerMessage sends a member message about the order; a seller message
// with exactly this text already on the order is this write, replayed.
func (c *Client) SendBuyerMessage(ctx context.Context, req marketplace.MessageRequest) (marketplace.WriteResult, error) {
	const op = "send_buyer_message"
	if n := utf8.RuneCountInString(req.Text); n == 0 || n > maxMessageChars {
		return marketplace.WriteResult{}, marketplace.Invalid(cases.EBay, op, "text_length", "message must be 1–%d characters, got %d", maxMessageChars, n)
	}
	find := func(ctx context.Context) (string, bool, error) {
		msgs, err := c.messages(ctx, op, req.ShopID, req.OrderID)
		if err != nil {
			return "", false, err
		}
		for _, m := range msgs {
			if m.SenderUsername == req.ShopID && m.MessageBody == req.Text {
				return m.MessageID, true, nil
			}
		}
		return "", false, nil
	}
	write := func(ctx context.Context) (string, error) {
		body := map[string]any{"otherPartyUsername": req.BuyerID, "messageText": req.Text,
			"reference": map[string]string{"referenceId": req.OrderID, "referenceType": "ORDER"}}
		var res struct {
			MessageID string `json:"messageId"`
		}
		err := c.rest.Post(ctx, op, req.ShopID, messagesBucket, c.url("/commerce/message/v1/send_message"), body, nil, &res)
		return res.MessageID, err
	}
	return marketplace.WriteOnce(ctx, find, write)
}
