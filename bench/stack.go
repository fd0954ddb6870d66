package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/jmoiron/sqlx"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"
	"golang.org/x/sync/errgroup"

	"github.com/redress-hq/redress/activities"
	"github.com/redress-hq/redress/api"
	"github.com/redress-hq/redress/internal/keyring"
	"github.com/redress-hq/redress/internal/payloadcrypt"
	"github.com/redress-hq/redress/marketplace"
	"github.com/redress-hq/redress/marketplace/connectors"
	"github.com/redress-hq/redress/migrations"
	"github.com/redress-hq/redress/simulator"
	"github.com/redress-hq/redress/store"
	"github.com/redress-hq/redress/wiring"
	"github.com/redress-hq/redress/workflows"
)

// adminToken is the bootstrap token the bench's API accepts.
const adminToken = "bench-admin-token"

// stack is Redress running in this process as `redress dev` runs it: a
// fresh PostgreSQL database, the marketplace simulator behind the real
// connectors, the production worker options, and the API over real HTTP.
// It is wired here rather than with testenv.Start because the benchmark
// needs the seller alerts posted to its own receiver (P5) and no review
// webhooks from the simulator: reviews arrive through POST /v1/reviews.
type stack struct {
	URL      string
	Temporal client.Client
	// Payloads decodes what histories hold (the client's codec encrypts it).
	Payloads  converter.DataConverter
	Store     *store.Store
	Simulator *simulator.Simulator
	// Shops are the bench's eBay sellers; reviews go round-robin over them.
	Shops []simulator.Shop

	closers []func()
}

type stackOptions struct {
	HostPort string
	AdminDSN string
	Admin    *sqlx.DB
	Settings workflows.CaseSettings
	// AlertURL receives every seller alert as JSON (ALERT_WEBHOOK_URL).
	AlertURL string
	Logger   *slog.Logger // for the stack's own logs: warnings only
	Progress *slog.Logger // for the bench's progress lines
}

func startStack(ctx context.Context, o stackOptions) (_ *stack, err error) {
	s := &stack{Shops: benchShops()}
	defer func() {
		if err != nil {
			s.Close()
		}
	}()
	dsn, err := freshDatabase(ctx, o.Admin, o.AdminDSN)
	if err != nil {
		return nil, err
	}
	s.closers = append(s.closers, func() {
		_, _ = o.Admin.ExecContext(context.Background(), `DROP DATABASE IF EXISTS `+dbName(dsn)+` WITH (FORCE)`)
	})
	if s.Store, err = store.Open(ctx, dsn); err != nil {
		return nil, err
	}
	s.closers = append(s.closers, func() { s.Store.Close() })
	s.Store.UseDataKeys(keyring.Generate("bench-data")) // buyers' data sealed as in production
	topts := payloadcrypt.ClientOptions(client.Options{HostPort: o.HostPort, Namespace: "default", Logger: sdkLogger(o.Logger)},
		keyring.Generate("bench"))
	s.Payloads = topts.DataConverter
	if s.Temporal, err = client.DialContext(ctx, topts); err != nil {
		return nil, fmt.Errorf("dial temporal: %w", err)
	}
	s.closers = append(s.closers, s.Temporal.Close)

	s.Simulator = simulator.New(simulator.Options{Logger: o.Logger})
	s.Simulator.Seed(s.Shops...)
	sim := httptest.NewServer(s.Simulator.Handler())
	s.closers = append(s.closers, sim.Close)
	httpClient := &http.Client{Timeout: 30 * time.Second}
	markets, err := connectors.NewRegistry(simulator.ConnectorConfig(sim.URL, nil, s.Shops...), httpClient, nil)
	if err != nil {
		return nil, fmt.Errorf("connectors: %w", err)
	}

	if err := warmTokens(ctx, markets, s.Shops, o.Progress); err != nil {
		return nil, err
	}

	wired := wiring.Wire(wiring.Deps{
		Store: s.Store, Temporal: s.Temporal, Payloads: topts.DataConverter, Markets: markets, Logger: o.Logger,
		Notifier: activities.WebhookNotifier{URL: o.AlertURL, Client: &http.Client{Timeout: 5 * time.Second}, Logger: o.Logger},
	}, wiring.Options{
		Settings:   o.Settings,
		CaseWorker: true,
		API:        &api.Config{BootstrapToken: adminToken, Namespace: "default", TemporalTimeout: 30 * time.Second},
	})
	if err := wired.CaseWorker.Start(); err != nil {
		return nil, fmt.Errorf("start worker: %w", err)
	}
	s.closers = append(s.closers, wired.CaseWorker.Stop)

	srv := httptest.NewServer(wired.API.Handler())
	s.URL = srv.URL
	s.closers = append(s.closers, srv.Close)
	return s, nil
}

// Close stops everything in reverse order of start and drops the database.
func (s *stack) Close() {
	for i := len(s.closers) - 1; i >= 0; i-- {
		s.closers[i]()
	}
	s.closers = nil
}

// shopCount sellers share the load. The connectors keep eBay's client-side
// limit per shop (5 calls/s, messaging 75/min): with a single shop Redress
// deliberately works about one new case a second, and the benchmark would
// measure that limit instead of Redress.
const shopCount = 100

func benchShops() []simulator.Shop {
	shops := make([]simulator.Shop, shopCount)
	for i := range shops {
		shops[i] = simulator.Shop{Platform: happyMarketplace, ID: fmt.Sprintf("bench-seller-%d", i), Token: fmt.Sprintf("bench-ebay-refresh-%d", i)}
	}
	return shops
}

// warmTokens makes one read per shop so every shop's OAuth token is fetched
// before anything is measured (the connectors refresh tokens a few a second).
func warmTokens(ctx context.Context, markets marketplace.Registry, shops []simulator.Shop, log *slog.Logger) error {
	start := time.Now()
	var g errgroup.Group
	g.SetLimit(8)
	for _, sh := range shops {
		g.Go(func() error {
			conn, err := markets.Get(sh.Platform)
			if err != nil {
				return fmt.Errorf("connector %s: %w", sh.Platform, err)
			}
			if _, _, err := conn.ListNegativeReviews(ctx, sh.ID, ""); err != nil {
				return fmt.Errorf("warm up %s/%s: %w", sh.Platform, sh.ID, err)
			}
			return nil
		})
	}
	err := g.Wait()
	log.Info("shop tokens fetched", "shops", len(shops), "took", time.Since(start).Round(time.Millisecond))
	return err
}

// freshDatabase creates and migrates a uniquely named database.
func freshDatabase(ctx context.Context, admin *sqlx.DB, adminDSN string) (string, error) {
	b := make([]byte, 5)
	_, _ = rand.Read(b)
	name := "redress_bench_run_" + hex.EncodeToString(b)
	if _, err := admin.ExecContext(ctx, `CREATE DATABASE `+name); err != nil {
		return "", fmt.Errorf("create %s: %w", name, err)
	}
	dsn, err := databaseDSN(adminDSN, name)
	if err != nil {
		return "", err
	}
	db, err := sqlx.ConnectContext(ctx, "postgres", dsn)
	if err != nil {
		return "", fmt.Errorf("connect %s: %w", name, err)
	}
	defer db.Close()
	if err := migrations.Up(ctx, db.DB); err != nil {
		return "", err
	}
	return dsn, nil
}
