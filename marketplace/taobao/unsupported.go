package taobao

import (
	"context"
	"net/http"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace"
)

// TOP publishes no API for seller-to-buyer chat, reships or rate appeals,
// and delivers TMC messages by pull, never by HTTP push. These say so, as a
// permanent error with code not_supported or a manual answer, without calling
// Taobao: the workflow turns them into manual steps.

// maxMessageChars is Qianniu's message limit, for the agent's draft.
const maxMessageChars = 500

// ParseWebhook: TMC has no HTTP push; PullEvents consumes its queue.
func (c *Client) ParseWebhook(ctx context.Context, r *http.Request, body []byte) ([]marketplace.WebhookEvent, error) {
	return nil, marketplace.NotSupported(cases.Taobao, "parse_webhook",
		"Taobao delivers TMC messages by pull (taobao.tmc.messages.consume), not by webhook")
}

// MessageEligibility: messages are a manual step in Qianniu.
func (c *Client) MessageEligibility(ctx context.Context, shopID, orderID string) (marketplace.Eligibility, error) {
	return marketplace.Eligibility{Allowed: false, Reason: "manual_step: TOP has no API to message a buyer; write in Qianniu", MaxChars: maxMessageChars}, nil
}

func (c *Client) SendBuyerMessage(ctx context.Context, req marketplace.MessageRequest) (marketplace.WriteResult, error) {
	return marketplace.WriteResult{}, marketplace.NotSupported(cases.Taobao, "send_buyer_message",
		"TOP has no API to message a buyer; send the message in Qianniu (千牛) and confirm it")
}

func (c *Client) CreateReship(ctx context.Context, req marketplace.ReshipRequest) (marketplace.WriteResult, error) {
	return marketplace.WriteResult{}, marketplace.NotSupported(cases.Taobao, "create_reship",
		"TOP has no reship API; ship the replacement from the seller centre and confirm it with the tracking number")
}

// SubmitAppeal: rate appeals (评价申诉) are filed in the seller centre by a person.
func (c *Client) SubmitAppeal(ctx context.Context, req marketplace.AppealRequest) (marketplace.AppealResult, error) {
	return marketplace.AppealResult{Manual: true, Status: "manual_required"}, nil
}
