package api

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace"
)

// testRegistry serves testConnector for every marketplace. The real
// connectors have their own webhook tests; here only the API's hand-off
// from decoded events to Temporal and the store is under test.
type testRegistry struct{}

func (testRegistry) Get(m cases.Marketplace) (marketplace.Connector, error) {
	if !m.Valid() {
		return nil, errors.New("unknown marketplace")
	}
	return testConnector{m: m}, nil
}

// testConnector decodes webhook bodies that are a JSON list of
// marketplace.WebhookEvent, "signed" by the header X-Test-Signature: ok.
type testConnector struct {
	marketplace.Connector // only ParseWebhook is called by the API
	m                     cases.Marketplace
}

func (c testConnector) ParseWebhook(_ context.Context, r *http.Request, body []byte) ([]marketplace.WebhookEvent, error) {
	if r.Header.Get("X-Test-Signature") != "ok" {
		return nil, &marketplace.Error{Marketplace: c.m, Op: "parse_webhook", Class: cases.ErrPermanent,
			Status: http.StatusUnauthorized, Message: "bad signature"}
	}
	var events []marketplace.WebhookEvent
	if err := json.Unmarshal(body, &events); err != nil {
		return nil, &marketplace.Error{Marketplace: c.m, Op: "parse_webhook", Class: cases.ErrPermanent, Message: err.Error()}
	}
	return events, nil
}
