package mercadolibre_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace"
	"github.com/redress-hq/redress/marketplace/mercadolibre"
	"github.com/redress-hq/redress/simulator"
	"github.com/redress-hq/redress/simulator/simtest"
)

const shop = "1001"

func setup(t *testing.T) (*simtest.Env, *mercadolibre.Client, simulator.Review) {
	t.Helper()
	env := simtest.Start(t, simulator.Options{Seed: 1})
	c := mercadolibre.New(env.Config.MercadoLibre, env.HTTP, env.Tokens, nil)
	rv, _, err := env.Sim.AddReview(simulator.NewReview{
		Platform: cases.MercadoLibre, ShopID: shop, Rating: 1, Text: "Llegó roto", BuyerID: "555", BuyerName: "COMPRADOR1",
		Item: "Auriculares", Amount: 2599000, ShippingFee: 150000, Courier: "OCA", TrackingNumber: "OCA1",
		Tracking: simtest.Delivered(time.Now()), Claims: []simulator.Claim{{ID: "C1", Status: "opened", Reason: "PDD9939", Stage: "claim"}},
	})
	require.NoError(t, err)
	return env, c, rv
}

func classOf(t *testing.T, err error) *marketplace.Error {
	t.Helper()
	me, ok := marketplace.AsError(err)
	require.True(t, ok, "want *marketplace.Error, got %v", err)
	return me
}

func TestReadPaths(t *testing.T) {
	ctx := context.Background()
	env, c, rv := setup(t)
	_, _, err := env.Sim.AddReview(simulator.NewReview{Platform: cases.MercadoLibre, ShopID: shop, Rating: 5, Text: "Excelente"})
	require.NoError(t, err)

	reviews, cursor, err := c.ListNegativeReviews(ctx, shop, "")
	require.NoError(t, err)
	require.Len(t, reviews, 1, "the positive review is skipped")
	got := reviews[0]
	assert.Equal(t, rv.ID, got.ReviewID)
	assert.Equal(t, 1, got.Rating)
	assert.Equal(t, "Llegó roto", got.Text)
	assert.Equal(t, cases.Money(2599000), got.OrderAmount)
	assert.Equal(t, cases.Money(150000), got.ShippingFee)
	assert.Equal(t, "COMPRADOR1", got.Buyer.Name)
	assert.NotEmpty(t, cursor)

	st, err := c.GetReview(ctx, shop, rv.ID)
	require.NoError(t, err)
	assert.Equal(t, 1, st.Rating)
	assert.False(t, st.Revised)
	require.NoError(t, env.Sim.Revise(cases.MercadoLibre, rv.ID, 5, "Resuelto, gracias"))
	st, err = c.GetReview(ctx, shop, rv.ID)
	require.NoError(t, err)
	assert.True(t, st.Revised)
	assert.Equal(t, 5, st.Rating)

	fetched, err := c.FetchReview(ctx, shop, "/orders/"+rv.OrderID+"/feedback")
	require.NoError(t, err)
	assert.Equal(t, rv.ID, fetched.ReviewID)

	_, err = env.Sim.AddBuyerMessage(cases.MercadoLibre, rv.OrderID, "Hola, llegó roto")
	require.NoError(t, err)
	ev, err := c.GetEvidence(ctx, shop, rv.OrderID)
	require.NoError(t, err)
	assert.Equal(t, cases.Money(2599000), ev.Order.Amount)
	assert.Equal(t, []string{"Auriculares"}, ev.Order.Items)
	assert.Equal(t, "OCA", ev.Courier)
	require.Len(t, ev.Tracking, 3)
	assert.Equal(t, "delivered", ev.Tracking[2].Status)
	require.NotNil(t, ev.Order.DeliveredAt)
	require.Len(t, ev.Chat, 1)
	assert.Equal(t, "buyer", ev.Chat[0].From)
	require.Len(t, ev.Claims, 1)
	assert.Equal(t, "C1", ev.Claims[0].ID)

	el, err := c.MessageEligibility(ctx, shop, rv.OrderID)
	require.NoError(t, err)
	assert.True(t, el.Allowed)
	assert.Equal(t, 350, el.MaxChars)
}

func TestListPagesAndResumesFromCursor(t *testing.T) {
	ctx := context.Background()
	env, c, _ := setup(t)
	for i := 0; i < 60; i++ {
		_, _, err := env.Sim.AddReview(simulator.NewReview{Platform: cases.MercadoLibre, ShopID: shop, Rating: 1 + 2*(i%2), Text: "malo"})
		require.NoError(t, err)
	}
	reviews, cursor, err := c.ListNegativeReviews(ctx, shop, "")
	require.NoError(t, err)
	assert.Len(t, reviews, 61, "two pages of 50")
	rv, _, err := env.Sim.AddReview(simulator.NewReview{Platform: cases.MercadoLibre, ShopID: shop, Rating: 2, Text: "nuevo"})
	require.NoError(t, err)
	reviews, _, err = c.ListNegativeReviews(ctx, shop, cursor)
	require.NoError(t, err)
	require.NotEmpty(t, reviews)
	assert.LessOrEqual(t, len(reviews), 2, "only what changed since the cursor (inclusive)")
	assert.Equal(t, rv.ID, reviews[len(reviews)-1].ReviewID)
}

func TestWritesHappenOnce(t *testing.T) {
	ctx := context.Background()
	env, c, rv := setup(t)

	msg := marketplace.MessageRequest{ShopID: shop, OrderID: rv.OrderID, Text: "Hola, lamentamos lo ocurrido. ¿Podemos ayudarte?", IdempotencyKey: "case1/contact"}
	first, err := c.SendBuyerMessage(ctx, msg)
	require.NoError(t, err)
	assert.False(t, first.Replayed)
	again, err := c.SendBuyerMessage(ctx, msg)
	require.NoError(t, err)
	assert.True(t, again.Replayed)
	assert.Equal(t, first.ID, again.ID)

	reply := marketplace.ReplyRequest{ShopID: shop, ReviewID: rv.ID, OrderID: rv.OrderID, Text: "Lamentamos lo ocurrido, te contactamos por mensaje.", IdempotencyKey: "case1/reply"}
	_, err = c.PostPublicReply(ctx, reply)
	require.NoError(t, err)
	res, err := c.PostPublicReply(ctx, reply)
	require.NoError(t, err)
	assert.True(t, res.Replayed)
	st, err := c.GetReview(ctx, shop, rv.ID)
	require.NoError(t, err)
	assert.True(t, st.HasReply)

	// No public coupon or reship API: manual steps, nothing is called.
	_, err = c.IssueCoupon(ctx, marketplace.CouponRequest{ShopID: shop, OrderID: rv.OrderID, BuyerID: "555", Amount: 260000, Currency: "ARS", IdempotencyKey: "case1/coupon"})
	assert.Equal(t, "not_supported", classOf(t, err).Code)
	assert.True(t, marketplace.Permanent(err))
	_, err = c.CreateReship(ctx, marketplace.ReshipRequest{ShopID: shop, OrderID: rv.OrderID, Note: "Reenvío", IdempotencyKey: "case1/reship"})
	assert.Equal(t, "not_supported", classOf(t, err).Code)

	refund := marketplace.RefundRequest{ShopID: shop, OrderID: rv.OrderID, Amount: 2599000, Currency: "ARS", Reason: "damaged", IdempotencyKey: "case1/refund"}
	rf1, err := c.IssueRefund(ctx, refund)
	require.NoError(t, err)
	assert.Equal(t, "completed", rf1.Status)
	rf2, err := c.IssueRefund(ctx, refund)
	require.NoError(t, err, "Mercado Pago answers a repeated X-Idempotency-Key with the first refund")
	assert.Equal(t, rf1.ID, rf2.ID)
	status, err := c.RefundStatus(ctx, shop, rf1.ID)
	require.NoError(t, err)
	assert.Equal(t, cases.Money(2599000), status.Amount)

	appeal, err := c.SubmitAppeal(ctx, marketplace.AppealRequest{ShopID: shop, ReviewID: rv.ID})
	require.NoError(t, err)
	assert.True(t, appeal.Manual)

	kinds := map[simulator.LedgerKind]int{}
	for _, e := range env.Sim.Ledger() {
		kinds[e.Kind]++
	}
	assert.Equal(t, map[simulator.LedgerKind]int{simulator.LedgerMessage: 1, simulator.LedgerReply: 1, simulator.LedgerRefund: 1}, kinds)
	assert.Empty(t, env.Sim.Duplicates())
}

func TestPlatformRefusals(t *testing.T) {
	ctx := context.Background()
	env, c, rv := setup(t)

	_, err := c.PostPublicReply(ctx, marketplace.ReplyRequest{ShopID: shop, ReviewID: rv.ID, Text: strings.Repeat("a", 160)})
	assert.Equal(t, "text_length", classOf(t, err).Code)
	assert.True(t, marketplace.Permanent(err))

	_, err = c.SendBuyerMessage(ctx, marketplace.MessageRequest{ShopID: shop, OrderID: rv.OrderID, Text: strings.Repeat("a", 351)})
	assert.Equal(t, "text_length", classOf(t, err).Code)
	_, err = c.SendBuyerMessage(ctx, marketplace.MessageRequest{ShopID: shop, OrderID: rv.OrderID, Text: "抱歉"})
	assert.Equal(t, "charset", classOf(t, err).Code)
	_, err = c.SendBuyerMessage(ctx, marketplace.MessageRequest{ShopID: shop, OrderID: rv.OrderID, Text: "Escribime a juan@example.com"})
	assert.Equal(t, "moderated", classOf(t, err).Code)

	_, err = c.PostPublicReply(ctx, marketplace.ReplyRequest{ShopID: shop, ReviewID: rv.ID, Text: "Primera respuesta"})
	require.NoError(t, err)
	_, err = c.PostPublicReply(ctx, marketplace.ReplyRequest{ShopID: shop, ReviewID: rv.ID, Text: "Segunda respuesta"})
	assert.Equal(t, "already_replied", classOf(t, err).Code)

	_, err = c.IssueRefund(ctx, marketplace.RefundRequest{ShopID: shop, OrderID: rv.OrderID, Amount: 100000, Currency: "ARS", IdempotencyKey: "r1"})
	require.NoError(t, err)
	el, err := c.MessageEligibility(ctx, shop, rv.OrderID)
	require.NoError(t, err)
	assert.False(t, el.Allowed)
	assert.Equal(t, "blocked_by_refund", el.Reason)
	_, err = c.SendBuyerMessage(ctx, marketplace.MessageRequest{ShopID: shop, OrderID: rv.OrderID, Text: "Hola de nuevo"})
	me := classOf(t, err)
	assert.Equal(t, cases.ErrPermanent, me.Class)
	assert.Equal(t, 403, me.Status)
	assert.Equal(t, "forbidden", me.Code)
	assert.Contains(t, me.Message, "blocked_by_refund")
	assert.Empty(t, env.Sim.Duplicates())
}

// A seller may start a conversation only with the action guide's reason,
// once until the buyer answers; on MLB the answer goes to the messaging agent.
func TestConversationRules(t *testing.T) {
	ctx := context.Background()
	env, c, rv := setup(t)
	first := marketplace.MessageRequest{ShopID: shop, OrderID: rv.OrderID, Text: "Hola, lamentamos lo ocurrido."}
	_, err := c.SendBuyerMessage(ctx, first)
	require.NoError(t, err)
	el, err := c.MessageEligibility(ctx, shop, rv.OrderID)
	require.NoError(t, err)
	assert.Equal(t, marketplace.Eligibility{Reason: "reason_other_exhausted", MaxChars: 350}, el)
	_, err = c.SendBuyerMessage(ctx, marketplace.MessageRequest{ShopID: shop, OrderID: rv.OrderID, Text: "¿Pudiste verlo?"})
	assert.Equal(t, "reason_other_exhausted", classOf(t, err).Code)

	_, err = env.Sim.AddBuyerMessage(cases.MercadoLibre, rv.OrderID, "Sí, llegó roto")
	require.NoError(t, err)
	_, err = c.SendBuyerMessage(ctx, marketplace.MessageRequest{ShopID: shop, OrderID: rv.OrderID, Text: "Gracias, te enviamos la solución 😊"})
	require.NoError(t, err, "after the buyer wrote, an ordinary message (emoji allowed)")

	br, _, err := env.Sim.AddReview(simulator.NewReview{Platform: cases.MercadoLibre, ShopID: shop, Rating: 1, Text: "Chegou quebrado", BuyerID: "777", Currency: "BRL"})
	require.NoError(t, err)
	_, err = env.Sim.AddBuyerMessage(cases.MercadoLibre, br.OrderID, "Olá")
	require.NoError(t, err)
	_, err = c.SendBuyerMessage(ctx, marketplace.MessageRequest{ShopID: shop, OrderID: br.OrderID, BuyerID: "777", Text: "Olá, sentimos muito."})
	require.NoError(t, err, "the simulator refuses a message to the buyer instead of the MLB agent")
	assert.Empty(t, env.Sim.Duplicates())
}

func TestTokenRefresh(t *testing.T) {
	ctx := context.Background()
	env, c, rv := setup(t)
	_, err := c.GetReview(ctx, shop, rv.ID)
	require.NoError(t, err)
	before, err := env.Tokens.Get(ctx, cases.MercadoLibre, shop)
	require.NoError(t, err)

	env.Sim.ExpireAccessTokens(cases.MercadoLibre)
	_, err = c.GetReview(ctx, shop, rv.ID)
	require.NoError(t, err, "a 401 refreshes once and retries")
	after, err := env.Tokens.Get(ctx, cases.MercadoLibre, shop)
	require.NoError(t, err)
	assert.NotEqual(t, before.AccessToken, after.AccessToken)
	assert.NotEqual(t, before.RefreshToken, after.RefreshToken, "the single-use refresh token rotated and was saved")

	env.Sim.RevokeShop(cases.MercadoLibre, shop)
	_, err = c.GetReview(ctx, shop, rv.ID)
	me := classOf(t, err)
	assert.Equal(t, cases.ErrAuthRevoked, me.Class)
	assert.Equal(t, "invalid_grant", me.Code)
}

func TestTokenRefusedAfterRefreshIsAuthExpired(t *testing.T) {
	env := simtest.Start(t, simulator.Options{AccessTokenTTL: time.Nanosecond}) // every token is stale on arrival
	c := mercadolibre.New(env.Config.MercadoLibre, env.HTTP, env.Tokens, nil)
	_, err := c.GetReview(context.Background(), shop, "1")
	me := classOf(t, err)
	assert.Equal(t, cases.ErrAuthExpired, me.Class)
	assert.Equal(t, 401, me.Status)
}

func TestErrorClasses(t *testing.T) {
	ctx := context.Background()
	env, c, rv := setup(t)

	env.Sim.SetFaults(cases.MercadoLibre, "/feedback", simulator.FaultSpec{ServerErrorRate: 1})
	_, err := c.GetReview(ctx, shop, rv.ID)
	me := classOf(t, err)
	assert.Equal(t, cases.ErrRetryable, me.Class)
	assert.Equal(t, 503, me.Status)

	env.Sim.SetFaults(cases.MercadoLibre, "/feedback", simulator.FaultSpec{RateLimitRate: 1, RetryAfterSeconds: 7})
	_, err = c.GetReview(ctx, shop, rv.ID)
	me = classOf(t, err)
	assert.Equal(t, cases.ErrRateLimited, me.Class)
	assert.Equal(t, 7*time.Second, me.RetryAfter)

	env.Sim.SetFaults(cases.MercadoLibre, "/feedback", simulator.FaultSpec{DropRate: 1})
	_, err = c.GetReview(ctx, shop, rv.ID)
	assert.Equal(t, cases.ErrRetryable, classOf(t, err).Class, "a lost read is retryable")
	env.Sim.ClearFaults()

	// The write is applied but its answer is lost: ambiguous. The retry reads
	// back, finds it, and does not write again.
	env.Sim.SetFaults(cases.MercadoLibre, "POST /messages", simulator.FaultSpec{AmbiguousRate: 1})
	msg := marketplace.MessageRequest{ShopID: shop, OrderID: rv.OrderID, Text: "Hola, ¿cómo podemos ayudarte?", IdempotencyKey: "k1"}
	_, err = c.SendBuyerMessage(ctx, msg)
	assert.Equal(t, cases.ErrAmbiguous, classOf(t, err).Class)
	env.Sim.ClearFaults()
	res, err := c.SendBuyerMessage(ctx, msg)
	require.NoError(t, err)
	assert.True(t, res.Replayed)
	var sent int
	for _, e := range env.Sim.Ledger() {
		if e.Kind == simulator.LedgerMessage {
			sent++
		}
	}
	assert.Equal(t, 1, sent)

	_, err = c.GetReview(ctx, shop, "does-not-exist")
	require.NoError(t, err, "an unknown order reads as a removed review")
	_, err = c.GetEvidence(ctx, shop, "does-not-exist")
	me = classOf(t, err)
	assert.Equal(t, cases.ErrPermanent, me.Class)
	assert.Equal(t, 404, me.Status)
}

func TestWebhook(t *testing.T) {
	var (
		mu       sync.Mutex
		got      []marketplace.WebhookEvent
		parseErr error
		c        *mercadolibre.Client
	)
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		defer mu.Unlock()
		evs, err := c.ParseWebhook(r.Context(), r, body)
		got, parseErr = append(got, evs...), errors.Join(parseErr, err)
	}))
	defer receiver.Close()
	env := simtest.Start(t, simulator.Options{WebhookURL: receiver.URL})
	mu.Lock()
	c = mercadolibre.New(env.Config.MercadoLibre, env.HTTP, env.Tokens, nil)
	mu.Unlock()

	rv, _, err := env.Sim.AddReview(simulator.NewReview{Platform: cases.MercadoLibre, ShopID: shop, Rating: 2, Text: "Malo"})
	require.NoError(t, err)
	_, err = env.Sim.AddBuyerMessage(cases.MercadoLibre, rv.OrderID, "Hola")
	require.NoError(t, err)
	mu.Lock()
	defer mu.Unlock()
	require.NoError(t, parseErr)
	require.Len(t, got, 2)
	assert.Equal(t, marketplace.WebhookReview, got[0].Kind)
	assert.Equal(t, "/orders/"+rv.OrderID+"/feedback", got[0].Resource)
	assert.Equal(t, rv.ID, got[0].ReviewID)
	assert.Equal(t, shop, got[0].ShopID)
	assert.NotEmpty(t, got[0].DeliveryID)
	assert.Equal(t, marketplace.WebhookBuyerMessage, got[1].Kind)
	assert.NotEqual(t, got[0].DeliveryID, got[1].DeliveryID)

	review, err := c.FetchReview(context.Background(), shop, got[0].Resource)
	require.NoError(t, err)
	assert.Equal(t, "Malo", review.Text)
	assert.Equal(t, 1, review.Rating)
	msg, err := c.FetchBuyerMessage(context.Background(), shop, got[1].Resource)
	require.NoError(t, err)
	assert.Equal(t, marketplace.WebhookBuyerMessage, msg.Kind)
	assert.Equal(t, rv.OrderID, msg.OrderID)
	assert.Equal(t, "Hola", msg.Text)

	foreign := `{"_id":"x","resource":"/orders/1/feedback","user_id":1001,"topic":"orders_feedback","application_id":999,"attempts":1}`
	req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(foreign))
	_, err = c.ParseWebhook(context.Background(), req, []byte(foreign))
	me := classOf(t, err)
	assert.Equal(t, "bad_signature", me.Code)
	assert.True(t, marketplace.Permanent(err))
}
