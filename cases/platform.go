package cases

import "time"

// PlatformRules are a marketplace's limits and rules that Redress must obey.
// Sources: each platform's developer documentation (see shared marketplaces.md).
type PlatformRules struct {
	Marketplace Marketplace `json:"marketplace"`
	// Public replies.
	PublicReply             bool          `json:"public_reply"`               // a public reply channel exists
	PublicReplyMaxChars     int           `json:"public_reply_max_chars"`     // limit of the reply endpoint
	PublicReplyWindow       time.Duration `json:"public_reply_window"`        // 0: no window
	ReplyBlockedByFollowUp  bool          `json:"reply_blocked_by_follow_up"` // Taobao: not after 追评
	ReplyNeedsHumanApproval bool          `json:"reply_needs_human_approval"` // eBay bans automated replies
	// Private messages.
	MessageMaxChars     int    `json:"message_max_chars"`
	MessageCharset      string `json:"message_charset,omitempty"` // e.g. ISO-8859-1
	AutoMessageAllowed  bool   `json:"auto_message_allowed"`
	MessageBeforeRefund bool   `json:"message_before_refund"` // refunds close the conversation
	// MessageReadBack: sent messages can be listed, so a retry after a lost
	// answer finds the first send instead of repeating it (not on Amazon).
	MessageReadBack bool `json:"message_read_back"`
	// Reviews.
	ForbidsReviewChangeRequest bool `json:"forbids_review_change_request"`
	ReviewWebhooks             bool `json:"review_webhooks"` // else poll
	// Remedies and appeals.
	Refunds   bool `json:"refunds"`
	Coupons   bool `json:"coupons"`
	Reships   bool `json:"reships"`
	AppealAPI bool `json:"appeal_api"` // false: a person files the appeal
	// Which steps the platform's published API can perform (Refunds, Coupons and
	// Reships above say whether the remedy exists on the platform at all). A step
	// without an API is a manual step: the agent does it in the seller console and
	// confirms it with a reference; no connector calls an invented endpoint.
	MessageAPI bool `json:"message_api"` // send a private message to the buyer
	RefundAPI  bool `json:"refund_api"`
	CouponAPI  bool `json:"coupon_api"`
	ReshipAPI  bool `json:"reship_api"`
	// Rate limits of the message endpoint: N calls per Per.
	MessageRateN   int           `json:"message_rate_n"`
	MessageRatePer time.Duration `json:"message_rate_per"`
}

var platformRules = map[Marketplace]PlatformRules{
	MercadoLibre: {
		Marketplace: MercadoLibre, PublicReply: true, PublicReplyMaxChars: 159,
		MessageMaxChars: 350, MessageCharset: "ISO-8859-1", AutoMessageAllowed: true, MessageBeforeRefund: true,
		MessageReadBack:            true,
		ForbidsReviewChangeRequest: false, ReviewWebhooks: true,
		Refunds: true, Coupons: true, Reships: true, AppealAPI: false,
		MessageAPI: true, RefundAPI: true, CouponAPI: false, ReshipAPI: false, // Mercado Pago refunds; no per-buyer coupon or reship API
		MessageRateN: 500, MessageRatePer: time.Minute,
	},
	EBay: {
		Marketplace: EBay, PublicReply: true, PublicReplyMaxChars: 500, ReplyNeedsHumanApproval: true,
		MessageMaxChars: 2000, AutoMessageAllowed: true, MessageReadBack: true,
		ForbidsReviewChangeRequest: false, ReviewWebhooks: true,
		Refunds: true, Coupons: true, Reships: true, AppealAPI: false,
		MessageAPI: true, RefundAPI: true, CouponAPI: true, ReshipAPI: false, // Message, Fulfillment issue_refund, Marketing coded coupons
		MessageRateN: 75, MessageRatePer: time.Minute,
	},
	Amazon: {
		Marketplace: Amazon, PublicReply: false,
		MessageMaxChars: 2000, AutoMessageAllowed: true,
		ForbidsReviewChangeRequest: true, ReviewWebhooks: false,
		Refunds: true, Coupons: false, Reships: true, AppealAPI: false,
		MessageAPI: true, RefundAPI: false, CouponAPI: false, ReshipAPI: true, // Messaging; refunds only in Seller Central; MCF reships
		MessageRateN: 1, MessageRatePer: time.Second,
	},
	Taobao: {
		Marketplace: Taobao, PublicReply: true, PublicReplyMaxChars: 500, PublicReplyWindow: 30 * 24 * time.Hour,
		ReplyBlockedByFollowUp: true,
		MessageMaxChars:        500, AutoMessageAllowed: true,
		ForbidsReviewChangeRequest: true, ReviewWebhooks: true,
		Refunds: true, Coupons: true, Reships: true, AppealAPI: false,
		MessageAPI: false, RefundAPI: false, CouponAPI: true, ReshipAPI: false, // chat, seller refunds and reships are not in TOP; coupon.send is
		MessageRateN: 100, MessageRatePer: time.Minute,
	},
}

// RulesFor returns the rules of a marketplace (zero value for an unknown one).
func RulesFor(m Marketplace) PlatformRules { return platformRules[m] }
