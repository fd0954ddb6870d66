// Package connectors builds the four marketplace connectors from one
// configuration. It lives apart from package marketplace because the
// connectors import marketplace.
package connectors

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace"
	"github.com/redress-hq/redress/marketplace/amazon"
	"github.com/redress-hq/redress/marketplace/ebay"
	"github.com/redress-hq/redress/marketplace/mercadolibre"
	"github.com/redress-hq/redress/marketplace/taobao"
)

// Registry holds one connector per marketplace.
type Registry struct {
	connectors map[cases.Marketplace]marketplace.Connector
}

var _ marketplace.Registry = (*Registry)(nil)

// NewRegistry builds every connector. httpClient nil gets a client with a
// 30 s timeout; tokens nil gets a MemoryTokenStore. cfg.ShopTokens are
// loaded into the store unless it already holds a token for that shop (a
// persistent store keeps rotated refresh tokens across restarts).
func NewRegistry(cfg marketplace.Config, httpClient *http.Client, tokens marketplace.TokenStore, opts ...Option) (*Registry, error) {
	o := options{rates: map[cases.Marketplace]*marketplace.RateLimits{}}
	for _, opt := range opts {
		opt(&o)
	}
	if o.shared != nil { // every platform's limits, defaults included, hold across processes
		for m, defaults := range defaultRates {
			if o.rates[m] == nil {
				o.rates[m] = marketplace.NewRateLimits(defaults)
			}
			o.rates[m].Share(string(m), o.shared)
		}
	}
	if httpClient == nil {
		httpClient = &http.Client{Timeout: 30 * time.Second}
	}
	if tokens == nil {
		tokens = marketplace.NewMemoryTokenStore()
	}
	ctx := context.Background()
	for _, t := range cfg.ShopTokens {
		if _, err := tokens.Get(ctx, t.Marketplace, t.ShopID); err == nil {
			continue
		}
		if err := tokens.Put(ctx, t); err != nil {
			return nil, fmt.Errorf("load token for %s/%s: %w", t.Marketplace, t.ShopID, err)
		}
	}
	for _, m := range cases.Marketplaces {
		if cfg.Platform(m).BaseURL == "" {
			return nil, fmt.Errorf("marketplace %s: no base URL configured", m)
		}
	}
	return &Registry{connectors: map[cases.Marketplace]marketplace.Connector{
		cases.MercadoLibre: mercadolibre.New(cfg.MercadoLibre, httpClient, tokens, o.rates[cases.MercadoLibre]),
		cases.Taobao:       taobao.New(cfg.Taobao, httpClient, tokens, o.rates[cases.Taobao]),
		cases.EBay:         ebay.New(cfg.EBay, httpClient, tokens, o.rates[cases.EBay]),
		cases.Amazon:       amazon.New(cfg.Amazon, httpClient, tokens, o.rates[cases.Amazon]),
	}}, nil
}

// Get returns the marketplace's connector.
func (r *Registry) Get(m cases.Marketplace) (marketplace.Connector, error) {
	c, ok := r.connectors[m]
	if !ok {
		return nil, fmt.Errorf("no connector for marketplace %q", m)
	}
	return c, nil
}

type options struct {
	rates  map[cases.Marketplace]*marketplace.RateLimits
	shared marketplace.SharedQuota
}

var defaultRates = map[cases.Marketplace]map[string]marketplace.Rate{
	cases.MercadoLibre: mercadolibre.DefaultRates,
	cases.Taobao:       taobao.DefaultRates,
	cases.EBay:         ebay.DefaultRates,
	cases.Amazon:       amazon.DefaultRates,
}

// Option adjusts NewRegistry.
type Option func(*options)

// WithRates replaces a platform's default client-side rate limits (e.g. a
// higher quota granted by the platform, or tests against the simulator).
func WithRates(m cases.Marketplace, rates map[string]marketplace.Rate) Option {
	return func(o *options) { o.rates[m] = marketplace.NewRateLimits(rates) }
}

// WithSharedQuota makes every platform's per-shop limits hold across all
// processes sharing q (store.Store on one database), so N workers together
// spend one shop's platform quota, not N times it.
func WithSharedQuota(q marketplace.SharedQuota) Option {
	return func(o *options) { o.shared = q }
}
