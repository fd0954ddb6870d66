package ebay

import (
	"context"
	"net/url"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace"
)

// maxMessageChars is SendMessageRequest.messageText's maximum length.
const maxMessageChars = 2000

// Member conversations are FROM_MEMBERS; the only reference type eBay takes
// is LISTING, whose id is the listing (legacy item) id.
const (
	conversationType = "FROM_MEMBERS"
	referenceListing = "LISTING"
)

type messageDetail struct {
	MessageID      string    `json:"messageId"`
	SenderUsername string    `json:"senderUsername"`
	MessageBody    string    `json:"messageBody"`
	CreatedDate    time.Time `json:"createdDate"`
}

type conversationDetail struct {
	ConversationID string `json:"conversationId"`
	ReferenceID    string `json:"referenceId"`
	ReferenceType  string `json:"referenceType"`
}

// conversations lists the member conversations with a user, about one listing
// when listingID is set (getConversations).
func (c *Client) conversations(ctx context.Context, op, shopID, otherParty, listingID string) ([]conversationDetail, error) {
	q := url.Values{"conversation_type": {conversationType}, "other_party_username": {otherParty}}
	if listingID != "" {
		q.Set("reference_type", referenceListing)
		q.Set("reference_id", listingID)
	}
	var res struct {
		Conversations []conversationDetail `json:"conversations"`
	}
	err := c.rest.Get(ctx, op, shopID, c.url("/commerce/message/v1/conversation")+"?"+q.Encode(), &res)
	return res.Conversations, err
}

// conversation reads one conversation's messages (getConversation).
func (c *Client) conversation(ctx context.Context, op, shopID, conversationID string) ([]messageDetail, error) {
	q := url.Values{"conversation_type": {conversationType}}
	var res struct {
		Messages []messageDetail `json:"messages"`
	}
	err := c.rest.Get(ctx, op, shopID, c.url("/commerce/message/v1/conversation/%s", conversationID)+"?"+q.Encode(), &res)
	return res.Messages, err
}

// orderMessages are the messages between the seller and the order's buyer
// about the order's listings, oldest first.
func (c *Client) orderMessages(ctx context.Context, op, shopID string, o order) ([]messageDetail, error) {
	var out []messageDetail
	for _, listing := range o.listings() {
		convs, err := c.conversations(ctx, op, shopID, o.Buyer.Username, listing)
		if err != nil {
			return nil, err
		}
		for _, conv := range convs {
			msgs, err := c.conversation(ctx, op, shopID, conv.ConversationID)
			if err != nil {
				return nil, err
			}
			out = append(out, msgs...)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].CreatedDate.Before(out[j].CreatedDate) })
	return out, nil
}

// MessageEligibility: eBay publishes no messaging window for the Message
// API, so only the length limit applies.
func (c *Client) MessageEligibility(ctx context.Context, shopID, orderID string) (marketplace.Eligibility, error) {
	return marketplace.Eligibility{Allowed: true, MaxChars: maxMessageChars}, nil
}

// SendBuyerMessage sends a member message to the order's buyer about the
// order's listing; a seller message with exactly this text already in their
// conversation is this write, replayed.
func (c *Client) SendBuyerMessage(ctx context.Context, req marketplace.MessageRequest) (marketplace.WriteResult, error) {
	const op = "send_buyer_message"
	if n := utf8.RuneCountInString(req.Text); n == 0 || n > maxMessageChars {
		return marketplace.WriteResult{}, marketplace.Invalid(cases.EBay, op, "text_length", "message must be 1–%d characters, got %d", maxMessageChars, n)
	}
	o, err := c.order(ctx, op, req.ShopID, req.OrderID)
	if err != nil {
		return marketplace.WriteResult{}, err
	}
	listings := o.listings()
	if o.Buyer.Username == "" || len(listings) == 0 {
		return marketplace.WriteResult{}, marketplace.Invalid(cases.EBay, op, "no_recipient", "order %s names no buyer or listing to message about", req.OrderID)
	}
	find := func(ctx context.Context) (string, bool, error) {
		msgs, err := c.orderMessages(ctx, op, req.ShopID, o)
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
		body := map[string]any{"otherPartyUsername": o.Buyer.Username, "messageText": req.Text,
			"reference": map[string]string{"referenceId": listings[0], "referenceType": referenceListing}}
		var res struct {
			MessageID string `json:"messageId"`
		}
		err := c.rest.Post(ctx, op, req.ShopID, messagesBucket, c.url("/commerce/message/v1/send_message"), body, nil, &res)
		return res.MessageID, err
	}
	return marketplace.WriteOnce(ctx, find, write)
}

// messageResource names a message for FetchBuyerMessage: "conversationId/messageId".
func messageResource(conversationID, messageID string) string {
	return conversationID + "/" + messageID
}

// FetchBuyerMessage reads a notified message from its conversation and finds
// its order: the buyer's order of the conversation's listing.
func (c *Client) FetchBuyerMessage(ctx context.Context, shopID, resource string) (marketplace.WebhookEvent, error) {
	const op = "fetch_buyer_message"
	conversationID, messageID, ok := strings.Cut(resource, "/")
	if !ok || conversationID == "" || messageID == "" {
		return marketplace.WebhookEvent{}, marketplace.Invalid(cases.EBay, op, "bad_resource", "resource %q is not conversationId/messageId", resource)
	}
	msgs, err := c.conversation(ctx, op, shopID, conversationID)
	if err != nil {
		return marketplace.WebhookEvent{}, err
	}
	var msg *messageDetail
	for i := range msgs {
		if msgs[i].MessageID == messageID {
			msg = &msgs[i]
		}
	}
	if msg == nil {
		return marketplace.WebhookEvent{}, marketplace.Invalid(cases.EBay, op, "not_found", "message %s not in conversation %s", messageID, conversationID)
	}
	convs, err := c.conversations(ctx, op, shopID, msg.SenderUsername, "")
	if err != nil {
		return marketplace.WebhookEvent{}, err
	}
	listing := ""
	for _, conv := range convs {
		if conv.ConversationID == conversationID && conv.ReferenceType == referenceListing {
			listing = conv.ReferenceID
		}
	}
	ev := marketplace.WebhookEvent{Kind: marketplace.WebhookBuyerMessage, ShopID: shopID, MessageID: msg.MessageID, Text: msg.MessageBody, At: msg.CreatedDate}
	if listing == "" {
		return ev, nil
	}
	o, found, err := c.findOrder(ctx, op, shopID, msg.CreatedDate, func(o order) bool {
		if o.Buyer.Username != msg.SenderUsername {
			return false
		}
		for _, l := range o.listings() {
			if l == listing {
				return true
			}
		}
		return false
	})
	if err != nil {
		return marketplace.WebhookEvent{}, err
	}
	if found {
		ev.OrderID = o.OrderID
	}
	return ev, nil
}
