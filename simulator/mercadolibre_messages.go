package simulator

import (
	"bytes"
	"encoding/json"
	"net/http"
	"slices"
	"unicode"
	"unicode/utf8"

	"github.com/redress-hq/redress/cases"
)

// Post-sale messaging as Mercado Libre documents it: the seller may not start
// a conversation except by choosing a reason in the action guide (every
// simulated order ships with Mercado Envíos 2); on MLB and MLC messages go
// through the site's messaging agent; texts are at most 350 ISO-8859-1
// characters.

var meliAgents = map[string]string{"MLB": "3037675074", "MLC": "3020819166"}

// meliOtherGoneOnDelivery: sites where the free-text reason OTHER is no
// longer offered once the shipment is delivered (from 20/01/2025).
var meliOtherGoneOnDelivery = []string{"MEC", "MPE", "MLU", "MCO", "MLM", "MLC"}

// meliCounterpart is the buyer's id as the seller sees it: the agent's on agent sites.
func meliCounterpart(o *Order) string {
	if agent, ok := meliAgents[meliSite(o)]; ok {
		return agent
	}
	return o.BuyerID
}

func meliMessageJSON(o *Order, m ChatMessage) map[string]any {
	from, to := meliCounterpart(o), o.ShopID
	if m.From == "seller" {
		from, to = o.ShopID, meliCounterpart(o)
	}
	return map[string]any{
		"id": m.ID, "site_id": meliSite(o), "client_id": 1505, "status": "available", "subject": nil, "text": m.Text,
		"from": map[string]any{"user_id": meliNum(from)}, "to": map[string]any{"user_id": meliNum(to)},
		"message_date":        map[string]any{"received": m.At, "available": m.At, "notified": m.At, "created": m.At, "read": nil},
		"message_moderation":  map[string]any{"status": "clean", "reason": nil, "source": "online", "moderation_date": m.At},
		"message_attachments": nil, "conversation_first_message": false,
		"message_resources": []any{map[string]any{"id": o.ID, "name": "packs"}, map[string]any{"id": o.ShopID, "name": "sellers"}},
	}
}

func meliBlockReason(o *Order) string {
	switch {
	case o.MessagingClosed != "":
		return o.MessagingClosed
	case o.Refunded():
		return "blocked_by_refund"
	}
	return ""
}

// meliBuyerWrote: only a buyer's message opens the conversation to free messages.
func meliBuyerWrote(o *Order) bool {
	return slices.ContainsFunc(o.Chat, func(m ChatMessage) bool { return m.From != "seller" })
}

// meliOtherCap is how many messages the free-text reason still allows: one
// before the buyer answers.
func meliOtherCap(o *Order) int {
	if meliBuyerWrote(o) {
		return 1
	}
	sent := 0
	for _, m := range o.Chat {
		if m.From == "seller" {
			sent++
		}
	}
	return max(0, 1-sent)
}

// meliPack finds the pack (= order, the simulator has no multi-order packs) for the path.
func (s *Simulator) meliPack(w http.ResponseWriter, r *http.Request, shopID string) (*Order, bool) {
	o, ok := s.meliOrderOf(shopID, r.PathValue("pack"))
	if !ok || (r.PathValue("seller") != "" && r.PathValue("seller") != shopID) {
		meliMessagingError(w, 403, "forbidden", "User access token invalid for resource "+r.PathValue("pack"))
		return nil, false
	}
	if r.URL.Query().Get("tag") != "post_sale" {
		meliMessagingError(w, 400, "bad_request", "tag=post_sale is required")
		return nil, false
	}
	return o, true
}

func (s *Simulator) meliMessages(w http.ResponseWriter, r *http.Request, shopID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.meliPack(w, r, shopID)
	if !ok {
		return
	}
	msgs := []any{}
	for _, m := range o.Chat {
		msgs = append(msgs, meliMessageJSON(o, m))
	}
	status := map[string]any{"path": "/packs/" + o.ID + "/sellers/" + shopID, "status": "active", "substatus": nil,
		"status_date": o.CreatedAt, "status_update_allowed": false, "claim_id": nil, "shipping_id": nil}
	if reason := meliBlockReason(o); reason != "" {
		status["status"], status["substatus"] = "blocked", reason
	}
	writeJSON(w, 200, map[string]any{"paging": map[string]any{"limit": 10, "offset": 0, "total": len(msgs)}, "conversation_status": status,
		"messages": msgs, "seller_max_message_length": 350, "buyer_max_message_length": 3500})
}

// meliTextRefusal is the documented 400 for a text the platform does not take.
func meliTextRefusal(text string) string {
	switch {
	case text == "":
		return "A JSON body is required"
	case utf8.RuneCountInString(text) > 350:
		return "The message content is too long, max characters allowed are 350"
	case !meliCharset(text):
		return "The text has character/s that is/are not supported."
	}
	return ""
}

// meliCharset: ISO-8859-1 plus emoji (symbols, with their joiners and
// skin-tone modifiers).
func meliCharset(text string) bool {
	for _, r := range text {
		if r > unicode.MaxLatin1 && !unicode.In(r, unicode.So, unicode.Sk) && r != 0x200D && r != 0xFE0F {
			return false
		}
	}
	return true
}

// meliBody decodes a request body keeping numbers as written (ids arrive as
// strings or numbers).
func meliBody(w http.ResponseWriter, r *http.Request) (map[string]any, bool) {
	var buf bytes.Buffer
	_, _ = buf.ReadFrom(http.MaxBytesReader(w, r.Body, 1<<20))
	dec := json.NewDecoder(&buf)
	dec.UseNumber()
	var body map[string]any
	if err := dec.Decode(&body); err != nil {
		meliMessagingError(w, 400, "bad_request", "A JSON body is required")
		return nil, false
	}
	return body, true
}

func meliUserID(body map[string]any, side string) string {
	obj, _ := body[side].(map[string]any)
	switch v := obj["user_id"].(type) {
	case string:
		return v
	case json.Number:
		return v.String()
	}
	return ""
}

func (s *Simulator) meliSendMessage(w http.ResponseWriter, r *http.Request, shopID string) {
	body, ok := meliBody(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.meliPack(w, r, shopID)
	if !ok {
		return
	}
	text, _ := body["text"].(string)
	switch {
	case meliBlockReason(o) != "":
		meliMessagingError(w, 403, "forbidden", "blocked_conversation_send_message_forbidden")
	case meliUserID(body, "from") != shopID:
		meliMessagingError(w, 403, "forbidden", "Access denied for user "+meliUserID(body, "from")+" to order "+o.ID)
	case meliUserID(body, "to") == "":
		meliMessagingError(w, 400, "bad_request", "The field 'to.user_id' is required")
	case meliUserID(body, "to") != meliCounterpart(o):
		meliMessagingError(w, 403, "forbidden", "Receiver does not belong to order "+o.ID)
	case meliTextRefusal(text) != "":
		meliMessagingError(w, 400, "bad_request", meliTextRefusal(text))
	case !meliBuyerWrote(o):
		meliMessagingError(w, 403, "forbidden", "blocked_by_conversation_started_by_seller")
	default:
		writeJSON(w, 201, s.meliPostMessage(o, shopID, text))
	}
}

// meliPostMessage stores a seller message, unless moderation rejects it;
// callers hold s.mu.
func (s *Simulator) meliPostMessage(o *Order, shopID, text string) map[string]any {
	m := ChatMessage{ID: s.newID("msg"), At: s.now(), From: "seller", Text: text}
	out := meliMessageJSON(o, m)
	if reason := moderationReason(text); reason != "" {
		out["status"] = "moderated"
		out["message_moderation"] = map[string]any{"status": "rejected", "reason": reason, "source": "online", "moderation_date": m.At}
		return out
	}
	o.Chat = append(o.Chat, m)
	s.record(LedgerEntry{Platform: cases.MercadoLibre, ShopID: shopID, Kind: LedgerMessage, Ref: o.ID + "|" + text, ID: m.ID, OrderID: o.ID, Payload: text})
	return out
}

// meliMessage is GET /messages/{id} in its documented legacy shape.
func (s *Simulator) meliMessage(w http.ResponseWriter, r *http.Request, shopID string) {
	if r.URL.Query().Get("tag") != "post_sale" {
		meliMessagingError(w, 400, "bad_request", "tag=post_sale is required")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, o := range s.ordersOf(cases.MercadoLibre, shopID) {
		for _, m := range o.Chat {
			if m.ID != r.PathValue("id") {
				continue
			}
			j := meliMessageJSON(o, m)
			writeJSON(w, 200, map[string]any{"message_id": m.ID, "date_received": m.At, "date": m.At, "date_available": m.At,
				"date_notified": m.At, "date_read": nil, "from": j["from"], "to": j["to"], "subject": nil,
				"text": map[string]any{"plain": m.Text}, "attachments": []any{}, "site_id": meliSite(o),
				"resource": "orders", "resource_id": o.ID, "status": "available",
				"moderation": map[string]any{"status": "clean", "date_moderated": m.At, "source": "online"}})
			return
		}
	}
	meliMessagingError(w, 400, "bad_request", "The specified message id does not exists")
}

func (s *Simulator) meliActionGuide(w http.ResponseWriter, r *http.Request, shopID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.meliPack(w, r, shopID)
	if !ok {
		return
	}
	if reason := meliBlockReason(o); reason != "" {
		writeJSON(w, 403, map[string]any{"cause": reason, "error": "forbidden", "message": "The conversation is blocked", "status_code": 403})
		return
	}
	template := func(id string) map[string]any {
		return map[string]any{"id": id, "internal_description": id, "enabled": true, "type": "template", "actionable": true, "child_options": nil,
			"templates": []any{map[string]any{"id": "TEMPLATE___" + id + "___1", "vars": nil}}, "cap_available": 1}
	}
	options := []any{template("REQUEST_VARIANTS"), template("REQUEST_BILLING_INFO")}
	if !(o.DeliveredAt != nil && slices.Contains(meliOtherGoneOnDelivery, meliSite(o))) {
		options = append(options, map[string]any{"id": "OTHER", "internal_description": "OTHER", "enabled": true, "type": "free_text",
			"templates": nil, "actionable": true, "char_limit": 350, "child_options": nil, "cap_available": meliOtherCap(o)})
	}
	writeJSON(w, 200, map[string]any{"options": options})
}

// meliActionOption sends the seller's reason message (only OTHER's free text
// is modelled; templates are refused as not offered).
func (s *Simulator) meliActionOption(w http.ResponseWriter, r *http.Request, shopID string) {
	body, ok := meliBody(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.meliOrderOf(shopID, r.PathValue("pack"))
	if !ok {
		meliMessagingError(w, 404, "not_found", "pack not found")
		return
	}
	text, _ := body["text"].(string)
	switch {
	case meliBlockReason(o) != "":
		writeJSON(w, 403, map[string]any{"cause": meliBlockReason(o), "error": "forbidden", "message": "The conversation is blocked", "status_code": 403})
	case body["option_id"] != "OTHER" || (o.DeliveredAt != nil && slices.Contains(meliOtherGoneOnDelivery, meliSite(o))):
		writeJSON(w, 400, map[string]any{"cause": "invalid_option", "error": "bad_request", "message": "option not available", "status_code": 400})
	case meliOtherCap(o) <= 0:
		writeJSON(w, 400, map[string]any{"cause": "limit_exceeded", "error": "bad_request", "message": "limit exceeded", "status_code": 400})
	case meliTextRefusal(text) != "":
		writeJSON(w, 400, map[string]any{"cause": "invalid_text", "error": "bad_request", "message": meliTextRefusal(text), "status_code": 400})
	default:
		m := s.meliPostMessage(o, shopID, text)
		writeJSON(w, 201, map[string]any{"id": m["id"], "to": map[string]any{"user_id": meliNum(meliCounterpart(o)), "name": o.BuyerName},
			"status": m["status"], "text": text, "message_date": m["message_date"], "message_moderation": m["message_moderation"]})
	}
}
