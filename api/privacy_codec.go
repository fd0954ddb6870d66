package api

import (
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"go.temporal.io/sdk/converter"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/internal/keyring"
)

// CodecDeps are what the codec server runs on.
type CodecDeps struct {
	// Store resolves bearer tokens, exactly as the API does.
	Store Store
	// Keys are the payload key ring (REDRESS_PAYLOAD_KEYS).
	Keys   *keyring.Ring
	Logger *slog.Logger
	// BootstrapToken is accepted as an admin's, as by the API.
	BootstrapToken string
	// UIOrigin is the one origin (scheme://host[:port] of the Temporal Web
	// UI) whose pages may call the codec server from a browser.
	UIOrigin string
	// BodyLimit bounds a request (echo's syntax, e.g. "4M").
	BodyLimit string
}

// NewCodecServer serves Temporal's codec-server protocol (POST /encode and
// /decode with a JSON Payloads body) so that managers and admins read
// decrypted histories in the Temporal UI or with `temporal workflow show
// --codec-endpoint`. Callers authenticate with a Redress API token exactly as
// on the API: as a bearer token (the CLI's --codec-auth), or — for the Web
// UI, which cannot send one — as the session cookie /session sets, which the
// UI sends with "Include cross-origin credentials". A caller decodes only
// their organisation's payloads (the deployment's admin: all); every request
// is logged with who made it, and every refusal with why.
func NewCodecServer(d CodecDeps) http.Handler {
	logger := d.Logger
	if logger == nil {
		logger = slog.Default()
	}
	s := &Server{store: d.Store, log: logger, cfg: Config{BootstrapToken: d.BootstrapToken}}
	limit := d.BodyLimit
	if limit == "" {
		limit = "4M"
	}
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = s.handleError
	e.Use(
		middleware.Recover(),
		// Preflights from any other origin get no Access-Control-Allow-Origin.
		middleware.CORSWithConfig(middleware.CORSConfig{
			AllowOrigins:     []string{d.UIOrigin},
			AllowMethods:     []string{http.MethodPost},
			AllowHeaders:     []string{echo.HeaderAuthorization, echo.HeaderContentType, "X-Namespace"},
			AllowCredentials: true,
			MaxAge:           int((10 * time.Minute).Seconds()),
		}),
		middleware.BodyLimit(limit),
	)
	serve := func(c echo.Context) error {
		p := caller(c)
		ctx := c.Request().Context()
		logger.InfoContext(ctx, "codec server request", "path", c.Path(),
			"caller", p.Name, "role", p.Role, "org", p.Scope.OrgID, "namespace", c.Request().Header.Get("X-Namespace"))
		codec := &scopedCodec{keys: d.Keys, scope: p.Scope}
		converter.NewPayloadCodecHTTPHandler(codec).ServeHTTP(c.Response(), c.Request())
		if codec.withheld > 0 {
			logger.WarnContext(ctx, "codec server refused", "reason", "not the caller's organisation", "path", c.Path(),
				"caller", p.Name, "role", p.Role, "org", p.Scope.OrgID, "payloads", codec.withheld, "of_orgs", codec.withheldOrgs())
		}
		return nil
	}
	auth := s.requireRoles([]cases.Role{cases.RoleManager, cases.RoleAdmin})
	e.POST("/encode", serve, codecSessionToken, codecRefusals(logger), auth)
	e.POST("/decode", serve, codecSessionToken, codecRefusals(logger), auth)
	e.GET("/session", func(c echo.Context) error { return c.HTML(http.StatusOK, codecSessionPage("")) })
	e.POST("/session", s.codecSession)
	e.GET("/healthz", func(c echo.Context) error { return c.NoContent(http.StatusOK) })
	return e
}

// codecRefusals logs the callers that authentication or the role table turned away.
func codecRefusals(logger *slog.Logger) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			err := next(c)
			var p *Problem
			if errors.As(err, &p) && (p.Status == http.StatusUnauthorized || p.Status == http.StatusForbidden) {
				who := caller(c)
				logger.WarnContext(c.Request().Context(), "codec server refused", "reason", p.Detail, "status", p.Status,
					"path", c.Path(), "caller", who.Name, "role", who.Role, "origin", c.Request().Header.Get("Origin"))
			}
			return err
		}
	}
}
