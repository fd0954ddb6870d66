package mercadolibre

import (
	"context"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace"
)

const maxMessageChars = 350

func (c *Client) order(ctx context.Context, op, shopID, orderID string) (order, error) {
	var o order
	err := c.get(ctx, op, shopID, pathf("/orders/%s", orderID), &o)
	return o, err
}

func (c *Client) conversation(ctx context.Context, op, shopID, pack string) (conversation, error) {
	var conv conversation
	q := url.Values{"tag": {"post_sale"}, "mark_as_read": {"false"}}
	err := c.get(ctx, op, shopID, pathf("/messages/packs/%s/sellers/%s", pack, shopID)+"?"+q.Encode(), &conv)
	return conv, err
}

// MessageEligibility reads the post-sale conversation's status: refunds,
// mediation and the 30-day window block it.
func (c *Client) MessageEligibility(ctx context.Context, shopID, orderID string) (marketplace.Eligibility, error) {
	o, err := c.order(ctx, "message_eligibility", shopID, orderID)
	if err != nil {
		return marketplace.Eligibility{}, err
	}
	conv, err := c.conversation(ctx, "message_eligibility", shopID, o.pack())
	if err != nil {
		return marketplace.Eligibility{}, err
	}
	if conv.ConversationStatus.Status == "blocked" {
		return marketplace.Eligibility{Allowed: false, Reason: conv.ConversationStatus.Substatus, MaxChars: maxMessageChars}, nil
	}
	return marketplace.Eligibility{Allowed: true, MaxChars: maxMessageChars}, nil
}

// SendBuyerMessage posts a post-sale message. Mercado Libre has no
// idempotency key, so a seller message with exactly this text already in the
// pack is taken to be this write.
func (c *Client) SendBuyerMessage(ctx context.Context, req marketplace.MessageRequest) (marketplace.WriteResult, error) {
	const op = "send_buyer_message"
	if n := utf8.RuneCountInString(req.Text); n == 0 || n > maxMessageChars {
		return marketplace.WriteResult{}, marketplace.Invalid(cases.MercadoLibre, op, "text_length", "message must be 1–%d characters, got %d", maxMessageChars, n)
	}
	for _, r := range req.Text {
		if r > 0xFF {
			return marketplace.WriteResult{}, marketplace.Invalid(cases.MercadoLibre, op, "charset", "message must be ISO-8859-1; %q is not", r)
		}
	}
	o, err := c.order(ctx, op, req.ShopID, req.OrderID)
	if err != nil {
		return marketplace.WriteResult{}, err
	}
	buyer := req.BuyerID
	if buyer == "" {
		buyer = string(o.Buyer.ID)
	}
	find := func(ctx context.Context) (string, bool, error) {
		conv, err := c.conversation(ctx, op, req.ShopID, o.pack())
		if err != nil {
			return "", false, err
		}
		for _, m := range conv.Messages {
			if string(m.From.UserID) == req.ShopID && m.Text == req.Text {
				return m.ID, true, nil
			}
		}
		return "", false, nil // a blocked conversation is refused by the platform: 403 with the reason
	}
	write := func(ctx context.Context) (string, error) {
		body := map[string]any{"from": map[string]string{"user_id": req.ShopID}, "to": map[string]string{"user_id": buyer}, "text": req.Text}
		var m message
		target := c.cfg.BaseURL + pathf("/messages/packs/%s/sellers/%s", o.pack(), req.ShopID) + "?tag=post_sale"
		if err := c.post(ctx, op, req.ShopID, target, body, nil, &m); err != nil {
			return "", err
		}
		if m.Moderation != nil && m.Moderation.Status == "rejected" {
			return "", marketplace.Invalid(cases.MercadoLibre, op, "moderated", "message rejected by moderation: %s", m.Moderation.Reason)
		}
		return m.ID, nil
	}
	return marketplace.WriteOnce(ctx, find, write)
}

// FetchBuyerMessage reads the message a "messages" notification names
// (/messages/{id} or a bare id) and says which order it belongs to.
func (c *Client) FetchBuyerMessage(ctx context.Context, shopID, resource string) (marketplace.WebhookEvent, error) {
	id := strings.TrimPrefix(resource, "/messages/")
	var m message
	if err := c.get(ctx, "fetch_buyer_message", shopID, pathf("/messages/%s", id), &m); err != nil {
		return marketplace.WebhookEvent{}, err
	}
	ev := marketplace.WebhookEvent{Kind: marketplace.WebhookBuyerMessage, ShopID: shopID, MessageID: m.ID, Text: m.Text, At: m.MessageDate.Created, Resource: resource}
	if string(m.From.UserID) == shopID {
		ev.Kind = marketplace.WebhookIgnored // our own message echoed back
	}
	for _, r := range m.MessageResources {
		if r.Name == "packs" || r.Name == "orders" {
			ev.OrderID = string(r.ID)
		}
	}
	return ev, nil
}
