package api

import (
	"context"
	_ "embed"
	"net/http"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"go.temporal.io/sdk/client"
)

// readyCheckTimeout keeps /readyz fast enough for a load balancer's probe.
const readyCheckTimeout = 2 * time.Second

//go:embed openapi.json
var openAPIDoc []byte

func (s *Server) openAPI(c echo.Context) error {
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, openAPIDoc)
}

// healthz says the process serves HTTP; it checks no dependency.
func (s *Server) healthz(c echo.Context) error {
	return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
}

type readiness struct {
	Status string            `json:"status"`
	Checks map[string]string `json:"checks"`
}

// readyz checks PostgreSQL and Temporal concurrently; 503 names what failed.
func (s *Server) readyz(c echo.Context) error {
	ctx, cancel := context.WithTimeout(c.Request().Context(), readyCheckTimeout)
	defer cancel()
	checks := map[string]func(context.Context) error{
		"postgres": s.store.Ping,
		"temporal": func(ctx context.Context) error {
			_, err := s.temporal.CheckHealth(ctx, &client.CheckHealthRequest{})
			return err
		},
	}
	r := readiness{Status: "ok", Checks: map[string]string{}}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for name, check := range checks {
		wg.Go(func() {
			result := "ok"
			if err := check(ctx); err != nil {
				result = "failed: " + err.Error()
				s.log.WarnContext(ctx, "readiness check failed", "check", name, "error", err)
			}
			mu.Lock()
			defer mu.Unlock()
			r.Checks[name] = result
			if result != "ok" {
				r.Status = "unavailable"
			}
		})
	}
	wg.Wait()
	status := http.StatusOK
	if r.Status != "ok" {
		status = http.StatusServiceUnavailable
	}
	return c.JSON(status, r)
}
