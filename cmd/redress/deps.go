package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"

	"github.com/redress-hq/redress/config"
	"github.com/redress-hq/redress/marketplace"
	"github.com/redress-hq/redress/marketplace/connectors"
	"github.com/redress-hq/redress/migrations"
	"github.com/redress-hq/redress/store"
	"github.com/redress-hq/redress/wiring"
)

// app holds what every subcommand needs, built once from the environment.
type app struct {
	cfg    config.Config
	log    *slog.Logger
	store  *store.Store
	client client.Client
	// payloads is the client's data converter: payloads encrypted (docs/privacy.md).
	payloads converter.DataConverter
	// marketCfg overrides the environment's marketplace configuration
	// (dev mode points every connector at the in-process simulator).
	marketCfg *marketplace.Config
}

// appCommand builds a subcommand that runs fn with the app built from the
// environment, until SIGINT or SIGTERM.
func appCommand(use, short string, withTemporal bool, fn func(a *app, ctx context.Context) error) *cobra.Command {
	return &cobra.Command{
		Use:   use,
		Short: short,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx, stop := signalContext()
			defer stop()
			a, err := newApp(ctx, withTemporal)
			if err != nil {
				return err
			}
			defer a.Close()
			return fn(a, ctx)
		},
	}
}

// signalContext is cancelled on SIGINT or SIGTERM, starting a graceful stop.
func signalContext() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
}

func loadConfig() (config.Config, *slog.Logger, error) {
	cfg, err := config.Load()
	if err != nil {
		return cfg, nil, err
	}
	logger := cfg.Logger(os.Stderr)
	slog.SetDefault(logger)
	return cfg, logger, nil
}

// newApp connects to PostgreSQL and, when withTemporal, to Temporal.
func newApp(ctx context.Context, withTemporal bool) (*app, error) {
	cfg, logger, err := loadConfig()
	if err != nil {
		return nil, err
	}
	a := &app{cfg: cfg, log: logger}
	if a.store, err = store.Open(ctx, cfg.DatabaseURL); err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	dataKeys, _ := cfg.DataRing() // validated in config.Load
	a.store.UseDataKeys(dataKeys)
	if withTemporal {
		opts := a.temporalOptions()
		a.payloads = opts.DataConverter
		if opts, err = withClusterAuth(opts, cfg.Cluster); err != nil {
			a.store.Close()
			return nil, err
		}
		a.client, err = client.DialContext(ctx, opts)
		if err != nil {
			a.store.Close()
			return nil, fmt.Errorf("temporal at %s: %w", cfg.TemporalAddress, err)
		}
	}
	return a, nil
}

func (a *app) Close() {
	if a.client != nil {
		a.client.Close()
	}
	if a.store != nil {
		a.store.Close()
	}
}

func (a *app) migrate(ctx context.Context) error {
	if err := migrations.Up(ctx, a.store.DB().DB); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	a.log.Info("migrations applied")
	return nil
}

// markets builds the marketplace connectors from the environment. Shop
// tokens live in MARKETPLACE_TOKEN_FILE when set, else in PostgreSQL (so
// rotated refresh tokens survive restarts and one shop's refresh is held
// against every other process).
func (a *app) markets() (*connectors.Registry, error) {
	mcfg := a.marketCfg
	if mcfg == nil {
		cfg, err := marketplace.ConfigFromEnv()
		if err != nil {
			return nil, err
		}
		mcfg = &cfg
	}
	var tokens marketplace.TokenStore = wiring.DBTokens{Store: a.store}
	// Platform quotas are shared by every worker on this database.
	opts := []connectors.Option{connectors.WithSharedQuota(a.store)}
	switch {
	case a.marketCfg != nil:
		// The in-process simulator starts afresh with its demo tokens each run.
		tokens, opts = marketplace.NewMemoryTokenStore(), nil
	case mcfg.TokenFile != "":
		tokens = mcfg.TokenStore()
	}
	return connectors.NewRegistry(*mcfg, &http.Client{Timeout: 30 * time.Second}, tokens, opts...)
}
