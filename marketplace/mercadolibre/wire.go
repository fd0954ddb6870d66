package mercadolibre

import (
	"encoding/json"
	"strconv"
	"time"

	"github.com/redress-hq/redress/cases"
)

// Wire types: the parts of Mercado Libre's documented resources Redress reads.

// feedback is one side of GET /orders/{id}/feedback ("purchase" is the
// buyer's rating of the sale). Its id is a number; the revision flag is
// modified (there is no modification date).
type feedback struct {
	ID          flexID         `json:"id"`
	OrderID     flexID         `json:"order_id"`
	Rating      string         `json:"rating"` // negative, neutral, positive
	Message     string         `json:"message"`
	Status      string         `json:"status"` // "active" in every documented example
	DateCreated time.Time      `json:"date_created"`
	Modified    bool           `json:"modified"`
	Reply       *feedbackReply `json:"reply"`
	From        struct {
		ID       flexID `json:"id"`
		Nickname string `json:"nickname"`
	} `json:"from"`
}

// orderFeedback is GET /orders/{id}/feedback: both sides of the sale.
type orderFeedback struct {
	Purchase *feedback `json:"purchase"`
	Sale     *feedback `json:"sale"`
}

// feedbackReply is the seller's answer. Every documented example has
// "reply": null, so its shape is unknown: a plain string and an object with
// a text field are both read.
type feedbackReply struct {
	Text string
}

func (r *feedbackReply) UnmarshalJSON(b []byte) error {
	if err := json.Unmarshal(b, &r.Text); err == nil {
		return nil
	}
	var obj struct {
		Text string `json:"text"`
	}
	if err := json.Unmarshal(b, &obj); err != nil {
		return err
	}
	r.Text = obj.Text
	return nil
}

type payment struct {
	ID           flexID      `json:"id"`
	Status       string      `json:"status"`
	ShippingCost cases.Money `json:"shipping_cost"`
	DateApproved *time.Time  `json:"date_approved"`
}

type order struct {
	ID              flexID      `json:"id"`
	Status          string      `json:"status"`
	PackID          flexID      `json:"pack_id"`
	DateCreated     time.Time   `json:"date_created"`
	DateLastUpdated time.Time   `json:"date_last_updated"` // in search results
	TotalAmount     cases.Money `json:"total_amount"`
	CurrencyID      string      `json:"currency_id"`
	Buyer           struct {
		ID       flexID `json:"id"`
		Nickname string `json:"nickname"`
	} `json:"buyer"`
	OrderItems []struct {
		Item struct {
			ID    string `json:"id"`
			Title string `json:"title"`
		} `json:"item"`
	} `json:"order_items"`
	Payments []payment `json:"payments"`
	Shipping struct {
		ID flexID `json:"id"`
	} `json:"shipping"`
	// Feedback holds feedback ids (numbers) or null; the feedback itself is
	// read from /orders/{id}/feedback.
	Feedback struct {
		Purchase flexID `json:"purchase"`
		Sale     flexID `json:"sale"`
	} `json:"feedback"`
	Context struct {
		Site string `json:"site"`
	} `json:"context"`
}

// pack is where the order's conversation lives: its pack, or the order itself.
func (o order) pack() string {
	if o.PackID != "" {
		return string(o.PackID)
	}
	return string(o.ID)
}

func (o order) paymentID() string {
	if len(o.Payments) == 0 {
		return ""
	}
	return string(o.Payments[0].ID)
}

// site is the order's Mercado Libre site (MLA, MLB, …): context.site, else
// the prefix every item id carries.
func (o order) site() string {
	if o.Context.Site != "" {
		return o.Context.Site
	}
	if len(o.OrderItems) > 0 && len(o.OrderItems[0].Item.ID) >= 3 {
		return o.OrderItems[0].Item.ID[:3]
	}
	return ""
}

// message is a post-sale message as the pack listing and the action guide
// return it, and as GET /messages/{id} returns it in its legacy shape
// (message_id, text {"plain"}, resource/resource_id, date).
type message struct {
	ID        string      `json:"id"`
	MessageID string      `json:"message_id"`
	Text      messageText `json:"text"`
	Status    string      `json:"status"` // available, moderated, rejected, pending_translation
	From      struct {
		UserID flexID `json:"user_id"`
	} `json:"from"`
	MessageDate struct {
		Created time.Time `json:"created"`
	} `json:"message_date"`
	Date             time.Time `json:"date"`
	Resource         string    `json:"resource"`
	ResourceID       flexID    `json:"resource_id"`
	MessageResources []struct {
		ID   flexID `json:"id"`
		Name string `json:"name"`
	} `json:"message_resources"`
	Moderation *struct {
		Status string `json:"status"`
		Reason string `json:"reason"`
	} `json:"message_moderation"`
}

func (m message) id() string {
	if m.ID != "" {
		return m.ID
	}
	return m.MessageID
}

func (m message) at() time.Time {
	if !m.MessageDate.Created.IsZero() {
		return m.MessageDate.Created
	}
	return m.Date
}

// rejected reports a message moderation refused (the seller still sees it).
func (m message) rejected() (string, bool) {
	if m.Moderation != nil && m.Moderation.Status == "rejected" {
		return m.Moderation.Reason, true
	}
	return "", false
}

// messageText is a plain string, or {"plain": …} in the legacy message shape.
type messageText string

func (t *messageText) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*t = messageText(s)
		return nil
	}
	var legacy struct {
		Plain string `json:"plain"`
	}
	if err := json.Unmarshal(b, &legacy); err != nil {
		return err
	}
	*t = messageText(legacy.Plain)
	return nil
}

type conversation struct {
	ConversationStatus struct {
		Status    string `json:"status"`
		Substatus string `json:"substatus"`
	} `json:"conversation_status"`
	Messages               []message `json:"messages"`
	SellerMaxMessageLength int       `json:"seller_max_message_length"`
}

// buyerHasWritten: a seller may not start a conversation, only answer one.
// With messaging agents (MLB, MLC) the buyer's messages come from the agent's
// id, so anything not from the seller counts.
func (c conversation) buyerHasWritten(shopID string) bool {
	for _, m := range c.Messages {
		if string(m.From.UserID) != shopID {
			return true
		}
	}
	return false
}

// flexID accepts ids sent as numbers or strings (Mercado Libre uses both).
type flexID string

func (f *flexID) UnmarshalJSON(b []byte) error {
	s := string(b)
	if s == "null" {
		*f = ""
		return nil
	}
	if u, err := strconv.Unquote(s); err == nil {
		s = u
	}
	*f = flexID(s)
	return nil
}

func ratingOf(r string) int {
	switch r {
	case "negative":
		return 1
	case "neutral":
		return 3
	default:
		return 5
	}
}

// review is the buyer's feedback on the order, as a case sees it.
func review(shopID string, o order, fb *feedback) cases.Review {
	r := cases.Review{
		Marketplace: cases.MercadoLibre, ShopID: shopID, ReviewID: string(o.ID), OrderID: string(o.ID),
		Rating: ratingOf(fb.Rating), Text: fb.Message, CreatedAt: fb.DateCreated,
		Buyer:       cases.Buyer{ID: string(o.Buyer.ID), Name: o.Buyer.Nickname},
		OrderAmount: o.TotalAmount, Currency: o.CurrencyID,
	}
	if r.Buyer.ID == "" {
		r.Buyer.ID = string(fb.From.ID)
	}
	if r.Buyer.Name == "" {
		r.Buyer.Name = fb.From.Nickname
	}
	if len(o.OrderItems) > 0 {
		r.ItemID = o.OrderItems[0].Item.ID
	}
	if len(o.Payments) > 0 {
		r.ShippingFee = o.Payments[0].ShippingCost
	}
	return r
}
