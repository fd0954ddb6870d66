package alerts

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/url"
	"strconv"

	"github.com/redress-hq/redress/activities"
	"github.com/redress-hq/redress/store"
)

// DingTalk's custom robot: the channel URL carries access_token; a robot
// with the "加签" security setting also needs timestamp (Unix ms) and sign,
// the base64 HMAC-SHA256, keyed with the secret, of timestamp + "\n" +
// secret. It answers HTTP 200 with errcode 0, or another errcode
// (130101: sending too fast).
type dingTalkMessage struct {
	MsgType  string           `json:"msgtype"`
	Markdown dingTalkMarkdown `json:"markdown"`
}

type dingTalkMarkdown struct {
	Title string `json:"title"`
	Text  string `json:"text"`
}

const dingTalkTooFast = 130101

func (r *Router) sendDingTalk(ctx context.Context, ch store.AlertChannel, a activities.Alert, _ string) result {
	target := ch.URL
	if ch.Secret != "" {
		u, err := url.Parse(ch.URL)
		if err != nil {
			return result{err: err, permanent: true}
		}
		ts := strconv.FormatInt(r.now().UnixMilli(), 10)
		q := u.Query()
		q.Set("timestamp", ts)
		q.Set("sign", dingTalkSign(ch.Secret, ts))
		u.RawQuery = q.Encode()
		target = u.String()
	}
	var ans robotAnswer
	res := r.postJSON(ctx, target, dingTalkMessage{MsgType: "markdown", Markdown: dingTalkMarkdown{Title: headline(ch.Language, a), Text: markdown(ch.Language, a)}}, nil, &ans)
	return ans.check(res, dingTalkTooFast)
}

func dingTalkSign(secret, ts string) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(ts + "\n" + secret))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// WeCom's group robot: the channel URL carries the robot's key, which is
// its only secret; markdown content is at most 4096 bytes of UTF-8. It
// answers HTTP 200 with errcode 0, or another errcode (45009: over the
// robot's 20 messages a minute).
type weComMessage struct {
	MsgType  string        `json:"msgtype"`
	Markdown weComMarkdown `json:"markdown"`
}

type weComMarkdown struct {
	Content string `json:"content"`
}

const (
	weComTooFast     = 45009
	weComContentSize = 4096
)

func (r *Router) sendWeCom(ctx context.Context, ch store.AlertChannel, a activities.Alert, _ string) result {
	var ans robotAnswer
	res := r.postJSON(ctx, ch.URL, weComMessage{MsgType: "markdown", Markdown: weComMarkdown{Content: cutBytes(markdown(ch.Language, a), weComContentSize)}}, nil, &ans)
	return ans.check(res, weComTooFast)
}
