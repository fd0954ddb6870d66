package ordercare

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace"
	"github.com/redress-hq/redress/store"
)

func TestEveryPlatformSaysWhichTouchpointsItAllowsAndWhy(t *testing.T) {
	for _, m := range cases.Marketplaces {
		as := Allowances(m)
		require.Len(t, as, 4, m)
		for _, a := range as {
			assert.NotEmpty(t, a.Why, "%s %s", m, a.Touchpoint)
			assert.Equal(t, a.Allowed, a.Channel != ChannelNone, "%s %s", m, a.Touchpoint)
		}
	}
	// Review requests only through Amazon's official solicitation.
	for _, m := range cases.Marketplaces {
		assert.Equal(t, m == cases.Amazon, AllowanceFor(m, TouchSolicitation).Allowed, m)
	}
	for _, tp := range []Touchpoint{TouchShipped, TouchDayBefore, TouchDelivered} {
		assert.False(t, AllowanceFor(cases.Amazon, tp).Allowed, "Amazon %s", tp)
		assert.False(t, AllowanceFor(cases.Taobao, tp).Allowed, "Taobao %s", tp)
		assert.True(t, AllowanceFor(cases.Taobao, tp).Manual, "Taobao %s", tp)
	}
	assert.False(t, AllowanceFor(cases.MercadoLibre, TouchDelivered).Allowed, "no action-guide reason after delivery")
}

func TestEveryTemplatePassesTheGuardOnEveryPlatformThatSendsIt(t *testing.T) {
	sh := Shipment{TrackingNumber: "AB123456789BR", Carrier: "Correios", ExpectedAt: at(monday)}
	for _, m := range cases.Marketplaces {
		for _, a := range Allowances(m) {
			if a.Channel != ChannelMessage {
				continue
			}
			for _, lang := range cases.Languages {
				text, err := RenderTouchpoint(m, a.Touchpoint, lang, "", sh, time.UTC)
				require.NoError(t, err, "%s %s %s", m, a.Touchpoint, lang)
				assert.NotContains(t, text, "{")
			}
		}
	}
	// Order care never asks about reviews, even where the platform would allow a plain ask.
	for _, m := range []cases.Marketplace{cases.EBay, cases.MercadoLibre} {
		_, err := RenderTouchpoint(m, TouchDelivered, cases.LangEN, "Thank you! Please leave us 5 stars when it arrives.", sh, nil)
		var gerr *GuardError
		assert.ErrorAs(t, err, &gerr, "%s", m)
	}
	// A shop's own text asking for a good review is refused.
	_, err := RenderTouchpoint(cases.EBay, TouchDelivered, cases.LangEN, "Enjoy! Please leave us 5 stars feedback and get a coupon", sh, nil)
	var gerr *GuardError
	require.ErrorAs(t, err, &gerr)
}

func TestMoodInFourLanguages(t *testing.T) {
	for _, text := range []string{
		"我的包裹还没到,太慢了,我要投诉",
		"Where is my order? This is ridiculous",
		"Todavía no llegó mi pedido, estoy molesto",
		"Cadê meu pedido? Ainda não chegou, péssimo",
		"The item arrived broken",
	} {
		assert.True(t, ReadMood(text).Complaint, text)
	}
	for _, text := range []string{"Thank you!", "¿Tienen talle M?", "Vocês têm na cor azul?", "有蓝色的吗"} {
		assert.False(t, ReadMood(text).Complaint, text)
	}
}

func TestQuietHours(t *testing.T) {
	sp, err := time.LoadLocation("America/Sao_Paulo")
	require.NoError(t, err)
	noon := time.Date(2026, 11, 23, 15, 0, 0, 0, time.UTC) // 12:00 SP
	assert.Equal(t, noon, NextSendTime(noon, sp, 21, 8))
	night := time.Date(2026, 11, 24, 2, 0, 0, 0, time.UTC) // 23:00 SP
	assert.Equal(t, time.Date(2026, 11, 24, 11, 0, 0, 0, time.UTC), NextSendTime(night, sp, 21, 8).UTC())
	early := time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC) // 05:00 SP
	assert.Equal(t, time.Date(2026, 11, 24, 11, 0, 0, 0, time.UTC), NextSendTime(early, sp, 21, 8).UTC())
	assert.Equal(t, night, NextSendTime(night, sp, 0, 0))
}

// fakeStore keeps touchpoints in memory.
type fakeStore struct {
	tp map[string]store.TouchpointRow
}

func (f *fakeStore) SyncCareOrder(context.Context, store.CareOrder) error { return nil }
func (f *fakeStore) GetTouchpoint(_ context.Context, k, t string) (store.TouchpointRow, error) {
	if r, ok := f.tp[k+"/"+t]; ok {
		return r, nil
	}
	return store.TouchpointRow{}, store.ErrNotFound
}
func (f *fakeStore) RecordTouchpoint(_ context.Context, r store.TouchpointRow) (store.TouchpointRow, error) {
	if old, ok := f.tp[r.OrderKey+"/"+r.Touchpoint]; ok {
		return old, nil
	}
	f.tp[r.OrderKey+"/"+r.Touchpoint] = r
	return r, nil
}
func (f *fakeStore) TouchpointTemplate(context.Context, cases.Marketplace, string, string, string) (string, error) {
	return "", nil
}
func (f *fakeStore) RaisePreemptiveTask(context.Context, store.PreemptiveTask) (bool, error) {
	return true, nil
}

// fakeConn sends messages and solicitations and counts them.
type fakeConn struct {
	marketplace.Connector
	m         cases.Marketplace
	sends     int
	refuse    error
	solicited bool
}

func (c *fakeConn) Marketplace() cases.Marketplace { return c.m }
func (c *fakeConn) Caps() cases.PlatformRules      { return cases.RulesFor(c.m) }
func (c *fakeConn) SendBuyerMessage(_ context.Context, req marketplace.MessageRequest) (marketplace.WriteResult, error) {
	if c.refuse != nil {
		return marketplace.WriteResult{}, c.refuse
	}
	c.sends++
	return marketplace.WriteResult{ID: "msg-" + req.IdempotencyKey}, nil
}
func (c *fakeConn) SolicitationAvailable(context.Context, string, string) (bool, error) {
	return !c.solicited, nil
}
func (c *fakeConn) RequestReviewSolicitation(context.Context, string, string, string) (marketplace.WriteResult, error) {
	if c.solicited {
		return marketplace.WriteResult{}, marketplace.Invalid(cases.Amazon, "solicitation", "solicitation_unavailable", "not offered")
	}
	c.solicited = true
	c.sends++
	return marketplace.WriteResult{ID: "sol"}, nil
}

type reg struct{ c marketplace.Connector }

func (r reg) Get(cases.Marketplace) (marketplace.Connector, error) { return r.c, nil }

func TestSendTouchpointIsOnceAcrossRetries(t *testing.T) {
	ctx := context.Background()
	conn := &fakeConn{m: cases.EBay}
	acts := &Activities{Store: &fakeStore{tp: map[string]store.TouchpointRow{}}, Markets: reg{conn}}
	req := TouchRequest{Marketplace: cases.EBay, ShopID: "s", OrderID: "o", Language: "en", Touchpoint: TouchShipped,
		Channel: ChannelMessage, Shipment: Shipment{TrackingNumber: "T1", Carrier: "UPS"}, IdempotencyKey: "k"}
	first, err := acts.SendTouchpoint(ctx, req)
	require.NoError(t, err)
	assert.Equal(t, OutcomeSent, first.Outcome)
	assert.Contains(t, first.Text, "T1")
	again, err := acts.SendTouchpoint(ctx, req)
	require.NoError(t, err)
	assert.True(t, again.Replayed)
	assert.Equal(t, 1, conn.sends)

	// A platform refusal (e.g. Mercado Libre's action guide) is not_allowed, not a retry.
	ml := &fakeConn{m: cases.MercadoLibre, refuse: marketplace.Invalid(cases.MercadoLibre, "send_buyer_message", "no_reason", "no free-text reason")}
	acts = &Activities{Store: &fakeStore{tp: map[string]store.TouchpointRow{}}, Markets: reg{ml}}
	req.Marketplace, req.Language = cases.MercadoLibre, "es"
	res, err := acts.SendTouchpoint(ctx, req)
	require.NoError(t, err)
	assert.Equal(t, OutcomeNotAllowed, res.Outcome)

	// Amazon: the solicitation once; the read-back sees it is no longer offered.
	amz := &fakeConn{m: cases.Amazon}
	acts = &Activities{Store: &fakeStore{tp: map[string]store.TouchpointRow{}}, Markets: reg{amz}}
	sreq := TouchRequest{Marketplace: cases.Amazon, ShopID: "a", OrderID: "1", Touchpoint: TouchSolicitation, Channel: ChannelSolicitation}
	res, err = acts.SendTouchpoint(ctx, sreq)
	require.NoError(t, err)
	assert.Equal(t, OutcomeSent, res.Outcome)
	acts.Store = &fakeStore{tp: map[string]store.TouchpointRow{}} // the record was lost: the platform's read-back still holds
	res, err = acts.SendTouchpoint(ctx, sreq)
	require.NoError(t, err)
	assert.Equal(t, OutcomeNotAllowed, res.Outcome)
	assert.Equal(t, 1, amz.sends)
	assert.False(t, errors.Is(err, store.ErrNotFound))
}

func TestTemplatesDropWhatIsUnknownAndKeepTrackingOffMercadoLibre(t *testing.T) {
	text, err := RenderTouchpoint(cases.EBay, TouchShipped, cases.LangEN, "", Shipment{TrackingNumber: "1Z999"}, nil)
	require.NoError(t, err)
	assert.Equal(t, "Hello! Your order is on its way, tracking number 1Z999. You can follow it in your purchases. If anything comes up, just write to us here.", text)
	text, err = RenderTouchpoint(cases.MercadoLibre, TouchShipped, cases.LangES, "", Shipment{TrackingNumber: "40546549876", Carrier: "Correo", ExpectedAt: at(monday)}, nil)
	require.NoError(t, err)
	assert.Equal(t, "¡Hola! Tu pedido ya está en camino con Correo. Entrega prevista: 2026-11-23. Puedes seguirlo en tus compras. Si surge algo, escríbenos por aquí.", text)
	_, err = RenderTouchpoint(cases.EBay, TouchDayBefore, cases.LangEN, "", Shipment{}, nil)
	assert.Error(t, err, "no day-before message without an expected date")
	_, err = RenderTouchpoint(cases.EBay, TouchShipped, cases.LangEN, "Shipped {tracking} [oops", Shipment{TrackingNumber: "1"}, nil)
	assert.Error(t, err)
}
