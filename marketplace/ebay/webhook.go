package ebay

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace"
)

// SignatureHeader carries the notification signature as Redress models it:
// hex HMAC-SHA256 of the body keyed by EBAY_WEBHOOK_SECRET. (eBay's real
// X-EBAY-SIGNATURE is an ECDSA signature checked against eBay's public key;
// the shared-secret model keeps the simulator self-contained.)
const SignatureHeader = "X-EBAY-SIGNATURE"

type notification struct {
	NotificationID string    `json:"notificationId"`
	EventType      string    `json:"eventType"`
	PublishDate    time.Time `json:"publishDate"`
	Data           struct {
		FeedbackID          string    `json:"feedbackId"`
		CommentType         string    `json:"commentType"`
		CommentText         string    `json:"commentText"`
		OrderID             string    `json:"orderId"`
		BuyerUsername       string    `json:"buyerUsername"`
		SellerUsername      string    `json:"sellerUsername"`
		FeedbackEnteredDate time.Time `json:"feedbackEnteredDate"`
		MessageID           string    `json:"messageId"`
		SenderUsername      string    `json:"senderUsername"`
		Text                string    `json:"text"`
	} `json:"data"`
}

// ParseWebhook verifies and decodes FeedbackReceived and M2MMessage
// (buyer member message) notifications.
func (c *Client) ParseWebhook(ctx context.Context, r *http.Request, body []byte) ([]marketplace.WebhookEvent, error) {
	const op = "parse_webhook"
	if !marketplace.VerifyHMAC(c.cfg.WebhookSecret, body, r.Header.Get(SignatureHeader)) {
		return nil, marketplace.BadSignature(cases.EBay, "X-EBAY-SIGNATURE does not match")
	}
	var n notification
	if err := json.Unmarshal(body, &n); err != nil || n.NotificationID == "" {
		return nil, marketplace.Invalid(cases.EBay, op, "bad_payload", "not an eBay notification")
	}
	d := n.Data
	ev := marketplace.WebhookEvent{DeliveryID: "ebay-" + n.NotificationID, ShopID: d.SellerUsername, At: n.PublishDate, Kind: marketplace.WebhookIgnored}
	switch n.EventType {
	case "FeedbackReceived":
		if ratingOf(d.CommentType) > 3 {
			break
		}
		if d.FeedbackID == "" || d.SellerUsername == "" {
			return nil, marketplace.Invalid(cases.EBay, op, "bad_payload", "FeedbackReceived without feedbackId or sellerUsername")
		}
		ev.Kind, ev.ReviewID, ev.OrderID = marketplace.WebhookReview, d.FeedbackID, d.OrderID
		ev.Review = &cases.Review{Marketplace: cases.EBay, ShopID: d.SellerUsername, ReviewID: d.FeedbackID, OrderID: d.OrderID,
			Rating: ratingOf(d.CommentType), Text: d.CommentText, CreatedAt: d.FeedbackEnteredDate,
			Buyer: cases.Buyer{ID: d.BuyerUsername, Name: d.BuyerUsername}}
	case "M2MMessage":
		if d.SellerUsername == "" || d.OrderID == "" || d.MessageID == "" {
			return nil, marketplace.Invalid(cases.EBay, op, "bad_payload", "M2MMessage without sellerUsername, orderId or messageId")
		}
		ev.Kind, ev.OrderID, ev.MessageID, ev.Text = marketplace.WebhookBuyerMessage, d.OrderID, d.MessageID, d.Text
	}
	return []marketplace.WebhookEvent{ev}, nil
}
