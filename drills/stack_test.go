package drills

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"
	tlog "go.temporal.io/sdk/log"

	"github.com/redress-hq/redress/activities"
	"github.com/redress-hq/redress/api"
	"github.com/redress-hq/redress/internal/keyring"
	"github.com/redress-hq/redress/internal/payloadcrypt"
	"github.com/redress-hq/redress/internal/testenv"
	"github.com/redress-hq/redress/marketplace/connectors"
	"github.com/redress-hq/redress/simulator"
	"github.com/redress-hq/redress/store"
	"github.com/redress-hq/redress/store/storetest"
	"github.com/redress-hq/redress/wiring"
)

// stackOptions choose the parts a drill replaces.
type stackOptions struct {
	// dsn is a migrated database; empty: a fresh one on the shared server.
	dsn string
	// processWorker: the drill runs the worker as a process (R1) instead of
	// in this one.
	processWorker bool
	// simulatorSeed makes the injected faults repeat from run to run.
	simulatorSeed uint64
	// webhookURL receives the simulator's notifications (R4 captures them
	// to deliver them again and again).
	webhookURL string
}

// drill is Redress running for one drill: its own Temporal dev server (so
// no drill sees another's workflows), database, simulator, API and worker.
type drill struct {
	*testenv.Stack // URL, Temporal, Store, Simulator; Do and Token

	t            *testing.T
	ctx          context.Context
	dsn          string
	shops        []simulator.Shop
	simURL       string
	temporalAddr string
	payloads     converter.DataConverter // the client's: encrypted payloads
	// payloadKeys and dataKeys (REDRESS_PAYLOAD_KEYS, REDRESS_DATA_KEYS) are
	// shared by the drill's own client and store and its worker processes.
	payloadKeys, dataKeys string

	agentToken, managerToken, robotToken string
}

func startDrill(t *testing.T, opts stackOptions) *drill {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	d := &drill{t: t, ctx: ctx, dsn: opts.dsn, Stack: &testenv.Stack{
		Logger: slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError})),
	}}

	srv, err := testenv.StartTemporal(ctx)
	if err != nil {
		t.Fatalf("temporal dev server: %v", err)
	}
	t.Cleanup(func() { _ = srv.Stop() })
	d.temporalAddr = srv.FrontendHostPort()
	d.payloadKeys, d.dataKeys = keyring.Spec("drill", keyring.NewKey()), keyring.Spec("drill-data", keyring.NewKey())
	payloadRing, _ := keyring.Parse(d.payloadKeys)
	dataRing, _ := keyring.Parse(d.dataKeys)
	topts := payloadcrypt.ClientOptions(client.Options{HostPort: d.temporalAddr, Namespace: "default",
		Logger: tlog.NewStructuredLogger(d.Logger)}, payloadRing)
	d.payloads = topts.DataConverter
	if d.Temporal, err = client.DialContext(ctx, topts); err != nil {
		t.Fatalf("temporal client: %v", err)
	}
	t.Cleanup(d.Temporal.Close)

	if d.dsn == "" {
		d.dsn = storetest.NewDSN(t)
	}
	if d.Store, err = store.Open(ctx, d.dsn); err != nil {
		t.Fatalf("store: %v", err)
	}
	t.Cleanup(func() { _ = d.Store.Close() })
	d.Store.UseDataKeys(dataRing)

	d.Simulator = simulator.New(simulator.Options{Seed: opts.simulatorSeed, WebhookURL: opts.webhookURL, Logger: d.Logger})
	d.shops = drillShops(drillScale.shops)
	d.Simulator.Seed(d.shops...)
	sim := httptest.NewServer(d.Simulator.Handler())
	t.Cleanup(sim.Close)
	d.simURL = sim.URL
	markets, err := connectors.NewRegistry(simulator.ConnectorConfig(sim.URL, nil, d.shops...),
		&http.Client{Timeout: 10 * time.Second}, nil)
	if err != nil {
		t.Fatalf("connectors: %v", err)
	}

	wired := wiring.Wire(wiring.Deps{
		Store: d.Store, Temporal: d.Temporal, Payloads: d.payloads, Markets: markets, Logger: d.Logger,
		Notifier: activities.WebhookNotifier{Client: &http.Client{Timeout: 5 * time.Second}, Logger: d.Logger},
	}, wiring.Options{
		Settings:           testenv.DefaultSettings(),
		CaseWorker:         !opts.processWorker,
		RefundPollInterval: 200 * time.Millisecond, // the simulator settles refunds at once
		API: &api.Config{BootstrapToken: testenv.AdminToken, Namespace: "default",
			TemporalUIURL: "http://localhost:8233", TemporalTimeout: 10 * time.Second},
	})
	if !opts.processWorker {
		if err := wired.CaseWorker.Start(); err != nil {
			t.Fatalf("worker: %v", err)
		}
		t.Cleanup(wired.CaseWorker.Stop)
	}

	apiSrv := httptest.NewServer(wired.API.Handler())
	t.Cleanup(apiSrv.Close)
	d.URL = apiSrv.URL

	for _, tok := range []struct {
		dst  *string
		role string
	}{{&d.agentToken, "agent"}, {&d.managerToken, "manager"}, {&d.robotToken, "automation"}} {
		if *tok.dst, err = d.Token(ctx, "drill-"+tok.role, tok.role); err != nil {
			t.Fatalf("token: %v", err)
		}
	}
	return d
}
