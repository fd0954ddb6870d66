package simulator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"

	"github.com/redress-hq/redress/cases"
)

// Webhook formats, as the connectors parse them:
//   - mercadolibre: {_id,resource,user_id,topic,application_id,attempts,sent,received},
//     topics orders_feedback (/orders/{id}/feedback) and messages (/messages/{id}); unsigned.
//   - taobao: none pushed; TMC messages wait in the queue taobao.tmc.messages.consume
//     reads (taobao_tmc.go); buyer chat has no notification.
//   - ebay: Notification API {metadata:{topic,schemaVersion,deprecated},notification:{notificationId,
//     eventDate,publishDate,publishAttemptCount,data}}, topics FEEDBACK_RECEIVED and NEW_MESSAGE;
//     header X-EBAY-SIGNATURE = base64 JSON {alg,kid,signature,digest}, ECDSA (see ebay_notify.go).
//   - amazon: none (no review or buyer-message notifications).

// EmitReview posts the review's notification to Options.WebhookURL/{platform}.
func (s *Simulator) EmitReview(platform cases.Marketplace, reviewID string) error {
	s.mu.Lock()
	r, ok := s.reviews[key(platform, reviewID)]
	if !ok {
		s.mu.Unlock()
		return ErrNotFound
	}
	s.events++
	id := fmt.Sprintf("%s-%d", platform, s.events)
	now := s.now()
	var body any
	switch platform {
	case cases.MercadoLibre:
		body = map[string]any{"_id": id, "resource": "/orders/" + r.OrderID + "/feedback", "user_id": r.ShopID, "topic": "orders_feedback",
			"application_id": s.opts.Apps[platform].ClientID, "attempts": 1, "sent": now, "received": now}
	case cases.Taobao:
		// TMC is pulled, not pushed: the message waits in the app's queue.
		s.queueTradeRated(r)
		s.mu.Unlock()
		return nil
	case cases.EBay:
		body = ebayFeedbackNotification(id, now, r)
	default:
		s.mu.Unlock()
		return nil // Amazon has no review notifications
	}
	s.mu.Unlock()
	return s.post(platform, body)
}

// EmitBuyerMessage posts a buyer message notification.
func (s *Simulator) EmitBuyerMessage(platform cases.Marketplace, orderID, messageID string) error {
	s.mu.Lock()
	o, ok := s.orders[key(platform, orderID)]
	if !ok {
		s.mu.Unlock()
		return ErrNotFound
	}
	var msg *ChatMessage
	for i := range o.Chat {
		if o.Chat[i].ID == messageID {
			msg = &o.Chat[i]
		}
	}
	if msg == nil {
		s.mu.Unlock()
		return ErrNotFound
	}
	s.events++
	id := fmt.Sprintf("%s-%d", platform, s.events)
	now := s.now()
	var body any
	switch platform {
	case cases.MercadoLibre:
		body = map[string]any{"_id": id, "resource": "/messages/" + msg.ID, "user_id": o.ShopID, "topic": "messages",
			"application_id": s.opts.Apps[platform].ClientID, "attempts": 1, "sent": now, "received": now}
	case cases.EBay:
		body = ebayMessageNotification(id, now, o, msg)
	default:
		s.mu.Unlock()
		return nil
	}
	s.mu.Unlock()
	return s.post(platform, body)
}

func (s *Simulator) post(platform cases.Marketplace, body any) error {
	data, err := json.Marshal(body)
	if err != nil {
		return fmt.Errorf("simulator: encode webhook: %w", err)
	}
	req, err := http.NewRequest(http.MethodPost, s.opts.WebhookURL+"/"+string(platform), bytes.NewReader(data))
	if err != nil {
		return fmt.Errorf("simulator: webhook request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	for k, v := range s.WebhookHeaders(platform, data) {
		req.Header.Set(k, v)
	}
	resp, err := s.opts.HTTPClient.Do(req)
	if err != nil {
		return fmt.Errorf("simulator: deliver webhook: %w", err)
	}
	resp.Body.Close()
	if resp.StatusCode >= 300 {
		return fmt.Errorf("simulator: webhook answered %s", strconv.Itoa(resp.StatusCode))
	}
	return nil
}

// WebhookHeaders returns the signature headers a delivery of body carries.
func (s *Simulator) WebhookHeaders(platform cases.Marketplace, body []byte) map[string]string {
	switch platform {
	case cases.EBay:
		return map[string]string{"X-EBAY-SIGNATURE": ebaySignature(body)}
	}
	return nil
}
