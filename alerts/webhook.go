package alerts

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/redress-hq/redress/activities"
	"github.com/redress-hq/redress/store"
)

// The signed webhook's headers. The signature is "v1=" and the hex
// HMAC-SHA256, keyed with the channel's secret, of the timestamp (Unix
// seconds), a dot and the raw body; receivers recompute it and reject old
// timestamps so a captured request cannot be replayed.
const (
	HeaderTimestamp = "X-Redress-Timestamp"
	HeaderSignature = "X-Redress-Signature"
	HeaderKey       = "Idempotency-Key"
)

// webhookBody is what a signed webhook receives.
type webhookBody struct {
	activities.Alert
	OrgID string `json:"org_id"`
	Title string `json:"title"`
	Text  string `json:"text"`
}

func (r *Router) sendWebhook(ctx context.Context, ch store.AlertChannel, a activities.Alert, key string) result {
	a.IdempotencyKey = key
	raw, err := json.Marshal(webhookBody{Alert: a, OrgID: ch.OrgID, Title: headline(ch.Language, a), Text: plainText(ch.Language, a)})
	if err != nil {
		return result{err: err, permanent: true}
	}
	ts := strconv.FormatInt(r.now().Unix(), 10)
	h := http.Header{}
	h.Set(HeaderTimestamp, ts)
	h.Set(HeaderSignature, "v1="+webhookSignature(ch.Secret, ts, raw))
	h.Set(HeaderKey, key)
	return r.postRaw(ctx, ch.URL, raw, h, nil)
}

func webhookSignature(secret, ts string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(ts + "."))
	mac.Write(body)
	return hex.EncodeToString(mac.Sum(nil))
}
