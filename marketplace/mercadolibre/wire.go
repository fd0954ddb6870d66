package mercadolibre

import (
	"strconv"
	"time"

	"github.com/redress-hq/redress/cases"
)

// Wire types: the parts of Mercado Libre's resources Redress reads.

type feedback struct {
	ID           string    `json:"id"`
	Rating       string    `json:"rating"` // negative, neutral, positive
	Message      string    `json:"message"`
	Status       string    `json:"status"` // active, hidden
	DateCreated  time.Time `json:"date_created"`
	DateModified time.Time `json:"date_modified"`
	Reply        *struct {
		Text string `json:"text"`
	} `json:"reply"`
}

type order struct {
	ID          flexID      `json:"id"`
	Status      string      `json:"status"`
	PackID      *flexID     `json:"pack_id"`
	DateCreated time.Time   `json:"date_created"`
	TotalAmount cases.Money `json:"total_amount"`
	CurrencyID  string      `json:"currency_id"`
	Buyer       struct {
		ID       flexID `json:"id"`
		Nickname string `json:"nickname"`
	} `json:"buyer"`
	OrderItems []struct {
		Item struct {
			ID    string `json:"id"`
			Title string `json:"title"`
		} `json:"item"`
	} `json:"order_items"`
	Payments []struct {
		ID           flexID      `json:"id"`
		Status       string      `json:"status"`
		ShippingCost cases.Money `json:"shipping_cost"`
		DateApproved *time.Time  `json:"date_approved"`
	} `json:"payments"`
	Shipping struct {
		ID flexID `json:"id"`
	} `json:"shipping"`
	Feedback struct {
		Purchase *feedback `json:"purchase"`
	} `json:"feedback"`
}

// pack is where the order's conversation lives: its pack, or the order itself.
func (o order) pack() string {
	if o.PackID != nil && *o.PackID != "" {
		return string(*o.PackID)
	}
	return string(o.ID)
}

func (o order) paymentID() string {
	if len(o.Payments) == 0 {
		return ""
	}
	return string(o.Payments[0].ID)
}

type message struct {
	ID   string `json:"id"`
	Text string `json:"text"`
	From struct {
		UserID flexID `json:"user_id"`
	} `json:"from"`
	MessageDate struct {
		Created time.Time `json:"created"`
	} `json:"message_date"`
	MessageResources []struct {
		ID   flexID `json:"id"`
		Name string `json:"name"`
	} `json:"message_resources"`
	Moderation *struct {
		Status string `json:"status"`
		Reason string `json:"reason"`
	} `json:"message_moderation"`
}

type conversation struct {
	ConversationStatus struct {
		Status    string `json:"status"`
		Substatus string `json:"substatus"`
	} `json:"conversation_status"`
	Messages []message `json:"messages"`
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

func (o order) review(shopID string) cases.Review {
	fb := o.Feedback.Purchase
	r := cases.Review{
		Marketplace: cases.MercadoLibre, ShopID: shopID, ReviewID: string(o.ID), OrderID: string(o.ID),
		Rating: ratingOf(fb.Rating), Text: fb.Message, CreatedAt: fb.DateCreated,
		Buyer:       cases.Buyer{ID: string(o.Buyer.ID), Name: o.Buyer.Nickname},
		OrderAmount: o.TotalAmount, Currency: o.CurrencyID,
	}
	if len(o.OrderItems) > 0 {
		r.ItemID = o.OrderItems[0].Item.ID
	}
	if len(o.Payments) > 0 {
		r.ShippingFee = o.Payments[0].ShippingCost
	}
	return r
}
