package main

import (
	"context"
	"errors"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/sync/errgroup"

	"github.com/redress-hq/redress/config"
	"github.com/redress-hq/redress/intake"
	"github.com/redress-hq/redress/simulator"
)

func devCmd() *cobra.Command {
	return appCommand("dev", "Migrate, then run API and worker in one process (with the simulator when no marketplace is configured)",
		true, (*app).dev)
}

func (a *app) dev(ctx context.Context) error {
	if err := a.migrate(ctx); err != nil {
		return err
	}
	g, ctx := errgroup.WithContext(ctx)
	if !marketplaceConfigured() {
		if err := a.serveSimulator(ctx, g); err != nil {
			return err
		}
	}
	g.Go(func() error { return a.runWorker(ctx) })
	g.Go(func() error { return a.serve(ctx) })
	return g.Wait()
}

// serveSimulator serves the marketplace simulator in this process and points
// every connector at it; once the API answers, it seeds demo shops and bad
// reviews, whose webhooks then open the first cases.
func (a *app) serveSimulator(ctx context.Context, g *errgroup.Group) error {
	lis, err := net.Listen("tcp", a.cfg.SimulatorAddr)
	if err != nil {
		return err
	}
	base := "http://" + lis.Addr().String()
	mcfg := simulator.ConnectorConfig(base, nil, simulator.DemoShops()...)
	a.marketCfg = &mcfg
	hook := webhookURL(a.cfg.HTTPAddr)
	sim := simulator.New(simulator.Options{WebhookURL: hook, Logger: a.log})
	sim.Seed(simulator.DemoShops()...)
	srv := &http.Server{Handler: sim.Handler(), ReadHeaderTimeout: 10 * time.Second}
	a.log.Info("no marketplace configured: serving the marketplace simulator", "addr", base, "webhooks_to", hook)
	g.Go(func() error {
		if err := srv.Serve(lis); !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return nil
	})
	g.Go(func() error { <-ctx.Done(); return srv.Shutdown(context.Background()) })
	g.Go(func() error {
		if waitHealthy(ctx, strings.TrimSuffix(hook, "/v1/webhooks")+"/healthz") {
			sim.SeedDemo()
			a.log.Info("simulator seeded demo reviews: watch cases open at GET /v1/cases")
		}
		return nil
	})
	return nil
}

func waitHealthy(ctx context.Context, url string) bool {
	c := http.Client{Timeout: time.Second}
	for {
		if resp, err := c.Get(url); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return true
			}
		}
		select {
		case <-ctx.Done():
			return false
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// marketplaceConfigured reports whether real marketplace endpoints or
// credentials are set; without them `dev` serves the simulator.
func marketplaceConfigured() bool {
	for _, k := range []string{"MARKETPLACE_BASE_URL", "MELI_BASE_URL", "TAOBAO_BASE_URL", "EBAY_BASE_URL",
		"AMAZON_BASE_URL", "MELI_CLIENT_ID", "TAOBAO_APP_KEY", "EBAY_CLIENT_ID", "AMAZON_LWA_CLIENT_ID"} {
		if os.Getenv(k) != "" {
			return true
		}
	}
	return false
}

// webhookURL is where the simulator delivers webhooks: this process's API.
func webhookURL(httpAddr string) string {
	host := httpAddr
	if strings.HasPrefix(host, ":") {
		host = "127.0.0.1" + host
	}
	return "http://" + host + "/v1/webhooks"
}

func toIntakeShops(shops []config.Shop) []intake.Shop {
	out := make([]intake.Shop, len(shops))
	for i, s := range shops {
		out[i] = intake.Shop{Marketplace: s.Marketplace, ShopID: s.ShopID}
	}
	return out
}
