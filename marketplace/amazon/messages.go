package amazon

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace"
)

const maxMessageChars = 2000

// halJSON is the media type the Messaging API model produces.
const halJSON = "application/hal+json"

var emailLike = regexp.MustCompile(`[^\s@]+@[^\s@]+\.[^\s@]+`)

// MessageEligibility asks which messaging actions the order allows
// (getMessagingActionsForOrder); the unexpectedProblem action is the one
// Redress sends.
func (c *Client) MessageEligibility(ctx context.Context, shopID, orderID string) (marketplace.Eligibility, error) {
	var res struct {
		Links struct {
			Actions []struct {
				Name string `json:"name"`
			} `json:"actions"`
		} `json:"_links"`
	}
	k := call{op: "message_eligibility", bucket: bucketMessagingActions, method: http.MethodGet,
		url: c.url("/messaging/v1/orders/%s", orderID) + c.marketplaceQuery(), accept: halJSON}
	if err := c.do(ctx, shopID, k, &res); err != nil {
		return marketplace.Eligibility{}, err
	}
	for _, a := range res.Links.Actions {
		if a.Name == "unexpectedProblem" {
			return marketplace.Eligibility{Allowed: true, MaxChars: maxMessageChars}, nil
		}
	}
	return marketplace.Eligibility{Allowed: false, Reason: "action_unavailable", MaxChars: maxMessageChars}, nil
}

// SendBuyerMessage sends an unexpectedProblem message (createUnexpectedProblem):
// 1–2000 characters, no HTML, no email addresses. SP-API lists no sent
// messages, so there is no read-back: a lost answer is ambiguous_write and
// needs a person.
func (c *Client) SendBuyerMessage(ctx context.Context, req marketplace.MessageRequest) (marketplace.WriteResult, error) {
	const op = "send_buyer_message"
	if n := utf8.RuneCountInString(req.Text); n == 0 || n > maxMessageChars {
		return marketplace.WriteResult{}, marketplace.Invalid(cases.Amazon, op, "text_length", "message must be 1–%d characters, got %d", maxMessageChars, n)
	}
	if (strings.Contains(req.Text, "<") && strings.Contains(req.Text, ">")) || emailLike.MatchString(req.Text) {
		return marketplace.WriteResult{}, marketplace.Invalid(cases.Amazon, op, "content", "message must not contain HTML or email addresses")
	}
	k := call{op: op, bucket: bucketUnexpectedProb, method: http.MethodPost, accept: halJSON,
		url:  c.url("/messaging/v1/orders/%s/messages/unexpectedProblem", req.OrderID) + c.marketplaceQuery(),
		body: map[string]string{"text": req.Text}}
	err := c.do(ctx, req.ShopID, k, nil)
	if me, ok := marketplace.AsError(err); ok && me.Class == cases.ErrAmbiguous {
		// Nothing can tell a retry whether the message went out.
		me.Code = marketplace.CodeUnverifiable
	}
	if err != nil {
		return marketplace.WriteResult{}, err
	}
	return marketplace.WriteResult{ID: marketplace.JoinID(req.OrderID, req.IdempotencyKey)}, nil
}
