package console

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"
)

const (
	sessionCookie = "redress_session"
	sessionKey    = "console.session"
)

// signinPage asks for an API token (until people have accounts of their own).
func (con *Console) signinPage(c echo.Context) error {
	return con.render(c, http.StatusOK, "signin", signinView{Next: safeNext(c.QueryParam("next"))})
}

type signinView struct {
	Next  string
	Error string
}

func (con *Console) signin(c echo.Context) error {
	token := strings.TrimSpace(c.FormValue("token"))
	next := safeNext(c.FormValue("next"))
	who, err := con.auth(c.Request().Context(), token)
	if token == "" || err != nil {
		if err != nil && !errors.Is(err, ErrInvalidToken) {
			return err
		}
		return con.render(c, http.StatusUnauthorized, "signin", signinView{Next: next, Error: "signin.invalid"})
	}
	sess := con.sessions.create(token, who)
	c.SetCookie(&http.Cookie{
		Name: sessionCookie, Value: sess.id, Path: Prefix,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: c.Scheme() == "https",
	})
	con.log.InfoContext(c.Request().Context(), "console sign-in", "name", who.Name, "role", who.Role)
	if next == "" {
		next = con.home(who)
	}
	return c.Redirect(http.StatusSeeOther, next)
}

func (con *Console) signout(c echo.Context) error {
	con.sessions.end(sessionOf(c).id)
	c.SetCookie(&http.Cookie{Name: sessionCookie, Value: "", Path: Prefix, MaxAge: -1,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: c.Scheme() == "https"})
	return c.Redirect(http.StatusSeeOther, Prefix+"/signin")
}

// home is the first page a role may open.
func (con *Console) home(who Principal) string {
	if con.allowed(who.Role, http.MethodGet, "/v1/tasks") {
		return Prefix + "/inbox"
	}
	return Prefix + "/incidents"
}

// requireSession admits requests with a live session; others sign in first
// and come back to where they were going.
func (con *Console) requireSession(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if ck, err := c.Cookie(sessionCookie); err == nil {
			if sess, ok := con.sessions.get(ck.Value); ok {
				c.Set(sessionKey, sess)
				return next(c)
			}
		}
		return toSignin(c)
	}
}

func toSignin(c echo.Context) error {
	target := Prefix + "/signin"
	if c.Request().Method == http.MethodGet {
		target += "?next=" + url.QueryEscape(c.Request().URL.RequestURI())
	}
	return c.Redirect(http.StatusSeeOther, target)
}

func sessionOf(c echo.Context) *session {
	s, _ := c.Get(sessionKey).(*session)
	return s
}

// gate admits the roles the API's access matrix lets call apiPath.
func (con *Console) gate(method, apiPath string) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if !con.allowed(sessionOf(c).who.Role, method, apiPath) {
				return echo.NewHTTPError(http.StatusForbidden, "forbidden.role")
			}
			return next(c)
		}
	}
}

// safeNext keeps post-sign-in redirects inside the console.
func safeNext(next string) string {
	if strings.HasPrefix(next, Prefix+"/") && !strings.HasPrefix(next, "//") && !strings.Contains(next, "\\") {
		return next
	}
	return ""
}

func isUnauthenticated(err error) bool {
	var ae *apiError
	return errors.As(err, &ae) && ae.Status == http.StatusUnauthorized
}
