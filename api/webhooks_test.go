package api

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace"
)

// recordingIngestor keeps the notifications it was handed.
type recordingIngestor struct {
	mu     sync.Mutex
	events []marketplace.WebhookEvent
}

func (r *recordingIngestor) IngestNotification(_ context.Context, _ cases.Marketplace, ev marketplace.WebhookEvent) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, ev)
	return nil
}

func webhook(h *harness, m string, events []marketplace.WebhookEvent, signed bool) *requestResult {
	body := mustJSON(h.t, events)
	r := request{method: http.MethodPost, path: "/v1/webhooks/" + m, body: body, header: map[string]string{}}
	if signed {
		r.header["X-Test-Signature"] = "ok"
	}
	rec := h.do(r)
	return &requestResult{code: rec.Code, body: rec.Body.String()}
}

type requestResult struct {
	code int
	body string
}

func TestWebhookOpensCaseOnceAndRecordsDelivery(t *testing.T) {
	ingest := &recordingIngestor{}
	h := newHarness(t, func(d *Deps) { d.Ingestor = ingest })
	reviewID := fmt.Sprintf("wh-%d", time.Now().UnixNano())
	review := &cases.Review{Marketplace: cases.EBay, ShopID: "shop-7", ReviewID: reviewID, OrderID: "o-7", Rating: 1,
		Text: "never arrived", CreatedAt: time.Now().UTC(), Buyer: cases.Buyer{ID: "b-7"}}
	events := []marketplace.WebhookEvent{
		{Kind: marketplace.WebhookReview, DeliveryID: "d-" + reviewID, ShopID: "shop-7", Review: review},
		{Kind: marketplace.WebhookReview, DeliveryID: "n-" + reviewID, ShopID: "shop-7", Resource: "/reviews/" + reviewID},
		{Kind: marketplace.WebhookIgnored, DeliveryID: "i-" + reviewID},
	}

	res := webhook(h, "ebay", events, true)
	require.Equal(t, http.StatusOK, res.code, res.body)
	assert.JSONEq(t, `{"received":3,"duplicates":0}`, res.body)
	res = webhook(h, "ebay", events, true)
	require.Equal(t, http.StatusOK, res.code, res.body)
	assert.JSONEq(t, `{"received":3,"duplicates":3}`, res.body, "a redelivery is recognised")

	caseID := cases.CaseIDFor(cases.EBay, "shop-7", reviewID)
	desc, err := devTemporal.DescribeWorkflowExecution(context.Background(), cases.WorkflowIDFor(caseID), "")
	require.NoError(t, err, "the review event started the case workflow")
	assert.Equal(t, "CaseWorkflow", desc.GetWorkflowExecutionInfo().GetType().GetName())
	require.Len(t, ingest.events, 2, "the resource-only notification went to the ingestor, once per delivery")
	assert.Equal(t, "/reviews/"+reviewID, ingest.events[0].Resource)

	// A buyer message for that review reaches the case as a Signal.
	msg := []marketplace.WebhookEvent{{Kind: marketplace.WebhookBuyerMessage, DeliveryID: "m-" + reviewID, ShopID: "shop-7",
		ReviewID: reviewID, MessageID: "msg-1", Text: "still waiting", At: time.Now().UTC()}}
	res = webhook(h, "ebay", msg, true)
	require.Equal(t, http.StatusOK, res.code, res.body)
	hist := devTemporal.GetWorkflowHistory(context.Background(), cases.WorkflowIDFor(caseID), "", false, 0)
	signalled := false
	for hist.HasNext() {
		ev, err := hist.Next()
		require.NoError(t, err)
		if a := ev.GetWorkflowExecutionSignaledEventAttributes(); a != nil && a.GetSignalName() == "buyer-reply" {
			signalled = true
		}
	}
	assert.True(t, signalled)

	// A message on an order without a case is acknowledged and dropped.
	orphan := []marketplace.WebhookEvent{{Kind: marketplace.WebhookBuyerMessage, DeliveryID: "o-" + reviewID, ShopID: "shop-7", OrderID: "unknown-order", Text: "hi"}}
	res = webhook(h, "ebay", orphan, true)
	require.Equal(t, http.StatusOK, res.code, res.body)
}

func TestWebhookRefusals(t *testing.T) {
	h := newHarness(t)
	res := webhook(h, "ebay", nil, false)
	require.Equal(t, http.StatusUnauthorized, res.code, res.body)
	var p Problem
	require.NoError(t, json.Unmarshal([]byte(res.body), &p))
	assert.Equal(t, codeUnauthenticated, p.Code)

	res = webhook(h, "wish", nil, true)
	require.Equal(t, http.StatusNotFound, res.code)
	require.NoError(t, json.Unmarshal([]byte(res.body), &p))
	assert.Equal(t, codeUnknownMarketplace, p.Code)

	rec := h.do(request{method: http.MethodPost, path: "/v1/webhooks/amazon", body: `{not json`, header: map[string]string{"X-Test-Signature": "ok"}})
	require.Equal(t, http.StatusBadRequest, rec.Code)
	assert.Equal(t, codeInvalidWebhook, problemOf(t, rec).Code)
}
