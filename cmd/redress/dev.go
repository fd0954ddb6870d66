package main

import (
	"context"
	"errors"
	"net"
	"net/http"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/sync/errgroup"

	"github.com/redress-hq/redress/config"
	"github.com/redress-hq/redress/intake"
)

func devCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "dev",
		Short: "Migrate, then run API and worker in one process (with the simulator when no marketplace is configured)",
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx, stop := signalContext()
			defer stop()
			a, err := newApp(ctx, true)
			if err != nil {
				return err
			}
			defer a.Close()
			if err := a.migrate(ctx); err != nil {
				return err
			}
			g, ctx := errgroup.WithContext(ctx)
			if !marketplaceConfigured() {
				lis, err := net.Listen("tcp", a.cfg.SimulatorAddr)
				if err != nil {
					return err
				}
				// Every connector talks to the local simulator through its real wire format.
				os.Setenv("MARKETPLACE_BASE_URL", "http://"+lis.Addr().String())
				sim := newSimulator(webhookURL(a.cfg.HTTPAddr))
				a.log.Info("no marketplace credentials: serving the marketplace simulator", "addr", lis.Addr().String())
				srv := &http.Server{Handler: sim.Handler()}
				g.Go(func() error {
					if err := srv.Serve(lis); !errors.Is(err, http.ErrServerClosed) {
						return err
					}
					return nil
				})
				g.Go(func() error { <-ctx.Done(); return srv.Shutdown(context.Background()) })
			}
			g.Go(func() error { return a.runWorker(ctx) })
			g.Go(func() error { return a.serve(ctx) })
			return g.Wait()
		},
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
