package mercadolibre

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace"
)

// notification is Mercado Libre's delivery: it names a resource only. Its
// id is "_id" or "id" depending on the topic; messages carry actions
// (created, read).
type notification struct {
	ID            string    `json:"_id"`
	AltID         string    `json:"id"`
	Actions       []string  `json:"actions"`
	Resource      string    `json:"resource"`
	UserID        flexID    `json:"user_id"`
	Topic         string    `json:"topic"`
	ApplicationID flexID    `json:"application_id"`
	Attempts      int       `json:"attempts"`
	Sent          time.Time `json:"sent"`
	Received      time.Time `json:"received"`
}

// ParseWebhook decodes a notification. Mercado Libre does not sign them, so
// the check is that application_id is ours (code bad_signature otherwise);
// the caller fetches the resource (FetchReview) after answering 200.
func (c *Client) ParseWebhook(ctx context.Context, r *http.Request, body []byte) ([]marketplace.WebhookEvent, error) {
	var n notification
	if err := json.Unmarshal(body, &n); err != nil || n.Resource == "" || n.Topic == "" {
		return nil, marketplace.Invalid(cases.MercadoLibre, "parse_webhook", "bad_payload", "not a Mercado Libre notification")
	}
	if c.cfg.ClientID != "" && string(n.ApplicationID) != c.cfg.ClientID {
		return nil, marketplace.BadSignature(cases.MercadoLibre, fmt.Sprintf("notification for application %q", n.ApplicationID))
	}
	ev := marketplace.WebhookEvent{DeliveryID: deliveryID(n), ShopID: string(n.UserID), At: n.Sent, Resource: n.Resource}
	switch n.Topic {
	case "orders_feedback":
		ev.Kind = marketplace.WebhookReview
		if id, ok := orderFromResource(n.Resource); ok {
			ev.ReviewID, ev.OrderID = id, id
		}
	case "messages":
		ev.Kind = marketplace.WebhookBuyerMessage
		ev.MessageID = strings.TrimPrefix(n.Resource, "/messages/")
		if len(n.Actions) > 0 && !slices.Contains(n.Actions, "created") {
			ev.Kind = marketplace.WebhookIgnored // a read receipt, not a new message
		}
	case "orders_v2": // order care (issue 15): the order changed
		ev.Kind = marketplace.WebhookOrder
		ev.OrderID = strings.TrimPrefix(n.Resource, "/orders/")
	case "shipments":
		ev.Kind = marketplace.WebhookShipment
	case "questions":
		ev.Kind = marketplace.WebhookQuestion
		ev.MessageID = strings.TrimPrefix(n.Resource, "/questions/")
	default:
		ev.Kind = marketplace.WebhookIgnored
	}
	return []marketplace.WebhookEvent{ev}, nil
}

// deliveryID is stable across Mercado Libre's retries of one notification.
func deliveryID(n notification) string {
	if id := cmp.Or(n.ID, n.AltID); id != "" {
		return "meli-" + id
	}
	sum := sha256.Sum256([]byte(n.Topic + "\x00" + n.Resource + "\x00" + string(n.UserID) + "\x00" + strconv.FormatInt(n.Sent.UnixNano(), 10)))
	return "meli-" + hex.EncodeToString(sum[:12])
}
