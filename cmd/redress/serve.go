package main

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/spf13/cobra"

	"github.com/redress-hq/redress/api"
	"github.com/redress-hq/redress/marketplace"
	"github.com/redress-hq/redress/wiring"
)

func serveCmd() *cobra.Command {
	return appCommand("serve", "Run the HTTP API", true, (*app).serve)
}

// serve runs the API until ctx ends, then drains in-flight requests.
func (a *app) serve(ctx context.Context) error {
	markets, err := a.markets()
	if err != nil {
		return err
	}
	mcfg := a.marketCfg
	if mcfg == nil {
		cfg, err := marketplace.ConfigFromEnv() // validated by a.markets
		if err != nil {
			return err
		}
		mcfg = &cfg
	}
	server := wiring.Wire(a.deps(markets), wiring.Options{
		Settings: a.cfg.CaseDefaults(),
		API: &api.Config{
			BootstrapToken:  a.cfg.BootstrapToken,
			Namespace:       a.cfg.TemporalNamespace,
			TemporalUIURL:   a.cfg.TemporalUIURL,
			BodyLimit:       a.cfg.BodyLimit,
			TemporalTimeout: a.cfg.TemporalTimeout,
			PollInterval:    a.cfg.PollInterval,
			OAuth:           oauthApps(*mcfg, a.cfg.PublicURL, a.cfg.EbayRuName, a.cfg.AmazonAppDraft),
		},
		Metrics:  registry,
		Gatherer: registry,
	}).API
	srv := &http.Server{
		Addr:              a.cfg.HTTPAddr,
		Handler:           server.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
	}
	errc := make(chan error, 1)
	go func() {
		a.log.Info("api listening", "addr", a.cfg.HTTPAddr)
		errc <- srv.ListenAndServe()
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	a.log.Info("api draining", "timeout", a.cfg.ShutdownTimeout)
	shutdownCtx, cancel := context.WithTimeout(context.Background(), a.cfg.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
