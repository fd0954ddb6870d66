package api

import (
	"html"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/redress-hq/redress/cases"
)

// codecCookie holds a manager's API token for the Temporal Web UI's calls to
// the codec server (the UI sends cookies, not a Redress bearer token).
const codecCookie = "redress_codec"

// codecSessionToken lets the session cookie stand for a missing bearer token.
func codecSessionToken(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		if r.Header.Get(echo.HeaderAuthorization) == "" {
			if ck, err := r.Cookie(codecCookie); err == nil && ck.Value != "" {
				r.Header.Set(echo.HeaderAuthorization, "Bearer "+ck.Value)
			}
		}
		return next(c)
	}
}

// codecSession checks a manager's or admin's token typed into /session and
// keeps it in an HttpOnly cookie for 8 hours; an empty token signs out.
func (s *Server) codecSession(c echo.Context) error {
	token := strings.TrimSpace(c.FormValue("token"))
	secure := c.Request().TLS != nil || c.Request().Header.Get("X-Forwarded-Proto") == "https"
	cookie := &http.Cookie{Name: codecCookie, Path: "/", HttpOnly: true, Secure: secure, SameSite: http.SameSiteLaxMode}
	if token == "" {
		cookie.MaxAge = -1
		c.SetCookie(cookie)
		return c.HTML(http.StatusOK, codecSessionPage("Signed out."))
	}
	p, err := s.principalOf(c.Request().Context(), token)
	if err != nil || (p.Role != cases.RoleManager && p.Role != cases.RoleAdmin) {
		s.log.WarnContext(c.Request().Context(), "codec server refused", "reason", "session for a token that is not a manager's or an admin's",
			"path", c.Path(), "caller", p.Name, "role", p.Role)
		return c.HTML(http.StatusUnauthorized, codecSessionPage("That token is not a manager's or an admin's."))
	}
	cookie.Value, cookie.Expires = token, time.Now().Add(8*time.Hour)
	c.SetCookie(cookie)
	s.log.InfoContext(c.Request().Context(), "codec server session", "caller", p.Name, "role", p.Role)
	return c.HTML(http.StatusOK, codecSessionPage("Signed in as "+p.Name+
		". In the Temporal UI's Data Encoder settings, point the codec endpoint here and include cross-origin credentials."))
}

func codecSessionPage(note string) string {
	return `<!doctype html><meta charset="utf-8"><title>Redress codec server</title>
<h1>Redress codec server</h1><p>` + html.EscapeString(note) + `</p>
<form method="post" action="/session"><label>Manager or admin API token
<input name="token" type="password" autocomplete="off"></label> <button>Sign in</button></form>
<form method="post" action="/session"><button>Sign out</button></form>`
}
