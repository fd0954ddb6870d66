package api

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/intake"
	"github.com/redress-hq/redress/marketplace"
	"github.com/redress-hq/redress/store"
)

type webhookResponse struct {
	Received   int `json:"received"`
	Duplicates int `json:"duplicates"`
}

// receiveWebhook verifies a delivery with the connector and hands each event
// to Temporal. It never calls the marketplace, so it answers within the
// platforms' deadlines (Mercado Libre: 500 ms). A failed hand-off is a 5xx,
// so the platform redelivers; a delivery is recorded only after its
// hand-off, and redeliveries are harmless: workflow ids and message ids dedupe.
func (s *Server) receiveWebhook(c echo.Context) error {
	m := cases.Marketplace(c.Param("marketplace"))
	if !m.Valid() {
		return newProblem(http.StatusNotFound, codeUnknownMarketplace, "unknown marketplace "+string(m))
	}
	conn, err := s.markets.Get(m)
	if err != nil {
		return newProblem(http.StatusNotFound, codeUnknownMarketplace, "marketplace "+string(m)+" is not configured")
	}
	body, err := io.ReadAll(c.Request().Body)
	if err != nil {
		var he *echo.HTTPError
		if errors.As(err, &he) {
			return he
		}
		return newProblem(http.StatusBadRequest, codeInvalidWebhook, "the body could not be read")
	}
	ctx := c.Request().Context()
	events, err := conn.ParseWebhook(ctx, c.Request(), body)
	if err != nil {
		return webhookProblem(err)
	}
	var resp webhookResponse
	for _, ev := range events {
		// The platform names the shop; the shop names the organisation the
		// delivery acts for.
		ctx, err := s.scopeOfShop(ctx, m, ev.ShopID)
		if err != nil {
			return fmt.Errorf("webhook %s delivery %s: %w", m, ev.DeliveryID, err)
		}
		if err := s.handOff(ctx, m, ev); err != nil {
			return fmt.Errorf("webhook %s delivery %s: %w", m, ev.DeliveryID, err)
		}
		delivery := "new"
		if ev.DeliveryID != "" {
			first, err := s.store.RecordWebhookDelivery(ctx, string(m), ev.DeliveryID)
			if err != nil {
				return fmt.Errorf("record webhook delivery %s: %w", ev.DeliveryID, err)
			}
			if !first {
				delivery = "duplicate"
				resp.Duplicates++
			}
		}
		resp.Received++
		s.metrics.webhooks.WithLabelValues(string(m), string(ev.Kind), delivery).Inc()
	}
	return c.JSON(http.StatusOK, resp)
}

// shopScoper resolves a platform's shop to its organisation's scope.
type shopScoper interface {
	ScopeOfShop(ctx context.Context, marketplace, shopID string) (store.Scope, error)
}

// scopeOfShop returns ctx acting for the organisation that owns the shop.
func (s *Server) scopeOfShop(ctx context.Context, m cases.Marketplace, shopID string) (context.Context, error) {
	sc, ok := s.store.(shopScoper)
	if !ok {
		return ctx, nil
	}
	scope, err := sc.ScopeOfShop(ctx, string(m), shopID)
	if err != nil {
		return nil, err
	}
	return store.WithScope(ctx, scope), nil
}

// challengeAnswerer is a connector whose platform validates a webhook
// endpoint with a GET challenge before delivering to it (eBay).
type challengeAnswerer interface {
	AnswerChallenge(challengeCode string) (string, error)
}

// answerWebhookChallenge answers the platform's endpoint validation:
// GET ?challenge_code= → {"challengeResponse": …}.
func (s *Server) answerWebhookChallenge(c echo.Context) error {
	m := cases.Marketplace(c.Param("marketplace"))
	conn, err := s.markets.Get(m)
	if !m.Valid() || err != nil {
		return newProblem(http.StatusNotFound, codeUnknownMarketplace, "unknown or unconfigured marketplace "+string(m))
	}
	answerer, ok := conn.(challengeAnswerer)
	if !ok {
		return newProblem(http.StatusNotFound, codeUnknownMarketplace, string(m)+" validates no webhook endpoint")
	}
	code := c.QueryParam("challenge_code")
	if code == "" {
		return newProblem(http.StatusBadRequest, codeInvalidWebhook, "challenge_code is required")
	}
	answer, err := answerer.AnswerChallenge(code)
	if err != nil {
		return fmt.Errorf("answer %s webhook challenge: %w", m, err)
	}
	return c.JSON(http.StatusOK, map[string]string{"challengeResponse": answer})
}

// webhookProblem: a failed signature check is 401; anything else the
// connector refuses is a malformed delivery.
func webhookProblem(err error) *Problem {
	var me *marketplace.Error
	if errors.As(err, &me) && (me.Status == http.StatusUnauthorized || me.Status == http.StatusForbidden ||
		me.Class == cases.ErrAuthExpired || me.Class == cases.ErrAuthRevoked) {
		return newProblem(http.StatusUnauthorized, codeUnauthenticated, "the webhook signature is not valid")
	}
	return newProblem(http.StatusBadRequest, codeInvalidWebhook, "the delivery could not be read: "+err.Error())
}

// handOff turns one event into a case, a buyer-reply Signal, or a
// notification for the ingestor to fetch.
func (s *Server) handOff(ctx context.Context, m cases.Marketplace, ev marketplace.WebhookEvent) error {
	switch {
	case ev.Kind == marketplace.WebhookIgnored:
		return nil
	case ev.Kind == marketplace.WebhookReview && ev.Review != nil:
		_, _, err := s.receiveReview(ctx, *ev.Review, "webhook") // opens the case, or sends it a change
		return err
	case ev.Kind == marketplace.WebhookBuyerMessage && (ev.ReviewID != "" || ev.OrderID != ""):
		return s.signalBuyerReply(ctx, m, ev)
	case ev.Kind == marketplace.WebhookOrder || ev.Kind == marketplace.WebhookShipment || ev.Kind == marketplace.WebhookQuestion:
		return s.orderCareNotification(ctx, m, ev) // ordercare_webhooks.go
	case ev.Resource != "":
		if s.ingestor == nil {
			return errors.New("no ingestor configured for resource notifications")
		}
		return s.ingestor.IngestNotification(ctx, m, ev)
	}
	s.log.WarnContext(ctx, "webhook event without content ignored", "marketplace", m, "kind", ev.Kind, "delivery_id", ev.DeliveryID)
	return nil
}

// signalBuyerReply signals the buyer's message to its case. A message on an
// order without a case (or a closed case) is not Redress's business.
func (s *Server) signalBuyerReply(ctx context.Context, m cases.Marketplace, ev marketplace.WebhookEvent) error {
	tctx, cancel := s.temporalContext(ctx)
	defer cancel()
	delivered, err := intake.DeliverBuyerMessage(tctx, s.temporal, s.store, m, ev)
	if err == nil && !delivered {
		s.log.InfoContext(ctx, "buyer message for no open case", "marketplace", m, "order_id", ev.OrderID)
	}
	return err
}
