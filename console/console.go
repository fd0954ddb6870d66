// Package console is Redress's browser console for agents, managers and the
// people who fix failed marketplace calls, served under /ui by the same
// binary as the JSON API.
//
// Pages are server-rendered HTML forms. Every read and every action goes
// through the JSON API in-process, with the signed-in person's own token:
// the same role table, validation, workflow Updates, error mapping and audit
// actor as a curl call, so the console has no rules of its own to drift.
package console

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/redress-hq/redress/cases"
)

// Prefix is where the console is mounted.
const Prefix = "/ui"

// ErrInvalidToken is what Deps.Authenticate returns for a token the API
// would not accept (unknown, revoked).
var ErrInvalidToken = errors.New("the token is not valid")

// Principal is the person signed in.
type Principal struct {
	Name string
	Role cases.Role
}

// Deps are the API's own pieces the console reuses.
type Deps struct {
	// API serves the JSON API; the console calls it in-process.
	API http.Handler
	// Authenticate resolves an API token exactly as the API does.
	Authenticate func(ctx context.Context, token string) (Principal, error)
	// Allowed reports whether a role may call an API route (Echo path
	// pattern, e.g. "/v1/tasks/:id/claim"): the API's access matrix.
	Allowed func(role cases.Role, method, path string) bool
	Logger  *slog.Logger
	// IdleTimeout ends a session nobody used for this long (default 30 min).
	IdleTimeout time.Duration
}

// Console serves the pages.
type Console struct {
	api      apiClient
	auth     func(ctx context.Context, token string) (Principal, error)
	allowed  func(role cases.Role, method, path string) bool
	log      *slog.Logger
	sessions *sessions
	pages    *pages
}

// New builds the console; templates are parsed once here.
func New(d Deps) *Console {
	logger := d.Logger
	if logger == nil {
		logger = slog.Default()
	}
	idle := d.IdleTimeout
	if idle <= 0 {
		idle = 30 * time.Minute
	}
	return &Console{
		api:      apiClient{h: d.API},
		auth:     d.Authenticate,
		allowed:  d.Allowed,
		log:      logger,
		sessions: newSessions(idle, 12*time.Hour),
		pages:    mustParsePages(),
	}
}

// Mount registers every console route on e under Prefix.
func (con *Console) Mount(e *echo.Echo) {
	g := e.Group(Prefix, con.htmlErrors, con.securityHeaders)
	g.GET("/static/*", con.static)
	g.GET("", redirectTo(Prefix+"/inbox"))
	g.GET("/", redirectTo(Prefix+"/inbox"))

	forms := g.Group("", csrfProtection())
	forms.GET("/signin", con.signinPage)
	forms.POST("/signin", con.signin)
	forms.GET("/prefs", con.prefsPage)
	forms.POST("/prefs", con.savePrefs)

	in := forms.Group("", con.requireSession)
	in.POST("/signout", con.signout)

	// Each page names the API route it fronts: the API's role table decides who may open it.
	in.GET("/inbox", con.inbox, con.gate(http.MethodGet, "/v1/tasks"))
	in.GET("/tasks/:id", con.taskPage, con.gate(http.MethodGet, "/v1/tasks/:id"))
	in.POST("/tasks/:id/claim", con.claim, con.gate(http.MethodPost, "/v1/tasks/:id/claim"))
	in.POST("/tasks/:id/unclaim", con.unclaim, con.gate(http.MethodPost, "/v1/tasks/:id/unclaim"))
	in.POST("/tasks/:id/check", con.checkText, con.gate(http.MethodGet, "/v1/tasks/:id"))
	in.POST("/tasks/:id/complete", con.complete, con.gate(http.MethodPost, "/v1/tasks/:id/complete"))

	in.GET("/cases/:id", con.casePage, con.gate(http.MethodGet, "/v1/cases/:id"))
	in.GET("/cases/:id/events.csv", con.eventsCSV, con.gate(http.MethodGet, "/v1/cases/:id/events"))
	in.POST("/cases/:id/notes", con.addNote, con.gate(http.MethodPost, "/v1/cases/:id/notes"))
	in.POST("/cases/:id/reclassify", con.reclassify, con.gate(http.MethodPost, "/v1/cases/:id/reclassify"))
	in.POST("/cases/:id/close", con.closeCase, con.gate(http.MethodPost, "/v1/cases/:id/close"))

	in.GET("/incidents", con.incidents, con.gate(http.MethodGet, "/v1/incidents"))
	in.POST("/incidents/:id/retry", con.retryIncident, con.gate(http.MethodPost, "/v1/incidents/:id/retry"))
	in.POST("/incidents/:id/skip", con.skipIncident, con.gate(http.MethodPost, "/v1/incidents/:id/skip"))
	in.POST("/incidents/retry", con.retrySelected, con.gate(http.MethodPost, "/v1/incidents/:id/retry"))

	in.GET("/reports", con.reports, con.gate(http.MethodGet, "/v1/reports/weekly"))
	in.GET("/reports.csv", con.reportCSV, con.gate(http.MethodGet, "/v1/reports/weekly"))

	con.mountOrderCare(in) // the message centre and pre-emptive tasks (ordercare.go)
}

func redirectTo(path string) echo.HandlerFunc {
	return func(c echo.Context) error { return c.Redirect(http.StatusSeeOther, path) }
}
