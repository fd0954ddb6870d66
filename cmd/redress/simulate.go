package main

import (
	"errors"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/redress-hq/redress/simulator"
)

func simulateCmd() *cobra.Command {
	var addr, hook string
	cmd := &cobra.Command{
		Use:   "simulate",
		Short: "Serve the marketplace simulator (Mercado Libre, Taobao, eBay, Amazon wire formats)",
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx, stop := signalContext()
			defer stop()
			cfg, logger, err := loadConfig()
			if err != nil {
				return err
			}
			if addr == "" {
				addr = cfg.SimulatorAddr
			}
			sim := newSimulator(hook)
			srv := &http.Server{Addr: addr, Handler: sim.Handler(), ReadHeaderTimeout: 10 * time.Second}
			errc := make(chan error, 1)
			go func() { errc <- srv.ListenAndServe() }()
			logger.Info("marketplace simulator listening", "addr", addr, "webhooks_to", hook,
				"connect_with", strings.Join(simulator.ConnectorEnv("http://"+addr, nil, simulator.DemoShops()...), " "))
			select {
			case err := <-errc:
				return err
			case <-ctx.Done():
			}
			if err := srv.Close(); err != nil && !errors.Is(err, http.ErrServerClosed) {
				return err
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&addr, "addr", "", "listen address (default SIMULATOR_ADDR)")
	cmd.Flags().StringVar(&hook, "webhook-url", os.Getenv("SIMULATOR_WEBHOOK_URL"), "where to deliver webhooks (e.g. http://127.0.0.1:8080/v1/webhooks)")
	return cmd
}

// newSimulator builds a simulator seeded with demo shops and orders.
func newSimulator(webhookURL string) *simulator.Simulator {
	sim := simulator.New(simulator.Options{WebhookURL: webhookURL})
	sim.SeedDemo()
	return sim
}
