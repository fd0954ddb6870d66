package simulator

import (
	"net/http"
	"unicode/utf8"

	"github.com/redress-hq/redress/cases"
)

// ebayMessageDetail is a Message API MessageDetail; callers hold s.mu.
func ebayMessageDetail(o *Order, m ChatMessage) map[string]any {
	sender, recipient := o.BuyerName, o.ShopID
	if m.From == "seller" {
		sender, recipient = o.ShopID, o.BuyerName
	}
	return map[string]any{"messageId": m.ID, "senderUsername": sender, "recipientUsername": recipient,
		"messageBody": m.Text, "createdDate": m.At, "readStatus": false, "subject": o.Item}
}

// ebayConversations serves getConversations (FROM_MEMBERS): one conversation
// per order with messages, about the order's listing.
func (s *Simulator) ebayConversations(w http.ResponseWriter, r *http.Request, shopID string) {
	q := r.URL.Query()
	if q.Get("conversation_type") != "FROM_MEMBERS" {
		ebayError(w, 400, 355201, "REQUEST", "conversation_type FROM_MEMBERS is required")
		return
	}
	if q.Get("reference_id") != "" && q.Get("reference_type") != "LISTING" {
		ebayError(w, 400, 355003, "REQUEST", "Invalid referenceType value")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	list := []any{}
	for _, o := range s.ordersOf(cases.EBay, shopID) {
		if len(o.Chat) == 0 {
			continue
		}
		if other := q.Get("other_party_username"); other != "" && other != o.BuyerName {
			continue
		}
		if ref := q.Get("reference_id"); ref != "" && ref != ebayListingID(o) {
			continue
		}
		list = append(list, map[string]any{"conversationId": ebayConversationID(o), "conversationStatus": "ACTIVE",
			"conversationType": "FROM_MEMBERS", "conversationTitle": o.Item, "createdDate": o.Chat[0].At,
			"referenceId": ebayListingID(o), "referenceType": "LISTING", "unreadCount": 0,
			"latestMessage": ebayMessageDetail(o, o.Chat[len(o.Chat)-1])})
	}
	writeJSON(w, 200, map[string]any{"conversations": list, "total": len(list), "limit": 25, "offset": 0})
}

// ebayConversation serves getConversation: the conversation's messages.
func (s *Simulator) ebayConversation(w http.ResponseWriter, r *http.Request, shopID string) {
	if r.URL.Query().Get("conversation_type") != "FROM_MEMBERS" {
		ebayError(w, 400, 355201, "REQUEST", "conversation_type FROM_MEMBERS is required")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, o := range s.ordersOf(cases.EBay, shopID) {
		if ebayConversationID(o) == r.PathValue("id") {
			msgs := []any{}
			for _, m := range o.Chat {
				msgs = append(msgs, ebayMessageDetail(o, m))
			}
			writeJSON(w, 200, map[string]any{"conversationStatus": "ACTIVE", "conversationType": "FROM_MEMBERS", "conversationTitle": o.Item,
				"messages": msgs, "total": len(msgs), "limit": 25, "offset": 0})
			return
		}
	}
	ebayError(w, 404, 355204, "REQUEST", "conversation not found")
}

// ebaySendMessage serves sendMessage to a buyer about a listing they bought
// (referenceType LISTING, the only type eBay takes), ≤ 2000 characters.
func (s *Simulator) ebaySendMessage(w http.ResponseWriter, r *http.Request, shopID string) {
	var body struct {
		OtherPartyUsername string `json:"otherPartyUsername"`
		MessageText        string `json:"messageText"`
		Reference          struct {
			ReferenceID   string `json:"referenceId"`
			ReferenceType string `json:"referenceType"`
		} `json:"reference"`
	}
	if !readJSON(w, r, &body, ebayFault) {
		return
	}
	if body.Reference.ReferenceType != "LISTING" {
		ebayError(w, 400, 355003, "REQUEST", "Invalid referenceType value")
		return
	}
	if body.MessageText == "" || utf8.RuneCountInString(body.MessageText) > 2000 {
		ebayError(w, 400, 355101, "REQUEST", "messageText must be 1-2000 characters")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var o *Order
	for _, cand := range s.ordersOf(cases.EBay, shopID) {
		if cand.BuyerName == body.OtherPartyUsername && ebayListingID(cand) == body.Reference.ReferenceID {
			o = cand
		}
	}
	switch {
	case o == nil:
		ebayError(w, 400, 355104, "REQUEST", "the user did not buy this listing")
		return
	case o.MessagingClosed != "":
		ebayError(w, 400, 355102, "APPLICATION", "messaging the buyer is no longer allowed for this order")
		return
	}
	m := ChatMessage{ID: s.newID("M"), At: s.now(), From: "seller", Text: body.MessageText}
	o.Chat = append(o.Chat, m)
	s.record(LedgerEntry{Platform: cases.EBay, ShopID: shopID, Kind: LedgerMessage, Ref: o.ID + "|" + body.MessageText, ID: m.ID, OrderID: o.ID, Payload: body.MessageText})
	d := ebayMessageDetail(o, m)
	writeJSON(w, 201, map[string]any{"messageId": m.ID, "messageBody": m.Text, "createdDate": m.At,
		"senderUserName": d["senderUsername"], "recipientUserName": d["recipientUsername"], "readStatus": false})
}
