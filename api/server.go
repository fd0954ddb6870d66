// Package api is Redress's HTTP API: the agents' task inbox, the managers'
// audit views, the automations' retry endpoints and the marketplace webhooks.
// Handlers read the case index (store) and act on cases only through their
// Temporal workflows, so every change is validated and recorded by the case.
package api

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/gommon/bytes"
	"github.com/prometheus/client_golang/prometheus"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace"
	"github.com/redress-hq/redress/store"
	"github.com/redress-hq/redress/workflows"
)

// Ingestor takes webhook events that only name a resource (the review must be
// fetched from the platform first). It must not call the marketplace inline:
// webhooks are answered within the platform's deadline.
type Ingestor interface {
	IngestNotification(ctx context.Context, m cases.Marketplace, ev marketplace.WebhookEvent) error
}

// Config tunes the API.
type Config struct {
	// BootstrapToken, when set, is accepted as an admin token (to create the first real tokens).
	BootstrapToken string
	// Namespace and TemporalUIURL build links to a case's workflow in the Temporal UI.
	Namespace     string
	TemporalUIURL string
	// CaseDefaults are the settings every new case starts with.
	CaseDefaults workflows.CaseSettings
	// BodyLimit caps request bodies, e.g. "1M".
	BodyLimit string
	// TemporalTimeout bounds every call into Temporal, so an Update never hangs a request.
	TemporalTimeout time.Duration
	// OAuth are the platforms' applications that connect shops by the
	// authorization-code grant; a platform missing here is connected with
	// PUT /v1/shops/{marketplace}/{shop}/credentials.
	OAuth map[cases.Marketplace]OAuthApp
	// PollInterval is a shop's review poll interval: a shop registered or
	// re-enabled through the API is scheduled at once (the worker's
	// reconciler, reading the shop table, is the backstop).
	PollInterval time.Duration
}

// defaultBodyLimit is used when Config.BodyLimit is empty or unreadable.
const defaultBodyLimit = "1M"

func (c Config) withDefaults(logger *slog.Logger) Config {
	if _, err := bytes.Parse(c.BodyLimit); c.BodyLimit == "" || err != nil {
		if c.BodyLimit != "" {
			logger.Warn("unreadable body limit, using the default", "body_limit", c.BodyLimit, "default", defaultBodyLimit)
		}
		c.BodyLimit = defaultBodyLimit
	}
	if c.TemporalTimeout <= 0 {
		c.TemporalTimeout = 10 * time.Second
	}
	if c.Namespace == "" {
		c.Namespace = "default"
	}
	return c
}

// Deps are what the API talks to.
type Deps struct {
	Store    Store
	Temporal client.Client
	// Payloads is the Temporal client's data converter (encrypted payloads).
	Payloads converter.DataConverter
	Markets  marketplace.Registry
	Ingestor Ingestor
	Logger   *slog.Logger
	// Metrics receives the API's collectors; Gatherer serves /metrics. When
	// Metrics is nil a private registry is used for both.
	Metrics  prometheus.Registerer
	Gatherer prometheus.Gatherer
	Config   Config
}

// Server is the HTTP API.
type Server struct {
	echo     *echo.Echo
	store    Store
	temporal client.Client
	payloads converter.DataConverter
	markets  marketplace.Registry
	ingestor Ingestor
	log      *slog.Logger
	gatherer prometheus.Gatherer
	metrics  *metrics
	cfg      Config
	// access is the role × endpoint matrix, filled by routes().
	access map[routeKey][]cases.Role
}

// New builds the server and registers every route.
func New(deps Deps) *Server {
	logger := deps.Logger
	if logger == nil {
		logger = slog.Default()
	}
	cfg := deps.Config.withDefaults(logger)
	reg, gatherer := deps.Metrics, deps.Gatherer
	if reg == nil {
		r := prometheus.NewRegistry()
		reg, gatherer = r, r
	}
	if gatherer == nil {
		if g, ok := reg.(prometheus.Gatherer); ok {
			gatherer = g
		} else {
			gatherer = prometheus.DefaultGatherer
		}
	}
	// The API never acts for the system by accident: a request's store
	// calls see only the scope its authentication put in the context.
	if sc, ok := deps.Store.(interface{ RequireScope() *store.Store }); ok {
		deps.Store = sc.RequireScope()
	}
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	s := &Server{
		echo:     e,
		store:    deps.Store,
		temporal: deps.Temporal,
		payloads: deps.Payloads,
		markets:  deps.Markets,
		ingestor: deps.Ingestor,
		log:      logger,
		gatherer: gatherer,
		metrics:  newMetrics(reg),
		cfg:      cfg,
		access:   map[routeKey][]cases.Role{},
	}
	e.HTTPErrorHandler = s.handleError
	s.routes()
	return s
}

// Handler returns the HTTP handler serving every route.
func (s *Server) Handler() http.Handler { return s.echo }

// temporalContext bounds a call into Temporal.
func (s *Server) temporalContext(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, s.cfg.TemporalTimeout)
}
