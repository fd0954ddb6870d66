package mercadolibre

import (
	"context"
	"net/url"
	"strings"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace"
)

const opFetchMessage = "fetch_buyer_message"

func (c *Client) order(ctx context.Context, op, shopID, orderID string) (order, error) {
	var o order
	err := c.get(ctx, op, shopID, pathf("/orders/%s", orderID), nil, &o)
	return o, err
}

// conversation reads the pack's messages without marking them read.
func (c *Client) conversation(ctx context.Context, op, shopID, pack string) (conversation, error) {
	var conv conversation
	q := url.Values{"tag": {"post_sale"}, "mark_as_read": {"false"}}
	err := c.get(ctx, op, shopID, pathf("/messages/packs/%s/sellers/%s", pack, shopID)+"?"+q.Encode(), nil, &conv)
	return conv, err
}

// MessageEligibility reads the post-sale conversation: a blocked one (refund,
// mediation, time, …) refuses messages; a conversation the buyer has not
// started needs the action guide's free-text reason with messages left.
func (c *Client) MessageEligibility(ctx context.Context, shopID, orderID string) (marketplace.Eligibility, error) {
	const op = "message_eligibility"
	o, err := c.order(ctx, op, shopID, orderID)
	if err != nil {
		return marketplace.Eligibility{}, err
	}
	conv, err := c.conversation(ctx, op, shopID, o.pack())
	if err != nil {
		return marketplace.Eligibility{}, err
	}
	el := marketplace.Eligibility{Allowed: true, MaxChars: maxMessageChars}
	if n := conv.SellerMaxMessageLength; n > 0 && n < el.MaxChars {
		el.MaxChars = n
	}
	if conv.ConversationStatus.Status == "blocked" {
		el.Allowed, el.Reason = false, conv.ConversationStatus.Substatus
		return el, nil
	}
	if conv.buyerHasWritten(shopID) {
		return el, nil
	}
	g, excepted, err := c.actionGuide(ctx, op, shopID, o.pack())
	if err != nil || excepted {
		return el, err
	}
	if why := g.startRefusal(1); why != "" {
		el.Allowed, el.Reason = false, why
	}
	return el, nil
}

// SendBuyerMessage posts a post-sale message: through the action guide's
// free-text reason when it starts the conversation, as an ordinary message
// otherwise. Mercado Libre has no idempotency key, so a seller message with
// exactly this text already in the pack (and not refused by moderation) is
// taken to be this write.
func (c *Client) SendBuyerMessage(ctx context.Context, req marketplace.MessageRequest) (marketplace.WriteResult, error) {
	const op = "send_buyer_message"
	if code, why := messageTextError(req.Text); code != "" {
		return marketplace.WriteResult{}, marketplace.Invalid(cases.MercadoLibre, op, code, "%s", why)
	}
	o, err := c.order(ctx, op, req.ShopID, req.OrderID)
	if err != nil {
		return marketplace.WriteResult{}, err
	}
	var conv conversation
	find := func(ctx context.Context) (string, bool, error) {
		conv, err = c.conversation(ctx, op, req.ShopID, o.pack())
		if err != nil {
			return "", false, err
		}
		for _, m := range conv.Messages {
			if _, rejected := m.rejected(); !rejected && string(m.From.UserID) == req.ShopID && string(m.Text) == req.Text {
				return m.id(), true, nil
			}
		}
		return "", false, nil // a blocked conversation is refused by the platform: 403 with the reason
	}
	write := func(ctx context.Context) (string, error) {
		send := c.startConversation
		if conv.buyerHasWritten(req.ShopID) {
			send = c.sendMessage
		}
		m, err := send(ctx, op, o, req)
		if err != nil {
			return "", err
		}
		if reason, rejected := m.rejected(); rejected {
			return "", marketplace.Invalid(cases.MercadoLibre, op, "moderated", "message rejected by moderation: %s", reason)
		}
		return m.id(), nil
	}
	return marketplace.WriteOnce(ctx, find, write)
}

// sendMessage is the ordinary message, addressed to the buyer or, on the
// sites with messaging agents, to the agent.
func (c *Client) sendMessage(ctx context.Context, op string, o order, req marketplace.MessageRequest) (message, error) {
	buyer := req.BuyerID
	if buyer == "" {
		buyer = string(o.Buyer.ID)
	}
	body := map[string]any{"from": map[string]string{"user_id": req.ShopID}, "to": map[string]string{"user_id": recipient(o.site(), buyer)}, "text": req.Text}
	var m message
	target := c.cfg.BaseURL + pathf("/messages/packs/%s/sellers/%s", o.pack(), req.ShopID) + "?tag=post_sale"
	err := c.post(ctx, op, req.ShopID, target, body, nil, &m)
	return m, err
}

// FetchBuyerMessage reads the message a "messages" notification names (a
// bare message id, or /messages/{id}) and says which order it belongs to. It
// reads both documented shapes of GET /messages/{id}: the legacy one
// (message_id, text {"plain"}, resource "orders" + resource_id) and the
// wrapped one ({"messages": [ … ]}).
func (c *Client) FetchBuyerMessage(ctx context.Context, shopID, resource string) (marketplace.WebhookEvent, error) {
	id := strings.TrimPrefix(resource, "/messages/")
	var res struct {
		message
		Messages []message `json:"messages"`
	}
	if err := c.get(ctx, opFetchMessage, shopID, pathf("/messages/%s", id)+"?tag=post_sale", nil, &res); err != nil {
		return marketplace.WebhookEvent{}, err
	}
	m := res.message
	if len(res.Messages) > 0 {
		m = res.Messages[0]
	}
	ev := marketplace.WebhookEvent{Kind: marketplace.WebhookBuyerMessage, ShopID: shopID, MessageID: m.id(), Text: string(m.Text), At: m.at(), Resource: resource}
	if string(m.From.UserID) == shopID {
		ev.Kind = marketplace.WebhookIgnored // our own message echoed back
	}
	if m.Resource == "orders" {
		ev.OrderID = string(m.ResourceID)
	}
	for _, r := range m.MessageResources {
		if r.Name == "packs" || r.Name == "orders" {
			ev.OrderID = string(r.ID)
		}
	}
	return ev, nil
}
