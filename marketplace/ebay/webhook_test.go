package ebay

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/redress-hq/redress/marketplace"
)

// signEBay signs a notification the way eBay does: SHA1withECDSA over the
// compact JSON message, header = base64 JSON {alg, kid, signature, digest}.
func signEBay(t testing.TB, key *ecdsa.PrivateKey, kid string, body []byte) string {
	t.Helper()
	var compact bytes.Buffer
	require.NoError(t, json.Compact(&compact, body))
	sum := sha1.Sum(compact.Bytes())
	sig, err := ecdsa.SignASN1(rand.Reader, key, sum[:])
	require.NoError(t, err)
	h, _ := json.Marshal(map[string]string{"alg": "ecdsa", "kid": kid, "signature": base64.StdEncoding.EncodeToString(sig), "digest": "SHA1"})
	return base64.StdEncoding.EncodeToString(h)
}

func feedbackNotification(id, commentType string) []byte {
	return []byte(`{
  "metadata": {"topic": "FEEDBACK_RECEIVED", "schemaVersion": "1.0", "deprecated": false},
  "notification": {"notificationId": "` + id + `", "eventDate": "2026-11-20T09:00:01.000Z", "publishDate": "2026-11-20T09:00:02.000Z",
    "publishAttemptCount": 1, "data": {"feedbackId": "F-1001", "commentType": "` + commentType + `", "recipientUserId": "ebay-seller"}}
}`)
}

func delivery(t testing.TB, body []byte, signature string) *http.Request {
	t.Helper()
	r := httptest.NewRequest(http.MethodPost, "/v1/webhooks/ebay", bytes.NewReader(body))
	r.Header.Set(SignatureHeader, signature)
	return r
}

func codeOf(t testing.TB, err error) string {
	t.Helper()
	me, ok := marketplace.AsError(err)
	require.True(t, ok, "want *marketplace.Error, got %v", err)
	return me.Code
}

// contractWebhook: a notification signed the way eBay signs is accepted
// (the key fetched once by kid, with an application token, and kept), a
// tampered body or signature is refused.
func contractWebhook(t *testing.T) {
	env := newContractEnv(t)
	ctx := context.Background()
	key := testKey(t)

	body := feedbackNotification("n-1", "NEGATIVE")
	evs, err := env.c.ParseWebhook(ctx, delivery(t, body, signEBay(t, key, testKid, body)), body)
	require.NoError(t, err)
	assert.Equal(t, []string{"getPublicKey"}, checkExchanges(t, env))
	assert.Equal(t, 1, env.fake.count("POST /identity/v1/oauth2/token"), "one application token")
	require.Len(t, evs, 1)
	assert.Equal(t, marketplace.WebhookEvent{Kind: marketplace.WebhookReview, DeliveryID: "ebay-n-1", ShopID: "ebay-seller",
		ReviewID: "F-1001", Resource: "F-1001", At: time.Date(2026, 11, 20, 9, 0, 1, 0, time.UTC)}, evs[0],
		"the review is fetched through getFeedback (FetchReview)")

	other := feedbackNotification("n-2", "NEUTRAL")
	_, err = env.c.ParseWebhook(ctx, delivery(t, other, signEBay(t, key, testKid, other)), other)
	require.NoError(t, err)
	assert.Equal(t, 1, env.fake.count("GET /commerce/notification/v1/public_key/"+testKid), "the key is cached by kid")

	tampered := bytes.Replace(body, []byte(`"NEGATIVE"`), []byte(`"POSITIVE"`), 1)
	_, err = env.c.ParseWebhook(ctx, delivery(t, tampered, signEBay(t, key, testKid, body)), tampered)
	assert.Equal(t, "bad_signature", codeOf(t, err), "a changed body")
	me, _ := marketplace.AsError(err)
	assert.Equal(t, http.StatusUnauthorized, me.Status)

	_, err = env.c.ParseWebhook(ctx, delivery(t, body, signEBay(t, key, testKid, other)), body)
	assert.Equal(t, "bad_signature", codeOf(t, err), "another message's signature")

	_, err = env.c.ParseWebhook(ctx, delivery(t, body, "not-base64-json"), body)
	assert.Equal(t, "bad_signature", codeOf(t, err))
	checkExchanges(t, env)
}

func TestWebhookTopics(t *testing.T) {
	env := newContractEnv(t)
	ctx := context.Background()
	key := testKey(t)
	parse := func(body []byte) []marketplace.WebhookEvent {
		t.Helper()
		evs, err := env.c.ParseWebhook(ctx, delivery(t, body, signEBay(t, key, testKid, body)), body)
		require.NoError(t, err)
		require.Len(t, evs, 1)
		return evs
	}

	positive := parse(feedbackNotification("n-3", "POSITIVE"))
	assert.Equal(t, marketplace.WebhookIgnored, positive[0].Kind, "positive feedback opens no case")

	msg := parse([]byte(`{"metadata":{"topic":"NEW_MESSAGE","schemaVersion":"1.0","deprecated":false},"notification":{"notificationId":"n-4",
		"eventDate":"2026-11-21T08:00:00.000Z","publishDate":"2026-11-21T08:00:01.000Z","publishAttemptCount":1,
		"data":{"conversationId":"C-7001","messageId":"M-1","senderUsername":"buyer_jane","recipientUsername":"ebay-seller"}}}`))
	assert.Equal(t, marketplace.WebhookEvent{Kind: marketplace.WebhookBuyerMessage, DeliveryID: "ebay-n-4", ShopID: "ebay-seller",
		MessageID: "M-1", Resource: "C-7001/M-1", At: time.Date(2026, 11, 21, 8, 0, 0, 0, time.UTC)}, msg[0])

	other := parse([]byte(`{"metadata":{"topic":"MARKETPLACE_ACCOUNT_DELETION","schemaVersion":"1.0","deprecated":false},
		"notification":{"notificationId":"n-5","eventDate":"2026-11-21T08:00:00.000Z","publishDate":"2026-11-21T08:00:00.000Z","publishAttemptCount":1,"data":{"username":"x"}}}`))
	assert.Equal(t, marketplace.WebhookIgnored, other[0].Kind)

	bad := []byte(`{"metadata":{"topic":"FEEDBACK_RECEIVED"},"notification":{"notificationId":"n-6","data":{}}}`)
	_, err := env.c.ParseWebhook(ctx, delivery(t, bad, signEBay(t, key, testKid, bad)), bad)
	assert.Equal(t, "bad_payload", codeOf(t, err))
}

func TestAnswerChallenge(t *testing.T) {
	env := newContractEnv(t)
	got, err := env.c.AnswerChallenge("a8628072-3d33-45ee-9004-bee86830a22d")
	require.NoError(t, err)
	sum := sha256.Sum256([]byte("a8628072-3d33-45ee-9004-bee86830a22d" + env.c.cfg.VerificationToken + env.c.cfg.EndpointURL))
	assert.Equal(t, hex.EncodeToString(sum[:]), got)
	assert.Len(t, got, 64)

	unset := New(env.c.cfg, http.DefaultClient, nil, nil)
	unset.cfg.VerificationToken = ""
	_, err = unset.AnswerChallenge("x")
	assert.Equal(t, "not_configured", codeOf(t, err))
	assert.False(t, strings.Contains(got, " "))
}
