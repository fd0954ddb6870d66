package simulator

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha1"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/redress-hq/redress/cases"
)

// eBay signs notifications with its own ECDSA key (SHA1withECDSA over the
// compact JSON message) and publishes the public key by kid through the
// Notification API. The simulator plays eBay with a key made at first use.
var ebaySigner = sync.OnceValue(func() ebayKey {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		panic("simulator: ecdsa key: " + err.Error())
	}
	return ebayKey{private: k, kid: randomToken("sim-kid-")}
})

type ebayKey struct {
	private *ecdsa.PrivateKey
	kid     string
}

// ebaySignature is the X-EBAY-SIGNATURE header for body.
func ebaySignature(body []byte) string {
	k := ebaySigner()
	var compact bytes.Buffer
	if err := json.Compact(&compact, body); err != nil {
		compact.Reset()
		compact.Write(body)
	}
	sum := sha1.Sum(compact.Bytes())
	sig, err := ecdsa.SignASN1(rand.Reader, k.private, sum[:])
	if err != nil {
		panic("simulator: ecdsa sign: " + err.Error())
	}
	h, _ := json.Marshal(map[string]string{"alg": "ecdsa", "kid": k.kid, "signature": base64.StdEncoding.EncodeToString(sig), "digest": "SHA1"})
	return base64.StdEncoding.EncodeToString(h)
}

// ebayPublicKey serves getPublicKey to an application token.
func (s *Simulator) ebayPublicKey(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	shopID, ok := s.shopFor(s.auth[cases.EBay], strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer "))
	s.mu.Unlock()
	if !ok || shopID != "" {
		ebayError(w, 401, 1001, "REQUEST", "an application access token is required")
		return
	}
	k := ebaySigner()
	if r.PathValue("kid") != k.kid {
		ebayError(w, 404, 195001, "REQUEST", "public key not found")
		return
	}
	der, err := x509.MarshalPKIXPublicKey(&k.private.PublicKey)
	if err != nil {
		ebayError(w, 500, 195000, "APPLICATION", err.Error())
		return
	}
	writeJSON(w, 200, map[string]any{"algorithm": "ECDSA", "digest": "SHA1",
		"key": "-----BEGIN PUBLIC KEY-----" + base64.StdEncoding.EncodeToString(der) + "-----END PUBLIC KEY-----"})
}

// ebayNotification is a Notification API message; data carries ids only.
func ebayNotification(topic, id string, at time.Time, data map[string]any) map[string]any {
	return map[string]any{
		"metadata":     map[string]any{"topic": topic, "schemaVersion": "1.0", "deprecated": false},
		"notification": map[string]any{"notificationId": id, "eventDate": at, "publishDate": at, "publishAttemptCount": 1, "data": data},
	}
}

// ebayFeedbackNotification is FEEDBACK_RECEIVED for a review; callers hold s.mu.
func ebayFeedbackNotification(id string, at time.Time, r *Review) map[string]any {
	return ebayNotification("FEEDBACK_RECEIVED", id, at, map[string]any{
		"feedbackId": r.ID, "commentType": ebayCommentType(r.Rating), "recipientUserId": r.ShopID})
}

// ebayMessageNotification is NEW_MESSAGE for a buyer's message; callers hold s.mu.
func ebayMessageNotification(id string, at time.Time, o *Order, m *ChatMessage) map[string]any {
	return ebayNotification("NEW_MESSAGE", id, at, map[string]any{
		"conversationId": ebayConversationID(o), "messageId": m.ID, "senderUsername": o.BuyerName, "recipientUsername": o.ShopID})
}
