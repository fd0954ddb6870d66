package ordercare

import (
	"time"

	"github.com/redress-hq/redress/cases"
)

// Channels a touchpoint can take.
const (
	ChannelMessage      = "message"      // the platform's buyer-message API (Connector.SendBuyerMessage)
	ChannelSolicitation = "solicitation" // Amazon Solicitations API productReviewAndSellerFeedback
	ChannelNone         = "none"
)

// Allowance says whether a platform allows a touchpoint, through which
// channel, and why — each checked against the platform's published contract
// in ../shared/specs.
type Allowance struct {
	Touchpoint Touchpoint `json:"touchpoint"`
	Allowed    bool       `json:"allowed"`
	Channel    string     `json:"channel"`
	// Manual: no API, but a person may send it in the seller console.
	Manual bool   `json:"manual,omitempty"`
	Why    string `json:"why"`
}

// Amazon's solicitation window after delivery (solicitations.json,
// createProductReviewAndSellerFeedbackSolicitation: once per order, 5–30 days
// after delivery).
const (
	SolicitFrom  = 5 * 24 * time.Hour
	SolicitUntil = 30 * 24 * time.Hour
)

var allowances = map[cases.Marketplace][]Allowance{
	cases.MercadoLibre: {
		{TouchShipped, true, ChannelMessage, false, "seller-started post-sale messages go through the action guide (messages_action_guide_*): free-text reason OTHER before delivery, within the reason's cap_available; the connector asks the guide first and never calls without a reason"},
		{TouchDayBefore, true, ChannelMessage, false, "same channel as shipped; a second seller message needs the guide to still offer a reason (or the buyer to have answered in the pack) — a refusal is recorded as not_allowed, never forced"},
		{TouchDelivered, false, ChannelNone, false, "the action guide's OTHER reason is unavailable once the shipment is delivered (messages_action_guide_option.request.other: MEC, MPE, MLU, MCO, MLM, MLC since 2025-01-20, later MLB/MLA); no seller-started message after delivery"},
		{TouchSolicitation, false, ChannelNone, false, "Mercado Libre has no review-request channel; Redress never asks for a rating"},
	},
	cases.EBay: {
		{TouchShipped, true, ChannelMessage, false, "Message API sendMessage (commerce_message_v1_oas3) about the order's listing; order-related, no marketing"},
		{TouchDayBefore, true, ChannelMessage, false, "Message API sendMessage; order-related"},
		{TouchDelivered, true, ChannelMessage, false, "Message API sendMessage; a greeting that never mentions feedback"},
		{TouchSolicitation, false, ChannelNone, false, "no solicitation API; feedback requests tied to anything are refused by the guard"},
	},
	cases.Amazon: {
		{TouchShipped, false, ChannelNone, false, "Amazon sends the shipment confirmation with tracking itself; the Messaging API (messaging.json) has no shipment-notice action and unsolicited messages are not permitted"},
		{TouchDayBefore, false, ChannelNone, false, "confirmDeliveryDetails is only for arranging a delivery or confirming contact information, not a courtesy reminder"},
		{TouchDelivered, false, ChannelNone, false, "no greeting action in messaging.json; the only post-delivery contact is the solicitation"},
		{TouchSolicitation, true, ChannelSolicitation, false, "solicitations.json createProductReviewAndSellerFeedbackSolicitation: Amazon's own fixed text, once per order, 5–30 days after delivery, only when getSolicitationActionsForOrder offers it"},
	},
	cases.Taobao: {
		{TouchShipped, false, ChannelNone, true, "TOP has no chat-send method (Qianniu/旺旺 only); Taobao notifies the buyer of shipment itself; a person may message in 千牛"},
		{TouchDayBefore, false, ChannelNone, true, "no chat-send method in TOP; manual in 千牛 at most"},
		{TouchDelivered, false, ChannelNone, true, "no chat-send method in TOP; manual in 千牛 at most"},
		{TouchSolicitation, false, ChannelNone, false, "2021-12-28 评价规范: no asking for reviews"},
	},
}

// Allowances returns the touchpoints of a marketplace in order.
func Allowances(m cases.Marketplace) []Allowance { return append([]Allowance(nil), allowances[m]...) }

// AllowanceFor returns one touchpoint's allowance (not allowed when unknown).
func AllowanceFor(m cases.Marketplace, t Touchpoint) Allowance {
	for _, a := range allowances[m] {
		if a.Touchpoint == t {
			return a
		}
	}
	return Allowance{Touchpoint: t, Channel: ChannelNone, Why: "unknown marketplace"}
}

// DefaultLanguage is the language a platform's buyers are written to when
// the order does not say.
func DefaultLanguage(m cases.Marketplace) string {
	switch m {
	case cases.MercadoLibre:
		return cases.LangES
	case cases.Taobao:
		return cases.LangZH
	}
	return cases.LangEN
}
