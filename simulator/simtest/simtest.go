// Package simtest starts a simulator on a real local HTTP server and
// configures connectors against it, for tests of this and other packages.
package simtest

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace"
	"github.com/redress-hq/redress/simulator"
)

// Shops seeded in every environment, with the credential each connector uses.
var Shops = map[cases.Marketplace]simulator.Shop{
	cases.MercadoLibre: {Platform: cases.MercadoLibre, ID: "1001", Token: "TG-test-meli"},
	cases.Taobao:       {Platform: cases.Taobao, ID: "tb-shop", Token: "tb-session"},
	cases.EBay:         {Platform: cases.EBay, ID: "ebay-seller", Token: "ebay-refresh"},
	cases.Amazon:       {Platform: cases.Amazon, ID: "A1SELLER", Token: "Atzr|test"},
}

// Env is a running simulator and a matching connector configuration.
type Env struct {
	Sim    *simulator.Simulator
	Server *httptest.Server
	Config marketplace.Config
	Tokens *marketplace.MemoryTokenStore
	HTTP   *http.Client
}

// Start serves a fresh simulator until the test ends.
func Start(t testing.TB, opts simulator.Options) *Env {
	t.Helper()
	sim := simulator.New(opts)
	srv := httptest.NewServer(sim.Handler())
	t.Cleanup(srv.Close)
	var shops []simulator.Shop
	for _, m := range cases.Marketplaces {
		shops = append(shops, Shops[m])
	}
	sim.Seed(shops...)
	env := &Env{Sim: sim, Server: srv, HTTP: &http.Client{Timeout: 5 * time.Second},
		Config: simulator.ConnectorConfig(srv.URL, opts.Apps, shops...)}
	env.Tokens = marketplace.NewMemoryTokenStore(env.Config.ShopTokens...)
	return env
}

// Delivered is a tracking history ending in delivery.
func Delivered(now time.Time) []simulator.TrackingEvent {
	return []simulator.TrackingEvent{
		{At: now.Add(-96 * time.Hour), Status: "shipped", Description: "Picked up", Location: "Origin"},
		{At: now.Add(-72 * time.Hour), Status: "in_transit", Description: "Sorting center", Location: "Hub"},
		{At: now.Add(-48 * time.Hour), Status: "delivered", Description: "Delivered", Location: "Destination"},
	}
}
