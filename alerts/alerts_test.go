package alerts_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"io"
	"mime"
	"net"
	"net/http"
	"net/http/httptest"
	"net/mail"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	gosmtp "github.com/emersion/go-smtp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/redress-hq/redress/activities"
	"github.com/redress-hq/redress/alerts"
	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/store"
	"github.com/redress-hq/redress/store/storetest"
)

// Each receiver checks a request the way its platform documents it and
// keeps what it accepted.
type receiver struct {
	mu       sync.Mutex
	accepted []map[string]any
	refused  int
}

func (rc *receiver) accept(body map[string]any) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.accepted = append(rc.accepted, body)
}

func (rc *receiver) refuse() {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.refused++
}

func (rc *receiver) count() int {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return len(rc.accepted)
}

func decode(t *testing.T, r *http.Request) (map[string]any, []byte) {
	raw, err := io.ReadAll(r.Body)
	require.NoError(t, err)
	var body map[string]any
	if json.Unmarshal(raw, &body) != nil || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		return nil, raw
	}
	return body, raw
}

// signedWebhookReceiver checks X-Redress-Signature: v1=hex(HMAC-SHA256(secret, ts + "." + body)), ts fresh.
func signedWebhookReceiver(t *testing.T, secret string) (*httptest.Server, *receiver) {
	rc := &receiver{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, raw := decode(t, r)
		ts := r.Header.Get("X-Redress-Timestamp")
		sec, err := strconv.ParseInt(ts, 10, 64)
		mac := hmac.New(sha256.New, []byte(secret))
		mac.Write([]byte(ts + "." + string(raw)))
		want := "v1=" + hex.EncodeToString(mac.Sum(nil))
		if body == nil || err != nil || time.Since(time.Unix(sec, 0)).Abs() > 5*time.Minute ||
			!hmac.Equal([]byte(want), []byte(r.Header.Get("X-Redress-Signature"))) || r.Header.Get("Idempotency-Key") == "" {
			rc.refuse()
			http.Error(w, "bad signature", http.StatusUnauthorized)
			return
		}
		rc.accept(body)
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(srv.Close)
	return srv, rc
}

// slackReceiver accepts what an incoming webhook accepts: JSON with a text (and optional blocks).
func slackReceiver(t *testing.T) (*httptest.Server, *receiver) {
	rc := &receiver{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := decode(t, r)
		text, _ := body["text"].(string)
		if r.URL.Path != "/services/T000/B000/XXXX" || text == "" {
			rc.refuse()
			http.Error(w, "invalid_payload", http.StatusBadRequest)
			return
		}
		if blocks, ok := body["blocks"]; ok {
			if _, isList := blocks.([]any); !isList {
				rc.refuse()
				http.Error(w, "invalid_blocks", http.StatusBadRequest)
				return
			}
		}
		rc.accept(body)
		_, _ = io.WriteString(w, "ok")
	}))
	t.Cleanup(srv.Close)
	return srv, rc
}

// dingTalkReceiver checks access_token, a timestamp within an hour and
// sign = base64(HMAC-SHA256(secret, timestamp + "\n" + secret)).
func dingTalkReceiver(t *testing.T, token, secret string) (*httptest.Server, *receiver) {
	rc := &receiver{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := decode(t, r)
		q := r.URL.Query()
		ts := q.Get("timestamp")
		ms, err := strconv.ParseInt(ts, 10, 64)
		mac := hmac.New(sha256.New, []byte(secret))
		mac.Write([]byte(ts + "\n" + secret))
		want := base64.StdEncoding.EncodeToString(mac.Sum(nil))
		answer := map[string]any{"errcode": 0, "errmsg": "ok"}
		md, _ := body["markdown"].(map[string]any)
		switch {
		case q.Get("access_token") != token:
			answer = map[string]any{"errcode": 300001, "errmsg": "token is not exist"}
		case err != nil || time.Since(time.UnixMilli(ms)).Abs() > time.Hour || q.Get("sign") != want:
			answer = map[string]any{"errcode": 310000, "errmsg": "sign not match"}
		case body["msgtype"] != "markdown" || md["title"] == "" || md["text"] == "":
			answer = map[string]any{"errcode": 40035, "errmsg": "missing parameter"}
		}
		if answer["errcode"] == 0 {
			rc.accept(body)
		} else {
			rc.refuse()
		}
		_ = json.NewEncoder(w).Encode(answer) // DingTalk answers 200 either way
	}))
	t.Cleanup(srv.Close)
	return srv, rc
}

// weComReceiver checks the robot key in the URL and a markdown content of at most 4096 bytes.
func weComReceiver(t *testing.T, key string) (*httptest.Server, *receiver) {
	rc := &receiver{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := decode(t, r)
		md, _ := body["markdown"].(map[string]any)
		content, _ := md["content"].(string)
		answer := map[string]any{"errcode": 0, "errmsg": "ok"}
		switch {
		case r.URL.Path != "/cgi-bin/webhook/send" || r.URL.Query().Get("key") != key:
			answer = map[string]any{"errcode": 93000, "errmsg": "invalid webhook url"}
		case body["msgtype"] != "markdown" || content == "" || len(content) > 4096:
			answer = map[string]any{"errcode": 40008, "errmsg": "invalid message type"}
		}
		if answer["errcode"] == 0 {
			rc.accept(body)
		} else {
			rc.refuse()
		}
		_ = json.NewEncoder(w).Encode(answer)
	}))
	t.Cleanup(srv.Close)
	return srv, rc
}

// mailbox is a real SMTP server (go-smtp) keeping every message it receives.
type mailbox struct {
	mu   sync.Mutex
	msgs []receivedMail
}

type receivedMail struct {
	From string
	To   []string
	Data []byte
}

func (m *mailbox) NewSession(*gosmtp.Conn) (gosmtp.Session, error) { return &mailSession{box: m}, nil }

func (m *mailbox) all() []receivedMail {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]receivedMail(nil), m.msgs...)
}

type mailSession struct {
	box *mailbox
	cur receivedMail
}

func (s *mailSession) Reset()        { s.cur = receivedMail{} }
func (s *mailSession) Logout() error { return nil }
func (s *mailSession) Mail(from string, _ *gosmtp.MailOptions) error {
	s.cur.From = from
	return nil
}

func (s *mailSession) Rcpt(to string, _ *gosmtp.RcptOptions) error {
	if !strings.HasSuffix(to, "@seller.example") {
		return &gosmtp.SMTPError{Code: 550, EnhancedCode: gosmtp.EnhancedCode{5, 1, 1}, Message: "no such user"}
	}
	s.cur.To = append(s.cur.To, to)
	return nil
}

func (s *mailSession) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.cur.Data = data
	s.box.mu.Lock()
	s.box.msgs = append(s.box.msgs, s.cur)
	s.box.mu.Unlock()
	return nil
}

func smtpServer(t *testing.T) (string, *mailbox) {
	box := &mailbox{}
	srv := gosmtp.NewServer(box)
	srv.Domain = "localhost"
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return ln.Addr().String(), box
}

func newBadReview(caseID string) activities.Alert {
	return activities.Alert{
		CaseID: caseID, Marketplace: cases.MercadoLibre, ShopID: "1001", Kind: activities.AlertNewCase,
		Severity: cases.SeverityBad, Issue: cases.IssueDamagedOrLost,
		Message: "A 1-star review opened a case: «Llegó roto, 很失望»", IdempotencyKey: caseID + ":new_case:0",
	}
}

func TestEveryChannelFormatReachesItsReceiver(t *testing.T) {
	ctx := context.Background()
	st := storetest.New(t)

	hook, hookRc := signedWebhookReceiver(t, "whsec-1")
	slack, slackRc := slackReceiver(t)
	ding, dingRc := dingTalkReceiver(t, "ding-token", "SECding")
	wecom, wecomRc := weComReceiver(t, "wecom-key")
	smtpAddr, box := smtpServer(t)

	mk := func(c store.AlertChannel) store.AlertChannel {
		c.Enabled = true
		got, err := st.CreateAlertChannel(ctx, c, "test")
		require.NoError(t, err)
		assert.Empty(t, got.Secret, "a secret is never shown")
		return got
	}
	mk(store.AlertChannel{Name: "ops hook", Type: store.ChannelWebhook, URL: hook.URL + "/redress", Secret: "whsec-1"})
	mk(store.AlertChannel{Name: "slack", Type: store.ChannelSlack, URL: slack.URL + "/services/T000/B000/XXXX"})
	mk(store.AlertChannel{Name: "dingtalk", Type: store.ChannelDingTalk, URL: ding.URL + "/robot/send?access_token=ding-token", Secret: "SECding"})
	mk(store.AlertChannel{Name: "wecom", Type: store.ChannelWeCom, URL: wecom.URL + "/cgi-bin/webhook/send?key=wecom-key", Language: "zh"})
	mailCh := mk(store.AlertChannel{Name: "team mail", Type: store.ChannelEmail, Recipients: []string{"ana@seller.example", "li@seller.example"}})
	// Routed away: another shop, another marketplace, only breaches, only mid reviews.
	mk(store.AlertChannel{Name: "other shop", Type: store.ChannelSlack, URL: slack.URL + "/services/T000/B000/XXXX", ShopID: "2002"})
	mk(store.AlertChannel{Name: "ebay only", Type: store.ChannelSlack, URL: slack.URL + "/services/T000/B000/XXXX", Marketplace: "ebay"})
	mk(store.AlertChannel{Name: "breaches", Type: store.ChannelSlack, URL: slack.URL + "/services/T000/B000/XXXX", Kinds: []string{"deadline_breached"}})
	mk(store.AlertChannel{Name: "mid", Type: store.ChannelSlack, URL: slack.URL + "/services/T000/B000/XXXX", Severities: []string{"mid"}})

	r := &alerts.Router{Store: st, SMTP: alerts.SMTPConfig{Addr: smtpAddr, From: "Redress <alerts@redress.example>"}, Backoff: time.Millisecond}
	al := newBadReview("ml-1001-r1")
	require.NoError(t, r.Notify(ctx, al))

	assert.Equal(t, 1, hookRc.count(), "signed webhook")
	assert.Equal(t, 1, slackRc.count(), "slack: only the channel that wants a new bad review of this shop")
	assert.Equal(t, 1, dingRc.count(), "dingtalk")
	assert.Equal(t, 1, wecomRc.count(), "wecom")
	assert.Zero(t, hookRc.refused+slackRc.refused+dingRc.refused+wecomRc.refused, "no receiver refused a request")
	assert.Equal(t, "ml-1001-r1", hookRc.accepted[0]["case_id"])
	assert.Contains(t, slackRc.accepted[0]["text"], "New bad review")
	assert.Contains(t, wecomRc.accepted[0]["markdown"].(map[string]any)["content"], "很失望")
	assert.Contains(t, wecomRc.accepted[0]["markdown"].(map[string]any)["content"], "**新差评：mercadolibre 店铺 1001**", "the channel's language")

	msgs := box.all()
	require.Len(t, msgs, 1)
	assert.Equal(t, "alerts@redress.example", msgs[0].From)
	assert.ElementsMatch(t, []string{"ana@seller.example", "li@seller.example"}, msgs[0].To)
	parsed, err := mail.ReadMessage(strings.NewReader(string(msgs[0].Data)))
	require.NoError(t, err)
	subject, err := new(mime.WordDecoder).DecodeHeader(parsed.Header.Get("Subject"))
	require.NoError(t, err)
	assert.Equal(t, "[Redress] New bad review: mercadolibre shop 1001", subject)
	assert.NotEmpty(t, parsed.Header.Get("Message-Id"))

	// The same alert again (a retried activity): every channel already has it.
	require.NoError(t, r.Notify(ctx, al))
	assert.Equal(t, 1, hookRc.count()+slackRc.count()+dingRc.count()+wecomRc.count()-3)
	assert.Len(t, box.all(), 1)

	log, err := st.ListAlertDeliveries(ctx, store.AlertDeliveryFilter{OrgID: "default", CaseID: "ml-1001-r1"})
	require.NoError(t, err)
	require.Len(t, log, 5)
	for _, d := range log {
		assert.Equal(t, store.DeliveryDelivered, d.Status, d.ChannelID)
		assert.Equal(t, 1, d.Attempts, d.ChannelID)
	}
	mailLog, err := st.ListAlertDeliveries(ctx, store.AlertDeliveryFilter{OrgID: "default", ChannelID: mailCh.ID})
	require.NoError(t, err)
	require.Len(t, mailLog, 1)
	assert.Equal(t, 250, mailLog[0].ResponseStatus)

	// A breach reaches the breach channel too.
	breach := al
	breach.Kind, breach.Deadline, breach.IdempotencyKey = activities.AlertBreach, cases.DeadlineFirstContact, "ml-1001-r1:breach:1"
	require.NoError(t, r.Notify(ctx, breach))
	assert.Equal(t, 3, slackRc.count(), "the shop's slack channel and the breach channel")
}

func TestFailuresAreRetriedThenLogged(t *testing.T) {
	ctx := context.Background()
	st := storetest.New(t)

	var mu sync.Mutex
	calls := 0
	flaky := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		calls++
		if calls < 3 {
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return
		}
		_, _ = io.WriteString(w, "ok")
	}))
	t.Cleanup(flaky.Close)
	gone := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, "no_service", http.StatusNotFound)
	}))
	t.Cleanup(gone.Close)
	ding, dingRc := dingTalkReceiver(t, "ding-token", "right-secret")
	smtpAddr, box := smtpServer(t)

	flakyCh, err := st.CreateAlertChannel(ctx, store.AlertChannel{Name: "flaky", Type: store.ChannelSlack, URL: flaky.URL, Enabled: true}, "test")
	require.NoError(t, err)
	goneCh, err := st.CreateAlertChannel(ctx, store.AlertChannel{Name: "gone", Type: store.ChannelSlack, URL: gone.URL, Enabled: true}, "test")
	require.NoError(t, err)
	dingCh, err := st.CreateAlertChannel(ctx, store.AlertChannel{Name: "wrong secret", Type: store.ChannelDingTalk,
		URL: ding.URL + "/robot/send?access_token=ding-token", Secret: "wrong-secret", Enabled: true}, "test")
	require.NoError(t, err)
	mailCh, err := st.CreateAlertChannel(ctx, store.AlertChannel{Name: "unknown mailbox", Type: store.ChannelEmail,
		Recipients: []string{"nobody@elsewhere.example"}, Enabled: true}, "test")
	require.NoError(t, err)

	r := &alerts.Router{Store: st, SMTP: alerts.SMTPConfig{Addr: smtpAddr, From: "alerts@redress.example"}, Backoff: time.Millisecond}
	err = r.Notify(ctx, newBadReview("ml-1001-r2"))
	require.Error(t, err)
	assert.ErrorIs(t, err, activities.ErrAlertUndeliverable, "every failure was for good: the activity is not retried")
	assert.Zero(t, dingRc.count())
	assert.Equal(t, 1, dingRc.refused, "a refused signature is not retried")
	assert.Empty(t, box.all())

	log, err := st.ListAlertDeliveries(ctx, store.AlertDeliveryFilter{OrgID: "default", CaseID: "ml-1001-r2"})
	require.NoError(t, err)
	byChannel := map[string]store.AlertDelivery{}
	for _, d := range log {
		byChannel[d.ChannelID] = d
	}
	assert.Equal(t, store.DeliveryDelivered, byChannel[flakyCh.ID].Status)
	assert.Equal(t, 3, byChannel[flakyCh.ID].Attempts, "two 503s, then delivered")
	assert.Equal(t, store.DeliveryFailed, byChannel[goneCh.ID].Status)
	assert.Equal(t, 1, byChannel[goneCh.ID].Attempts, "a 404 is permanent")
	assert.Equal(t, 404, byChannel[goneCh.ID].ResponseStatus)
	assert.Contains(t, byChannel[dingCh.ID].Error, "310000")
	assert.Equal(t, store.DeliveryFailed, byChannel[mailCh.ID].Status)
	assert.Equal(t, 550, byChannel[mailCh.ID].ResponseStatus)

	// The retried activity skips the delivered channel and tries the others again.
	_ = r.Notify(ctx, newBadReview("ml-1001-r2"))
	mu.Lock()
	assert.Equal(t, 3, calls, "the flaky channel already had the alert")
	mu.Unlock()
	failed, err := st.ListAlertDeliveries(ctx, store.AlertDeliveryFilter{OrgID: "default", ChannelID: goneCh.ID})
	require.NoError(t, err)
	require.Len(t, failed, 1)
	assert.Equal(t, 2, failed[0].Attempts, "attempts add up in one log row")
}

func TestChannelsAreValidated(t *testing.T) {
	ctx := context.Background()
	st := storetest.New(t)
	for name, c := range map[string]store.AlertChannel{
		"unsigned webhook": {Name: "x", Type: store.ChannelWebhook, URL: "https://example.com/hook"},
		"relative url":     {Name: "x", Type: store.ChannelSlack, URL: "/services/x"},
		"no recipients":    {Name: "x", Type: store.ChannelEmail},
		"bad recipient":    {Name: "x", Type: store.ChannelEmail, Recipients: []string{"not an address"}},
		"unknown kind":     {Name: "x", Type: store.ChannelSlack, URL: "https://hooks.slack.com/x", Kinds: []string{"gossip"}},
		"unknown type":     {Name: "x", Type: "pager", URL: "https://example.com"},
		"no name":          {Type: store.ChannelSlack, URL: "https://hooks.slack.com/x"},
	} {
		_, err := st.CreateAlertChannel(ctx, c, "test")
		assert.ErrorIs(t, err, store.ErrInvalid, name)
	}
}

func TestPublicOnlyClientRefusesTheDeploymentsNetwork(t *testing.T) {
	ctx := context.Background()
	st := storetest.New(t)
	inside, rc := slackReceiver(t) // listens on 127.0.0.1, as an internal service would
	_, err := st.CreateAlertChannel(ctx, store.AlertChannel{Name: "inward", Type: store.ChannelSlack,
		URL: inside.URL + "/services/T000/B000/XXXX", Enabled: true}, "test")
	require.NoError(t, err)

	r := &alerts.Router{Store: st, HTTP: alerts.PublicOnlyClient(5 * time.Second), Backoff: time.Millisecond}
	err = r.Notify(ctx, newBadReview("ml-1001-r3"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "not a public address")
	assert.Zero(t, rc.count()+rc.refused, "nothing reached the internal address")
}

func TestAPassingFailureIsRetried(t *testing.T) {
	ctx := context.Background()
	st := storetest.New(t)
	busy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, "busy", http.StatusServiceUnavailable)
	}))
	t.Cleanup(busy.Close)
	_, err := st.CreateAlertChannel(ctx, store.AlertChannel{Name: "busy", Type: store.ChannelSlack, URL: busy.URL, Enabled: true}, "test")
	require.NoError(t, err)

	r := &alerts.Router{Store: st, Backoff: time.Millisecond}
	err = r.Notify(ctx, newBadReview("ml-1001-r4"))
	require.Error(t, err, "a channel that failed fails the call, so the activity retries")
	assert.NotErrorIs(t, err, activities.ErrAlertUndeliverable)
	log, err := st.ListAlertDeliveries(ctx, store.AlertDeliveryFilter{OrgID: "default", CaseID: "ml-1001-r4"})
	require.NoError(t, err)
	require.Len(t, log, 1)
	assert.Equal(t, 3, log[0].Attempts)
	assert.Equal(t, 503, log[0].ResponseStatus)
}
