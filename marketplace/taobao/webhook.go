package taobao

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace"
)

// SignatureHeader carries the TMC push signature as Redress models it: hex
// HMAC-SHA256 of the body keyed by the app secret (TAOBAO_APP_SECRET).
const SignatureHeader = "X-TOP-Signature"

// tmcMessage is a TMC message pushed over HTTP; content is a JSON string.
type tmcMessage struct {
	ID       flexID `json:"id"`
	Topic    string `json:"topic"`
	PubTime  string `json:"pub_time"`
	UserNick string `json:"user_nick"`
	Content  string `json:"content"`
}

type rateContent struct {
	Tid       flexID `json:"tid"`
	Oid       flexID `json:"oid"`
	Rater     string `json:"rater"`
	Result    string `json:"result"`
	Content   string `json:"content"`
	Created   string `json:"created"`
	BuyerNick string `json:"buyer_nick"`
	MsgID     string `json:"msg_id"`
}

// ParseWebhook verifies and decodes a TMC push: taobao_trade_TradeRated
// (a buyer rated a trade) and taobao_qianniu_BuyerMessage (modelled).
func (c *Client) ParseWebhook(ctx context.Context, r *http.Request, body []byte) ([]marketplace.WebhookEvent, error) {
	const op = "parse_webhook"
	if !marketplace.VerifyHMAC(c.cfg.ClientSecret, body, r.Header.Get(SignatureHeader)) {
		return nil, marketplace.BadSignature(cases.Taobao, "TMC signature does not match")
	}
	var m tmcMessage
	if err := json.Unmarshal(body, &m); err != nil || m.Topic == "" {
		return nil, marketplace.Invalid(cases.Taobao, op, "bad_payload", "not a TMC message")
	}
	ev := marketplace.WebhookEvent{DeliveryID: "tmc-" + string(m.ID), ShopID: m.UserNick, At: topTimeOf(m.PubTime), Kind: marketplace.WebhookIgnored}
	var ct rateContent
	if m.Content != "" {
		if err := json.Unmarshal([]byte(m.Content), &ct); err != nil {
			return nil, marketplace.Invalid(cases.Taobao, op, "bad_payload", "TMC content is not JSON: %v", err)
		}
	}
	switch m.Topic {
	case "taobao_trade_TradeRated":
		if ct.Rater != "buyer" || ct.Result == "good" {
			break // the seller's own rates and good rates open no case
		}
		ev.Kind = marketplace.WebhookReview
		ev.ReviewID, ev.OrderID = marketplace.JoinID(string(ct.Tid), string(ct.Oid)), string(ct.Tid)
		ev.Review = &cases.Review{Marketplace: cases.Taobao, ShopID: m.UserNick, ReviewID: ev.ReviewID, OrderID: ev.OrderID,
			Rating: ratingOf(ct.Result), Text: ct.Content, Language: "zh", CreatedAt: topTimeOf(ct.Created),
			Buyer: cases.Buyer{ID: ct.BuyerNick, Name: ct.BuyerNick}, Currency: "CNY"}
	case "taobao_qianniu_BuyerMessage":
		ev.Kind = marketplace.WebhookBuyerMessage
		ev.OrderID, ev.MessageID, ev.Text = string(ct.Tid), ct.MsgID, ct.Content
	}
	return []marketplace.WebhookEvent{ev}, nil
}

// flexID accepts ids sent as JSON numbers or strings.
type flexID string

func (f *flexID) UnmarshalJSON(b []byte) error {
	s := string(b)
	if u, err := strconv.Unquote(s); err == nil {
		s = u
	}
	if s == "null" {
		s = ""
	}
	*f = flexID(s)
	return nil
}
