package store_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/internal/keyring"
	"github.com/redress-hq/redress/store"
	"github.com/redress-hq/redress/store/storetest"
)

// careSecrets are words of an order under care that must never be stored
// in clear: the buyer's name, their message, a claim's reason, the
// tracking number, the message sent to them and an agent's note (each
// with a '-', which sealed text cannot hold; see privacyScript).
var careSecrets = []string{"Ximena", "QZX-41", "QZW-52", "TRK-QZV", "Huallaga"}

// careState is an ordercare.State as the workflow syncs it.
const careState = `{
  "input": {"marketplace": "mercadolibre", "shop_id": "1001", "order_id": "o-77", "buyer_id": "buyer-7",
            "buyer_time_zone": "America/Lima", "settings": {"quiet_start": 21},
            "shipment": {"status": "shipped", "tracking_number": "TRK-QZV123"}, "source": "notification"},
  "shipment": {"status": "exception", "tracking_number": "TRK-QZV123", "carrier": "Olva", "shipment_id": "sh-1",
               "expected_at": "2026-11-20T00:00:00Z", "exception": "not_delivered Jirón Huallaga 455 closed",
               "claims": ["c1 la botella QZX-41 llegó rota"]},
  "touchpoints": {"shipped": {"touchpoint": "shipped", "outcome": "sent", "channel": "message",
                  "text": "Hola Ximena, tu pedido QZX-41 va en camino: TRK-QZV123", "platform_ref": "msg-1", "at": "2026-11-18T10:00:00Z"},
                  "delivered": {"touchpoint": "delivered", "outcome": "not_allowed", "channel": "message",
                  "reason": "quiet hours last until the moment passed", "at": "2026-11-21T10:00:00Z"}},
  "risks": {"angry_message": {"signal": "angry_message", "summary": "the buyer wrote an unhappy message",
            "evidence": {"message_id": "bm-1", "text": "Ximena aquí: QZW-52 nunca llegó", "language": "es"}, "at": "2026-11-21T11:00:00Z"}},
  "done": false, "version": 3, "started_at": "2026-11-18T09:00:00Z", "updated_at": "2026-11-21T11:00:00Z"}`

// rawCareRows is every order-care row of the order as PostgreSQL holds it.
func rawCareRows(t *testing.T, s *store.Store, orderKey string) string {
	t.Helper()
	var out []string
	for _, q := range []string{
		`SELECT o::text FROM care_orders o WHERE key = $1`,
		`SELECT t::text FROM order_touchpoints t WHERE order_key = $1`,
		`SELECT p::text FROM preemptive_tasks p WHERE order_key = $1`,
	} {
		var rows []string
		require.NoError(t, s.DB().SelectContext(context.Background(), &rows, q, orderKey))
		require.NotEmpty(t, rows, q)
		out = append(out, rows...)
	}
	return strings.Join(out, "\n")
}

// writeCareOrder writes an order, a sent touchpoint and a pre-emptive task
// done with a note, as order care and an agent do, and returns the order.
func writeCareOrder(t *testing.T, s *store.Store) store.CareOrder {
	t.Helper()
	ctx := context.Background()
	o := store.CareOrder{Key: "mercadolibre:1001:o-77", Marketplace: cases.MercadoLibre, ShopID: "1001", OrderID: "o-77",
		WorkflowID: "order-mercadolibre-1001-o-77", BuyerID: "buyer-7", Status: "exception", TrackingNumber: "TRK-QZV123",
		Carrier: "Olva", ShipmentID: "sh-1", State: json.RawMessage(careState), StartedAt: day0, UpdatedAt: day0, Version: 3}
	require.NoError(t, s.SyncCareOrder(ctx, o))
	// The buyer is found through the order: the activity does not name them.
	_, err := s.RecordTouchpoint(ctx, store.TouchpointRow{OrderKey: o.Key, Touchpoint: "shipped", Marketplace: o.Marketplace,
		ShopID: o.ShopID, Outcome: "sent", Channel: "message", Text: "Hola Ximena, tu pedido QZX-41 va en camino: TRK-QZV123",
		PlatformRef: "msg-1", At: day0})
	require.NoError(t, err)
	first, err := s.RaisePreemptiveTask(ctx, store.PreemptiveTask{ID: "pt-mercadolibre-1001-o-77-angry_message", OrderKey: o.Key,
		Marketplace: o.Marketplace, ShopID: o.ShopID, OrderID: o.OrderID, WorkflowID: o.WorkflowID, Signal: "angry_message",
		Summary:  "Ximena wrote an unhappy message",
		Evidence: json.RawMessage(`{"message_id": "bm-1", "text": "Ximena aquí: QZW-52 nunca llegó", "status": "exception", "tracking_number": "TRK-QZV123"}`),
		RaisedAt: day0})
	require.NoError(t, err)
	require.True(t, first)
	_, err = s.CompletePreemptiveTask(ctx, "pt-mercadolibre-1001-o-77-angry_message", "ana", "called Ximena, she lives in Huallaga")
	require.NoError(t, err)
	return o
}

// Order care's rows are sealed with the buyer's key, read decrypted,
// exported, and erased with the buyer while the rows stay.
func TestOrderCareIsSealedPerBuyerAndErasable(t *testing.T) {
	ctx := context.Background()
	s := storetest.New(t)
	s.UseDataKeys(keyring.Generate("ordercare"))
	o := writeCareOrder(t, s)

	raw := rawCareRows(t, s, o.Key)
	for _, secret := range careSecrets {
		assert.NotContains(t, raw, secret, "PostgreSQL holds %q in clear", secret)
	}
	assert.Contains(t, raw, "rdx1:", "nothing was sealed: the test reads nothing")
	for _, clear := range []string{`"outcome": "sent"`, `"signal": "angry_message"`, `"carrier": "Olva"`, `"status": "exception"`, "buyer-7"} {
		assert.True(t, strings.Contains(strings.ReplaceAll(raw, `""`, `"`), clear), "%s is no longer in clear", clear)
	}

	// Reading decrypts transparently.
	got, err := s.GetCareOrder(ctx, cases.MercadoLibre, "1001", "o-77")
	require.NoError(t, err)
	assert.Equal(t, "TRK-QZV123", got.TrackingNumber)
	assert.JSONEq(t, careState, string(got.State))
	byShipment, err := s.FindCareOrderByShipment(ctx, cases.MercadoLibre, "1001", "sh-1")
	require.NoError(t, err)
	assert.JSONEq(t, careState, string(byShipment.State))
	tps, err := s.ListTouchpoints(ctx, o.Key)
	require.NoError(t, err)
	require.Len(t, tps, 1)
	assert.Equal(t, "Hola Ximena, tu pedido QZX-41 va en camino: TRK-QZV123", tps[0].Text)
	tp, err := s.GetTouchpoint(ctx, o.Key, "shipped")
	require.NoError(t, err)
	assert.Equal(t, tps[0].Text, tp.Text)
	tasks, err := s.ListPreemptiveTasks(ctx, store.PreemptiveFilter{OrderID: "o-77"})
	require.NoError(t, err)
	require.Len(t, tasks, 1)
	assert.Equal(t, "Ximena wrote an unhappy message", tasks[0].Summary)
	assert.Equal(t, "called Ximena, she lives in Huallaga", tasks[0].Note)
	assert.JSONEq(t, `{"message_id": "bm-1", "text": "Ximena aquí: QZW-52 nunca llegó", "status": "exception", "tracking_number": "TRK-QZV123"}`,
		string(tasks[0].Evidence))

	manager := cases.Actor{ID: "maria", Role: cases.RoleManager}
	exp, err := s.ExportBuyer(ctx, cases.MercadoLibre, "buyer-7", "access request", manager)
	require.NoError(t, err)
	require.Len(t, exp.CareOrders, 1)
	assert.JSONEq(t, careState, string(exp.CareOrders[0].State))
	require.Len(t, exp.Touchpoints, 1)
	assert.Equal(t, tps[0].Text, exp.Touchpoints[0].Text)
	require.Len(t, exp.PreemptiveTasks, 1)
	assert.Equal(t, tasks[0].Note, exp.PreemptiveTasks[0].Note)
	assert.False(t, exp.Erased)

	// A buyer known only from order care is erased too: the key goes, the
	// rows stay with their statuses, signals and times.
	er, err := s.EraseBuyer(ctx, cases.MercadoLibre, "buyer-7", "buyer asked", manager)
	require.NoError(t, err)
	assert.Equal(t, 1, er.KeysDestroyed)
	raw = rawCareRows(t, s, o.Key)
	for _, secret := range careSecrets {
		assert.NotContains(t, raw, secret)
	}
	got, err = s.GetCareOrder(ctx, cases.MercadoLibre, "1001", "o-77")
	require.NoError(t, err)
	assertCareErased(t, got)
	tps, err = s.ListTouchpoints(ctx, o.Key)
	require.NoError(t, err)
	require.Len(t, tps, 1)
	assert.Equal(t, store.Erased, tps[0].Text)
	assert.Equal(t, "sent", tps[0].Outcome)
	task, err := s.GetPreemptiveTask(ctx, "pt-mercadolibre-1001-o-77-angry_message")
	require.NoError(t, err)
	assertTaskErased(t, task)

	exp, err = s.ExportBuyer(ctx, cases.MercadoLibre, "buyer-7", "after erasure", manager)
	require.NoError(t, err)
	assert.True(t, exp.Erased)
	require.Len(t, exp.CareOrders, 1)
	require.Len(t, exp.Touchpoints, 1)
	require.Len(t, exp.PreemptiveTasks, 1)
	b, _ := json.Marshal(exp)
	for _, secret := range careSecrets {
		assert.NotContains(t, string(b), secret)
	}
}

func assertCareErased(t *testing.T, o store.CareOrder) {
	t.Helper()
	assert.Equal(t, store.Erased, o.TrackingNumber)
	assert.Equal(t, "exception", o.Status)
	for _, secret := range careSecrets {
		assert.NotContains(t, string(o.State), secret)
	}
	var st struct {
		Input       map[string]any            `json:"input"`
		Shipment    map[string]any            `json:"shipment"`
		Touchpoints map[string]map[string]any `json:"touchpoints"`
		Risks       map[string]map[string]any `json:"risks"`
		Version     int                       `json:"version"`
	}
	require.NoError(t, json.Unmarshal(o.State, &st))
	assert.Equal(t, 3, st.Version)
	assert.Equal(t, "buyer-7", st.Input["buyer_id"])
	assert.Equal(t, "Olva", st.Shipment["carrier"])
	assert.Equal(t, store.Erased, st.Shipment["tracking_number"])
	assert.Equal(t, true, st.Shipment["erased"])
	assert.Equal(t, "sent", st.Touchpoints["shipped"]["outcome"])
	assert.Equal(t, store.Erased, st.Touchpoints["shipped"]["text"])
	assert.Equal(t, "angry_message", st.Risks["angry_message"]["signal"])
	assert.Equal(t, store.Erased, st.Risks["angry_message"]["summary"])
}

func assertTaskErased(t *testing.T, task store.PreemptiveTask) {
	t.Helper()
	assert.Equal(t, store.Erased, task.Summary)
	assert.Equal(t, store.Erased, task.Note)
	assert.Equal(t, "done", task.Status)
	var ev map[string]any
	require.NoError(t, json.Unmarshal(task.Evidence, &ev))
	assert.Equal(t, "bm-1", ev["message_id"], "what is not personal stays readable")
	assert.Equal(t, store.Erased, ev["text"])
	assert.Equal(t, true, ev["erased"])
}

// Rows written before sealing existed still read, and an erasure
// overwrites them.
func TestOrderCarePlainRowsStillReadAndAreErased(t *testing.T) {
	ctx := context.Background()
	s := storetest.New(t)
	o := writeCareOrder(t, s) // no data keys: written in clear, as before sealing
	require.Contains(t, rawCareRows(t, s, o.Key), "Ximena")
	s.UseDataKeys(keyring.Generate("ordercare-plain"))

	got, err := s.GetCareOrder(ctx, cases.MercadoLibre, "1001", "o-77")
	require.NoError(t, err)
	assert.JSONEq(t, careState, string(got.State))
	tps, err := s.ListTouchpoints(ctx, o.Key)
	require.NoError(t, err)
	require.Len(t, tps, 1)
	assert.Contains(t, tps[0].Text, "Hola Ximena")

	manager := cases.Actor{ID: "maria", Role: cases.RoleManager}
	_, err = s.EraseBuyer(ctx, cases.MercadoLibre, "buyer-7", "buyer asked", manager)
	require.NoError(t, err)
	raw := rawCareRows(t, s, o.Key)
	for _, secret := range careSecrets {
		assert.NotContains(t, raw, secret, "an erasure leaves %q in clear", secret)
	}
	got, err = s.GetCareOrder(ctx, cases.MercadoLibre, "1001", "o-77")
	require.NoError(t, err)
	assertCareErased(t, got)
	task, err := s.GetPreemptiveTask(ctx, "pt-mercadolibre-1001-o-77-angry_message")
	require.NoError(t, err)
	assertTaskErased(t, task)

	// The order's care goes on: its next sync is sealed with a new key.
	o.Version = 4
	require.NoError(t, s.SyncCareOrder(ctx, o))
	assert.NotContains(t, rawCareRows(t, s, o.Key), "Ximena")
	got, err = s.GetCareOrder(ctx, cases.MercadoLibre, "1001", "o-77")
	require.NoError(t, err)
	assert.Equal(t, "TRK-QZV123", got.TrackingNumber)
}

// A message escalated from the message centre becomes a pre-emptive task
// on an order Redress never cared for: its buyer comes from the message.
func TestEscalatedMessageTaskIsSealedWithTheMessagesBuyer(t *testing.T) {
	ctx := context.Background()
	s := storetest.New(t)
	s.UseDataKeys(keyring.Generate("escalated"))
	now := day0
	_, _, err := s.AddBuyerMessage(ctx, store.BuyerMessage{ID: "bm-9", Marketplace: cases.EBay, ShopID: "s1", ExternalID: "q9",
		Kind: "question", ItemID: "it-9", BuyerID: "buyer-9", Text: "Ximena asks about QZX-41", ReceivedAt: now, DueAt: now.Add(24 * time.Hour)})
	require.NoError(t, err)
	_, err = s.RaisePreemptiveTask(ctx, store.PreemptiveTask{ID: "pt-ebay-s1-item-it-9-escalated", OrderKey: "ebay:s1:item-it-9",
		Marketplace: cases.EBay, ShopID: "s1", OrderID: "item-it-9", Signal: "escalated_message-bm-9",
		Summary:  "escalated from the message centre: Ximena is angry",
		Evidence: json.RawMessage(`{"message_id": "bm-9", "text": "Ximena asks about QZX-41", "escalated_by": "ana"}`), RaisedAt: now})
	require.NoError(t, err)
	var raw []string
	require.NoError(t, s.DB().SelectContext(ctx, &raw, `SELECT p::text FROM preemptive_tasks p`))
	require.Len(t, raw, 1)
	assert.NotContains(t, raw[0], "Ximena")
	assert.Contains(t, raw[0], "buyer-9")

	manager := cases.Actor{ID: "maria", Role: cases.RoleManager}
	exp, err := s.ExportBuyer(ctx, cases.EBay, "buyer-9", "access", manager)
	require.NoError(t, err)
	require.Len(t, exp.PreemptiveTasks, 1)
	assert.Equal(t, "escalated from the message centre: Ximena is angry", exp.PreemptiveTasks[0].Summary)
	_, err = s.EraseBuyer(ctx, cases.EBay, "buyer-9", "asked", manager)
	require.NoError(t, err)
	task, err := s.GetPreemptiveTask(ctx, "pt-ebay-s1-item-it-9-escalated")
	require.NoError(t, err)
	assert.Equal(t, store.Erased, task.Summary)
	var ev map[string]any
	require.NoError(t, json.Unmarshal(task.Evidence, &ev))
	assert.Equal(t, "ana", ev["escalated_by"])
	assert.Equal(t, store.Erased, ev["text"])
}

// Retention reaches a buyer known only from order care once care of every
// order of theirs ended longer ago than the retention; not while one runs.
func TestRetentionShredsOrderCareOnlyBuyers(t *testing.T) {
	ctx := context.Background()
	s := storetest.New(t)
	s.UseDataKeys(keyring.Generate("care-retention"))
	o := writeCareOrder(t, s)
	policy := store.RetentionPolicy{Now: day0.AddDate(0, 0, 181), DefaultDays: 180}

	r, err := s.ShredExpired(ctx, policy, 10)
	require.NoError(t, err)
	assert.Zero(t, r.Buyers, "care of the order still runs")

	o.Done, o.Version = true, o.Version+1
	require.NoError(t, s.SyncCareOrder(ctx, o))
	r, err = s.ShredExpired(ctx, store.RetentionPolicy{Now: day0.AddDate(0, 0, 179), DefaultDays: 180}, 10)
	require.NoError(t, err)
	assert.Zero(t, r.Buyers, "ended 179 days ago")
	exported := func() string {
		exp, err := s.ExportBuyer(ctx, o.Marketplace, o.BuyerID, "check", cases.Actor{ID: "maria", Role: cases.RoleManager})
		require.NoError(t, err)
		b, err := json.Marshal(exp)
		require.NoError(t, err)
		return string(b)
	}
	require.Contains(t, exported(), "Ximena", "readable before retention")
	r, err = s.ShredExpired(ctx, policy, 10)
	require.NoError(t, err)
	assert.Equal(t, store.Retention{Buyers: 1}, r)
	left := exported() + rawCareRows(t, s, o.Key)
	for _, secret := range careSecrets {
		assert.NotContains(t, left, secret)
	}
	r, err = s.ShredExpired(ctx, policy, 10)
	require.NoError(t, err)
	assert.Zero(t, r.Buyers, "nothing left to shred")
}
