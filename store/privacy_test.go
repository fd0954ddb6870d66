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

// privacyScript is caseScript with words that must never be stored in
// clear: the buyer's name, the review, their message, an agent's note
// quoting them and a draft addressed to them. Each marker holds a '-',
// which sealed text (hex key id, standard base64) cannot: a bare
// three-letter marker turned up by chance inside a ciphertext in CI.
func privacyScript(reviewID string) ([]cases.Event, []string) {
	events := caseScript(reviewID)
	id := events[0].CaseID
	var opened cases.CaseOpenedData
	_ = json.Unmarshal(events[0].Data, &opened)
	opened.Review.Buyer.Name = "Ximena Quispe Huamani"
	opened.Review.Text = "la botella QZX-41 llegó rota"
	events[0] = cases.NewEvent(id, 1, cases.EventCaseOpened, cases.SystemActor, events[0].At, opened)
	var created cases.TaskCreatedData
	_ = json.Unmarshal(events[5].Data, &created)
	created.Task.Input = json.RawMessage(`{"draft":"Hola Ximena, lamentamos lo de la botella"}`)
	events[5] = cases.NewEvent(id, 6, cases.EventTaskCreated, cases.SystemActor, events[5].At, created)
	ana := cases.Actor{ID: "ana", Role: cases.RoleAgent}
	events = append(events,
		cases.NewEvent(id, 9, cases.EventBuyerReplied, cases.SystemActor, day0.Add(11*time.Hour),
			cases.BuyerRepliedData{MessageID: "m1", Text: "vivo en Jirón Huallaga 455, QZW-52", Source: "webhook", At: day0.Add(11 * time.Hour)}),
		cases.NewEvent(id, 10, cases.EventNoteAdded, ana, day0.Add(12*time.Hour),
			cases.NoteAddedData{NoteID: "n1", Text: "Ximena dice que vive en Huallaga"}))
	return events, []string{"Ximena", "QZX-41", "QZW-52", "Huallaga"}
}

// rawRows is every row of the case as PostgreSQL holds it, as text.
func rawRows(t *testing.T, s *store.Store, caseID string) string {
	t.Helper()
	var out []string
	for _, q := range []string{
		`SELECT c::text FROM cases c WHERE id = $1`,
		`SELECT e::text FROM case_events e WHERE case_id = $1`,
		`SELECT t::text FROM tasks t WHERE case_id = $1`,
	} {
		var rows []string
		require.NoError(t, s.DB().SelectContext(context.Background(), &rows, q, caseID))
		require.NotEmpty(t, rows, q)
		out = append(out, rows...)
	}
	return strings.Join(out, "\n")
}

func TestPersonalDataIsSealedPerBuyerAndErasable(t *testing.T) {
	ctx := context.Background()
	s := storetest.New(t)
	s.UseDataKeys(keyring.Generate("deploy-1"))
	events, secrets := privacyScript("r-privacy")
	id := events[0].CaseID
	appendEvents(t, s, events[:6])
	appendEvents(t, s, events[6:]) // the second batch folds onto the sealed fold

	raw := rawRows(t, s, id)
	for _, secret := range secrets {
		assert.NotContains(t, raw, secret, "PostgreSQL holds %q in clear", secret)
	}
	assert.Contains(t, raw, "rdx1:", "nothing was sealed: the test reads nothing")

	// Reading decrypts transparently.
	c, err := s.GetCase(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, "Ximena Quispe Huamani", c.BuyerName)
	assert.Equal(t, "la botella QZX-41 llegó rota", c.Text)
	assert.Equal(t, int64(10), c.Version)
	task, err := s.GetTask(ctx, id+"-contact_buyer-1")
	require.NoError(t, err)
	assert.JSONEq(t, `{"draft":"Hola Ximena, lamentamos lo de la botella"}`, string(task.Input))
	assert.Equal(t, cases.TaskClaimed, task.Status, "the fold still sees the task")
	list, err := s.ListEvents(ctx, id, 0, 100)
	require.NoError(t, err)
	require.Len(t, list, 10)
	assert.Contains(t, string(list[8].Data), "Jirón Huallaga 455")
	st, err := s.CaseAsOf(ctx, id, day0.Add(13*time.Hour))
	require.NoError(t, err)
	require.Len(t, st.BuyerReplies, 1)
	assert.Equal(t, "vivo en Jirón Huallaga 455, QZW-52", st.BuyerReplies[0].Text)

	// An access request returns it all, and is recorded.
	manager := cases.Actor{ID: "maria", Role: cases.RoleManager}
	exp, err := s.ExportBuyer(ctx, cases.MercadoLibre, "buyer-1", "access request #12", manager)
	require.NoError(t, err)
	require.Len(t, exp.Cases, 1)
	assert.Equal(t, "Ximena Quispe Huamani", exp.Cases[0].Case.BuyerName)
	assert.Len(t, exp.Cases[0].Events, 10)
	assert.False(t, exp.Erased)

	// Erasure: the key goes, every event stays in order, personal fields read as erased.
	er, err := s.EraseBuyer(ctx, cases.MercadoLibre, "buyer-1", "buyer asked (GDPR art. 17)", manager)
	require.NoError(t, err)
	assert.Equal(t, 1, er.KeysDestroyed)
	assert.Equal(t, []string{id}, er.OpenCaseIDs)
	assert.Equal(t, []string{id}, []string(er.Request.CaseIDs))

	c, err = s.GetCase(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, store.Erased, c.BuyerName)
	assert.Equal(t, store.Erased, c.Text)
	list, err = s.ListEvents(ctx, id, 0, 100)
	require.NoError(t, err)
	require.Len(t, list, 10, "every event of the buyer is still there")
	for i, e := range list {
		assert.Equal(t, events[i].Seq, e.Seq)
		assert.Equal(t, events[i].Type, e.Type)
		assert.Equal(t, events[i].Actor, e.Actor)
		for _, secret := range secrets {
			assert.NotContains(t, string(e.Data), secret)
		}
	}
	var replied map[string]any
	require.NoError(t, json.Unmarshal(list[8].Data, &replied))
	assert.Equal(t, store.Erased, replied["text"])
	assert.Equal(t, "m1", replied["message_id"], "what is not personal stays readable")
	assert.Equal(t, true, replied["erased"])
	task, err = s.GetTask(ctx, id+"-contact_buyer-1")
	require.NoError(t, err)
	assert.NotContains(t, string(task.Input), "Ximena")

	// The case goes on after erasure: its close folds onto the rows.
	appendEvents(t, s, []cases.Event{cases.NewEvent(id, 11, cases.EventCaseClosed, cases.SystemActor, day0.Add(14*time.Hour),
		cases.CaseClosedData{Outcome: cases.OutcomeUnchanged, Reason: "erased"})})
	c, err = s.GetCase(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, cases.StatusClosed, c.Status)
	assert.Equal(t, int64(11), c.Version)
	assert.Equal(t, store.Erased, c.Text)
	raw = rawRows(t, s, id)
	for _, secret := range secrets {
		assert.NotContains(t, raw, secret)
	}

	exp, err = s.ExportBuyer(ctx, cases.MercadoLibre, "buyer-1", "after erasure", manager)
	require.NoError(t, err)
	assert.True(t, exp.Erased)
	require.Len(t, exp.Requests, 2, "the export and the erasure before this one")
	assert.Equal(t, store.PrivacyErasure, exp.Requests[1].Kind)

	// What was written after the erasure (the close's reason) has a key of
	// its own; erasing again destroys that one and nothing else changes.
	er, err = s.EraseBuyer(ctx, cases.MercadoLibre, "buyer-1", "repeated", manager)
	require.NoError(t, err)
	assert.Equal(t, 1, er.KeysDestroyed)
	assert.Empty(t, er.OpenCaseIDs)
	er, err = s.EraseBuyer(ctx, cases.MercadoLibre, "buyer-1", "repeated", manager)
	require.NoError(t, err)
	assert.Zero(t, er.KeysDestroyed)
	list, err = s.ListEvents(ctx, id, 0, 100)
	require.NoError(t, err)
	assert.Len(t, list, 11)
}

// The deployment key rotates without touching buyers' keys: a ring with a
// new key in front still opens the keys wrapped by the old one.
func TestDeploymentKeyRotation(t *testing.T) {
	ctx := context.Background()
	s := storetest.New(t)
	oldKey := keyring.NewKey()
	before, err := keyring.Parse(keyring.Spec("d1", oldKey))
	require.NoError(t, err)
	s.UseDataKeys(before)
	events, _ := privacyScript("r-rotate")
	appendEvents(t, s, events)

	afterSpec := keyring.Spec("d2", keyring.NewKey()) + "," + keyring.Spec("d1", oldKey)
	after, err := keyring.Parse(afterSpec)
	require.NoError(t, err)
	s.UseDataKeys(after)
	c, err := s.GetCase(ctx, events[0].CaseID)
	require.NoError(t, err)
	assert.Equal(t, "Ximena Quispe Huamani", c.BuyerName)

	onlyNew, err := keyring.Parse(strings.Split(afterSpec, ",")[0])
	require.NoError(t, err)
	s.UseDataKeys(onlyNew) // the old key is gone from the ring
	_, err = s.GetCase(ctx, events[0].CaseID)
	assert.Error(t, err, "a buyer key wrapped by a retired deployment key cannot be opened")

	// Rewrapped with the new key, the old one can go.
	s.UseDataKeys(after)
	n, err := s.RewrapBuyerKeys(ctx)
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	n, err = s.RewrapBuyerKeys(ctx)
	require.NoError(t, err)
	assert.Zero(t, n, "nothing left to rewrap")
	s.UseDataKeys(onlyNew)
	c, err = s.GetCase(ctx, events[0].CaseID)
	require.NoError(t, err)
	assert.Equal(t, "Ximena Quispe Huamani", c.BuyerName)
}

// A failed call's parameters quote the message to the buyer, and its error
// can echo them: incidents are sealed and erased like the rest.
func TestIncidentsAreSealedAndErased(t *testing.T) {
	ctx := context.Background()
	s := storetest.New(t)
	s.UseDataKeys(keyring.Generate("incidents"))
	c := newCase("r-incident", day0)
	in := newIncident(c, "contact-1", day0)
	in.Params = json.RawMessage(`{"text":"Hola Zacarías, te devolvemos el dinero"}`)
	in.Message = `400: text "Hola Zacarías" too long`
	require.NoError(t, s.SyncCase(ctx, cases.SyncBatch{Case: c, Incidents: []cases.Incident{in}}))

	var raw []string
	require.NoError(t, s.DB().SelectContext(ctx, &raw, `SELECT i::text FROM incidents i WHERE case_id = $1`, c.ID))
	require.Len(t, raw, 1)
	assert.NotContains(t, raw[0], "Zacarías")
	got, err := s.GetIncident(ctx, in.ID)
	require.NoError(t, err)
	assert.JSONEq(t, string(in.Params), string(got.Params))
	assert.Equal(t, in.Message, got.Message)
	page, err := s.ListIncidents(ctx, store.IncidentFilter{})
	require.NoError(t, err)
	require.Len(t, page.Items, 1)
	assert.Equal(t, in.Message, page.Items[0].Message)

	_, err = s.EraseBuyer(ctx, c.Marketplace, c.BuyerID, "request", cases.Actor{ID: "maria", Role: cases.RoleManager})
	require.NoError(t, err)
	got, err = s.GetIncident(ctx, in.ID)
	require.NoError(t, err)
	assert.Equal(t, store.Erased, got.Message)
	assert.NotContains(t, string(got.Params), "Zacarías")
}

// Messages in the message centre are sealed with their buyer's key, read
// decrypted (also as a prior contact), exported and erased with the buyer.
func TestBuyerMessagesAreSealedAndErased(t *testing.T) {
	ctx := context.Background()
	s := storetest.New(t)
	s.UseDataKeys(keyring.Generate("messages"))
	now := time.Now().UTC().Truncate(time.Second)
	msg := store.BuyerMessage{ID: "bm-1", Marketplace: cases.EBay, ShopID: "s1", ExternalID: "bm-1", Kind: "message",
		OrderID: "o1", BuyerID: "buyer-9", Text: "Soy Anselmo, ¿dónde está mi pedido?", Complaint: true,
		ReceivedAt: now.Add(-2 * time.Hour), DueAt: now}
	got, first, err := s.AddBuyerMessage(ctx, msg)
	require.NoError(t, err)
	assert.True(t, first)
	assert.Equal(t, msg.Text, got.Text)
	_, err = s.AnswerBuyerMessage(ctx, "bm-1", store.Answer{Text: "Hola Anselmo, ya sale", Ref: "r1", Via: "api", By: "ana", At: now.Add(-time.Hour)})
	require.NoError(t, err)

	var raw []string
	require.NoError(t, s.DB().SelectContext(ctx, &raw, `SELECT m::text FROM buyer_messages m WHERE id = 'bm-1'`))
	require.Len(t, raw, 1)
	assert.NotContains(t, raw[0], "Anselmo")
	list, err := s.ListBuyerMessages(ctx, store.MessageFilter{})
	require.NoError(t, err)
	require.Len(t, list, 1)
	assert.Equal(t, msg.Text, list[0].Text)
	assert.Equal(t, "Hola Anselmo, ya sale", list[0].AnswerText)
	pc, err := s.FirstPriorContact(ctx, cases.EBay, "s1", "o1", now.Add(-3*time.Hour), now)
	require.NoError(t, err)
	assert.Equal(t, "Hola Anselmo, ya sale", pc.Text)

	manager := cases.Actor{ID: "maria", Role: cases.RoleManager}
	exp, err := s.ExportBuyer(ctx, cases.EBay, "buyer-9", "access", manager)
	require.NoError(t, err)
	require.Len(t, exp.Messages, 1)
	assert.Equal(t, msg.Text, exp.Messages[0].Text)

	er, err := s.EraseBuyer(ctx, cases.EBay, "buyer-9", "request", manager)
	require.NoError(t, err)
	assert.Equal(t, 1, er.KeysDestroyed, "a buyer known only from the message centre is erased too")
	got, err = s.GetBuyerMessage(ctx, "bm-1")
	require.NoError(t, err)
	assert.Equal(t, store.Erased, got.Text)
	assert.Equal(t, store.Erased, got.AnswerText)
}
