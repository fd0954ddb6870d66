package api

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"go.temporal.io/sdk/converter"

	"github.com/redress-hq/redress/cases"
)

// CodecDeps are what the codec server runs on.
type CodecDeps struct {
	// Store resolves bearer tokens, exactly as the API does.
	Store  Store
	Codec  converter.PayloadCodec
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
// UI sends with "Include cross-origin credentials". Every request is logged
// with who made it.
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
	codec := echo.WrapHandler(converter.NewPayloadCodecHTTPHandler(d.Codec))
	logged := func(c echo.Context) error {
		p := caller(c)
		logger.InfoContext(c.Request().Context(), "codec server request", "path", c.Path(),
			"caller", p.Name, "role", p.Role, "namespace", c.Request().Header.Get("X-Namespace"))
		return codec(c)
	}
	auth := s.requireRoles([]cases.Role{cases.RoleManager, cases.RoleAdmin})
	e.POST("/encode", logged, codecSessionToken, auth)
	e.POST("/decode", logged, codecSessionToken, auth)
	e.GET("/session", func(c echo.Context) error { return c.HTML(http.StatusOK, codecSessionPage("")) })
	e.POST("/session", s.codecSession)
	e.GET("/healthz", func(c echo.Context) error { return c.NoContent(http.StatusOK) })
	return e
}
