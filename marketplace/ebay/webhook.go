package ebay

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace"
)

// Notification API topics Redress subscribes to.
const (
	topicFeedbackReceived = "FEEDBACK_RECEIVED"
	topicNewMessage       = "NEW_MESSAGE"
)

// notification is the Notification API envelope. The topics' data fields are
// published only as AsyncAPI contracts that are not among the specs this
// connector is tested against, so it reads ids alone and fetches the rest
// through the REST APIs (FetchReview, FetchBuyerMessage).
type notification struct {
	Metadata struct {
		Topic         string `json:"topic"`
		SchemaVersion string `json:"schemaVersion"`
		Deprecated    bool   `json:"deprecated"`
	} `json:"metadata"`
	Notification struct {
		NotificationID      string          `json:"notificationId"`
		EventDate           time.Time       `json:"eventDate"`
		PublishDate         time.Time       `json:"publishDate"`
		PublishAttemptCount int             `json:"publishAttemptCount"`
		Data                json.RawMessage `json:"data"`
	} `json:"notification"`
}

// feedbackReceived: the feedback and the seller who received it.
type feedbackReceived struct {
	FeedbackID      string `json:"feedbackId"`
	CommentType     string `json:"commentType"`
	RecipientUserID string `json:"recipientUserId"`
}

// newMessage: the message, its conversation and its two parties.
type newMessage struct {
	ConversationID    string `json:"conversationId"`
	MessageID         string `json:"messageId"`
	SenderUsername    string `json:"senderUsername"`
	RecipientUsername string `json:"recipientUsername"`
}

// ParseWebhook verifies X-EBAY-SIGNATURE and decodes FEEDBACK_RECEIVED and
// NEW_MESSAGE notifications into resources to fetch; other topics are ignored.
func (c *Client) ParseWebhook(ctx context.Context, r *http.Request, body []byte) ([]marketplace.WebhookEvent, error) {
	const op = "parse_webhook"
	if err := c.verify(ctx, r.Header.Get(SignatureHeader), body); err != nil {
		return nil, err
	}
	var n notification
	if err := json.Unmarshal(body, &n); err != nil || n.Notification.NotificationID == "" {
		return nil, marketplace.Invalid(cases.EBay, op, "bad_payload", "not an eBay notification")
	}
	ev := marketplace.WebhookEvent{DeliveryID: "ebay-" + n.Notification.NotificationID, At: n.Notification.EventDate, Kind: marketplace.WebhookIgnored}
	switch n.Metadata.Topic {
	case topicFeedbackReceived:
		var d feedbackReceived
		if json.Unmarshal(n.Notification.Data, &d) != nil || d.FeedbackID == "" || d.RecipientUserID == "" {
			return nil, marketplace.Invalid(cases.EBay, op, "bad_payload", "FEEDBACK_RECEIVED without feedbackId or recipientUserId")
		}
		ev.ShopID = d.RecipientUserID
		if d.CommentType == "POSITIVE" {
			break
		}
		ev.Kind, ev.ReviewID, ev.Resource = marketplace.WebhookReview, d.FeedbackID, d.FeedbackID
	case topicNewMessage:
		var d newMessage
		if json.Unmarshal(n.Notification.Data, &d) != nil || d.ConversationID == "" || d.MessageID == "" || d.RecipientUsername == "" {
			return nil, marketplace.Invalid(cases.EBay, op, "bad_payload", "NEW_MESSAGE without conversationId, messageId or recipientUsername")
		}
		ev.ShopID = d.RecipientUsername
		if d.SenderUsername == d.RecipientUsername {
			break
		}
		ev.Kind, ev.MessageID, ev.Resource = marketplace.WebhookBuyerMessage, d.MessageID, messageResource(d.ConversationID, d.MessageID)
	}
	return []marketplace.WebhookEvent{ev}, nil
}
