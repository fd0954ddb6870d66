package taobao

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/url"
	"strconv"
	"strings"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace"
)

var _ marketplace.EventPuller = (*Client)(nil)

// tmcMessage is TOP's TmcMessage; content is a JSON string.
type tmcMessage struct {
	ID       flexID `json:"id"`
	Topic    string `json:"topic"`
	PubTime  string `json:"pub_time"`
	UserNick string `json:"user_nick"`
	Content  string `json:"content"`
}

// tradeRated is the content of taobao_trade_TradeRated (交易评价变更消息):
// which rate changed, not what it says.
type tradeRated struct {
	Tid   flexID `json:"tid"`
	Oid   flexID `json:"oid"`
	Rater string `json:"rater"` // buyer, seller, unknown
}

// tmcBatch is how many messages one consume takes (TOP: 10 to 200).
const tmcBatch = 100

// PullEvents consumes the app's TMC queue (taobao.tmc.messages.consume, an
// app-level call: messages of every authorized shop, not only shopID). A
// buyer's taobao_trade_TradeRated becomes a review event with the rate as it
// stands (read with the rated shop's session); other topics and rates of
// shops Redress holds no session for are confirmed and dropped.
func (c *Client) PullEvents(ctx context.Context, shopID string) (marketplace.PulledEvents, error) {
	const op = "pull_events"
	var res struct {
		Messages topList[tmcMessage] `json:"messages"`
	}
	q := url.Values{"quantity": {strconv.Itoa(tmcBatch)}}
	if err := c.invoke(ctx, op, "", "", "taobao.tmc.messages.consume", q, false, &res); err != nil {
		return marketplace.PulledEvents{}, err
	}
	var out marketplace.PulledEvents
	for _, m := range res.Messages {
		out.Receipts = append(out.Receipts, string(m.ID))
		ev, ok, err := c.tmcEvent(ctx, op, m)
		if err != nil {
			return marketplace.PulledEvents{}, err
		}
		if ok {
			out.Events = append(out.Events, ev)
		}
	}
	return out, nil
}

// tmcEvent turns one message into an event; ok is false for messages that
// are not Redress's business.
func (c *Client) tmcEvent(ctx context.Context, op string, m tmcMessage) (marketplace.WebhookEvent, bool, error) {
	if m.Topic != "taobao_trade_TradeRated" {
		return marketplace.WebhookEvent{}, false, nil
	}
	var ct tradeRated
	if err := json.Unmarshal([]byte(m.Content), &ct); err != nil || ct.Tid == "" || ct.Oid == "" {
		slog.WarnContext(ctx, "taobao: unreadable TradeRated message dropped", "id", m.ID, "content", m.Content)
		return marketplace.WebhookEvent{}, false, nil
	}
	if ct.Rater == "seller" {
		return marketplace.WebhookEvent{}, false, nil // the seller's own rate of the buyer
	}
	r, err := c.rate(ctx, op, m.UserNick, string(ct.Tid), string(ct.Oid))
	if me, ok := marketplace.AsError(err); ok && me.Class == cases.ErrAuthRevoked {
		// Not a shop Redress serves (or its session lapsed: the shop's poll
		// catches the rate up once the seller authorizes again).
		slog.WarnContext(ctx, "taobao: rate of a shop without a valid session dropped", "shop", m.UserNick, "tid", ct.Tid, "err", err)
		return marketplace.WebhookEvent{}, false, nil
	}
	if err != nil || r == nil {
		return marketplace.WebhookEvent{}, false, err
	}
	review := r.review(m.UserNick)
	return marketplace.WebhookEvent{Kind: marketplace.WebhookReview, DeliveryID: "tmc-" + string(m.ID), ShopID: m.UserNick,
		Review: &review, ReviewID: review.ReviewID, OrderID: review.OrderID, At: topTimeOf(m.PubTime)}, true, nil
}

// ConfirmEvents confirms consumed messages (taobao.tmc.messages.confirm,
// at most 200 ids a call); unconfirmed ones are delivered again.
func (c *Client) ConfirmEvents(ctx context.Context, shopID string, receipts []string) error {
	const op = "confirm_events"
	for len(receipts) > 0 {
		n := min(len(receipts), 200)
		var res struct {
			IsSuccess bool `json:"is_success"`
		}
		if err := c.invoke(ctx, op, "", "", "taobao.tmc.messages.confirm", url.Values{"s_message_ids": {strings.Join(receipts[:n], ",")}}, false, &res); err != nil {
			return err
		}
		if !res.IsSuccess {
			return c.http.Errorf(op, cases.ErrRetryable, 0, "confirm_failed", "TMC did not confirm %d messages", n)
		}
		receipts = receipts[n:]
	}
	return nil
}
