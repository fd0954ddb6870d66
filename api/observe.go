package api

import (
	"log/slog"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
)

// observe writes one structured access log line and the HTTP metrics per request.
func (s *Server) observe(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		if err := next(c); err != nil {
			c.Error(err) // settle the status before measuring it
		}
		elapsed := time.Since(start)
		route := c.Path()
		if route == "" {
			route = "unmatched"
		}
		status := c.Response().Status
		req := c.Request()
		s.metrics.requests.WithLabelValues(route, req.Method, strconv.Itoa(status)).Inc()
		s.metrics.latency.WithLabelValues(route, req.Method).Observe(elapsed.Seconds())
		attrs := []any{
			slog.String("request_id", requestID(c)),
			slog.String("method", req.Method),
			slog.String("route", route),
			slog.String("path", req.URL.Path),
			slog.Int("status", status),
			slog.Duration("latency", elapsed),
			slog.Int64("bytes_out", c.Response().Size),
		}
		if p := caller(c); p.Name != "" {
			attrs = append(attrs, slog.String("actor", p.Name), slog.String("role", string(p.Role)))
		}
		s.log.InfoContext(req.Context(), "http request", attrs...)
		return nil
	}
}

func requestID(c echo.Context) string {
	if id := c.Response().Header().Get(echo.HeaderXRequestID); id != "" {
		return id
	}
	return c.Request().Header.Get(echo.HeaderXRequestID)
}
