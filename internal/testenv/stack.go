package testenv

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"reflect"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/worker"

	"github.com/redress-hq/redress/activities"
	"github.com/redress-hq/redress/alerts"
	"github.com/redress-hq/redress/api"
	"github.com/redress-hq/redress/api/contract"
	"github.com/redress-hq/redress/internal/keyring"
	"github.com/redress-hq/redress/internal/payloadcrypt"
	"github.com/redress-hq/redress/marketplace"
	"github.com/redress-hq/redress/marketplace/connectors"
	"github.com/redress-hq/redress/simulator"
	"github.com/redress-hq/redress/store"
	"github.com/redress-hq/redress/wiring"
	"github.com/redress-hq/redress/workflows"
)

// AdminToken is the bootstrap token every Stack accepts.
const AdminToken = "e2e-admin-token"

// Options tune a Stack.
type Options struct {
	// Settings every case starts with; short delays keep follow-ups quick.
	Settings workflows.CaseSettings
	// Webhooks makes the simulator deliver review and message webhooks to
	// the API (so a review added to the simulator opens its case by itself).
	Webhooks bool
	// AlertSMTP is the mail relay of e-mail alert channels (none: e-mail channels fail).
	AlertSMTP alerts.SMTPConfig
	// ValidateResponses makes Do check every answer against the API's
	// openapi.json and fail the call on one that breaks it.
	ValidateResponses bool
	// PollInterval schedules the review poll of every shop registered or
	// enabled through the API at this interval (0: no schedules).
	PollInterval time.Duration
}

// DefaultSettings keep end-to-end cases fast: follow-up and review check in seconds.
func DefaultSettings() workflows.CaseSettings {
	return workflows.CaseSettings{
		AutoContact:      true,
		ApprovalLimit:    5000, // 50.00
		FollowUpDelay:    2 * time.Second,
		ReviewCheckDelay: 2 * time.Second,
		TimeZone:         "UTC",
	}
}

// Stack is Redress running for real on this machine.
type Stack struct {
	URL      string // the API's base URL
	Temporal client.Client
	// PayloadKeys encrypt every payload Temporal holds (fresh per Stack);
	// RawTemporal is a client without them, to read histories as stored.
	PayloadKeys *keyring.Ring
	RawTemporal client.Client
	Store       *store.Store
	Simulator   *simulator.Simulator
	Logger      *slog.Logger
	// Markets are the connectors, pointed at the simulator.
	Markets marketplace.Registry

	orderCare worker.Worker // see ordercare.go
	alertSMTP alerts.SMTPConfig
	contract  *contract.Doc // set with Options.ValidateResponses

	closers []func()
}

// Start brings up PostgreSQL (fresh database), the simulator, a worker and the
// API against the Temporal dev server at hostPort.
func Start(ctx context.Context, hostPort string, opts Options) (*Stack, error) {
	if reflect.ValueOf(opts.Settings).IsZero() {
		opts.Settings = DefaultSettings()
	}
	s := &Stack{Logger: slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})), alertSMTP: opts.AlertSMTP}
	ok := false
	defer func() {
		if !ok {
			s.Close()
		}
	}()

	dsn, drop, err := createDatabase(ctx)
	if err != nil {
		return nil, err
	}
	s.closers = append(s.closers, drop)
	if s.Store, err = store.Open(ctx, dsn); err != nil {
		return nil, err
	}
	s.closers = append(s.closers, func() { s.Store.Close() })
	s.Store.UseDataKeys(keyring.Generate("test-data"))

	s.PayloadKeys = keyring.Generate("test")
	raw := client.Options{HostPort: hostPort, Namespace: "default"}
	if s.Temporal, err = client.DialContext(ctx, payloadcrypt.ClientOptions(raw, s.PayloadKeys)); err != nil {
		return nil, fmt.Errorf("temporal: %w", err)
	}
	s.closers = append(s.closers, s.Temporal.Close)
	if s.RawTemporal, err = client.NewClientFromExisting(s.Temporal, raw); err != nil {
		return nil, fmt.Errorf("temporal: %w", err)
	}

	// The API server starts first so the simulator knows where to deliver webhooks.
	apiSrv := httptest.NewUnstartedServer(nil)
	s.URL = "http://" + apiSrv.Listener.Addr().String()
	simOpts := simulator.Options{Logger: s.Logger}
	if opts.Webhooks {
		simOpts.WebhookURL = s.URL + "/v1/webhooks"
	}
	s.Simulator = simulator.New(simOpts)
	s.Simulator.Seed(simulator.DemoShops()...)
	sim := httptest.NewServer(s.Simulator.Handler())
	s.closers = append(s.closers, sim.Close)
	markets, err := connectors.NewRegistry(simulator.ConnectorConfig(sim.URL, nil, simulator.DemoShops()...),
		&http.Client{Timeout: 10 * time.Second}, nil)
	if err != nil {
		return nil, err
	}

	s.Markets = markets
	wired := wiring.Wire(s.deps(), wiring.Options{
		Settings:           opts.Settings,
		CaseWorker:         true,
		RefundPollInterval: 200 * time.Millisecond, // the simulator settles refunds at once
		OrderCareWorker:    true,
		API: &api.Config{BootstrapToken: AdminToken, Namespace: "default",
			TemporalUIURL: "http://localhost:8233", TemporalTimeout: 10 * time.Second, PollInterval: opts.PollInterval},
	})
	if err := wired.CaseWorker.Start(); err != nil {
		return nil, err
	}
	s.closers = append(s.closers, wired.CaseWorker.Stop)
	if err := s.startOrderCare(wired.OrderCareWorker); err != nil {
		return nil, err
	}
	s.closers = append(s.closers, s.stopOrderCare)

	apiSrv.Config.Handler = wired.API.Handler()
	apiSrv.Start()
	s.closers = append(s.closers, apiSrv.Close)
	if opts.ValidateResponses {
		if err := s.loadContract(ctx); err != nil {
			return nil, err
		}
	}
	ok = true
	return s, nil
}

// deps are what the Stack's workers and API run on: its store, Temporal
// client, logger and connectors; alerts go to the alert channels saved
// through the API (and are logged).
func (s *Stack) deps() wiring.Deps {
	return wiring.Deps{
		Store: s.Store, Temporal: s.Temporal, Payloads: payloadcrypt.DataConverter(s.PayloadKeys),
		Markets: s.Markets, Logger: s.Logger,
		Notifier: &alerts.Router{Store: s.Store, SMTP: s.alertSMTP, HTTP: &http.Client{Timeout: 5 * time.Second}, Logger: s.Logger,
			Fallback: activities.WebhookNotifier{Client: &http.Client{Timeout: 5 * time.Second}, Logger: s.Logger}},
	}
}

// Close stops everything in reverse order of start.
func (s *Stack) Close() {
	for i := len(s.closers) - 1; i >= 0; i-- {
		s.closers[i]()
	}
	s.closers = nil
}
