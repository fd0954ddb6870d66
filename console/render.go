package console

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/redress-hq/redress/cases"
)

//go:embed templates/*.html
var templateFiles embed.FS

//go:embed static
var staticFiles embed.FS

// pages holds one template set per page: the layout, shared partials and the page.
type pages struct{ byName map[string]*template.Template }

func mustParsePages() *pages {
	names, err := fs.Glob(templateFiles, "templates/*.html")
	if err != nil {
		panic(err)
	}
	p := &pages{byName: map[string]*template.Template{}}
	for _, file := range names {
		name := strings.TrimSuffix(strings.TrimPrefix(file, "templates/"), ".html")
		if name == "layout" || name == "partials" {
			continue
		}
		p.byName[name] = template.Must(template.New(name).Funcs(templateFuncs).
			ParseFS(templateFiles, "templates/layout.html", "templates/partials.html", file))
	}
	return p
}

var templateFuncs = template.FuncMap{
	"join": strings.Join,
	"sub":  func(a, b int) int { return a - b },
	"chartOf": func(v *view, id, title string, ch barChart) chartBlock {
		return chartBlock{View: v, ID: id, Title: title, Chart: ch}
	},
	"contains": func(list []string, s string) bool {
		for _, v := range list {
			if v == s {
				return true
			}
		}
		return false
	},
}

// chartBlock is what the chart template draws: one chart with its heading.
type chartBlock struct {
	View      *view
	ID, Title string
	Chart     barChart
}

// view is what every template gets: the page's data plus the person's
// language, zone and rights.
type view struct {
	con    *Console
	loc    *locale
	Lang   string
	Zone   *time.Location
	User   *Principal
	CSRF   string
	Path   string
	Query  string
	Flash  string
	Error  *apiError
	Data   any
	Status int
}

func (con *Console) newView(c echo.Context, data any) *view {
	lang := languageOf(c)
	v := &view{con: con, loc: locales[lang], Lang: locales[lang].tag, Zone: zoneOf(c), CSRF: csrfToken(c),
		Path: c.Request().URL.Path, Query: c.Request().URL.RawQuery, Data: data}
	if s := sessionOf(c); s != nil {
		who := s.who
		v.User = &who
	}
	if done := c.QueryParam("done"); done != "" {
		v.Flash = v.T("flash." + done)
	}
	return v
}

// T translates a message key.
func (v *view) T(key string, args ...any) string { return v.loc.text(key, args...) }

// Label translates an enum value of a kind (issue, task kind, stage, …).
func (v *view) Label(kind string, value any) string {
	s := fmt.Sprint(value)
	if s == "" {
		return "—"
	}
	return v.loc.text(kind + "." + s)
}

// Time shows t in the person's zone; the datetime attribute keeps the instant for scripts.
func (v *view) Time(t any) template.HTML {
	var tt time.Time
	switch x := t.(type) {
	case time.Time:
		tt = x
	case *time.Time:
		if x == nil {
			return "—"
		}
		tt = *x
	}
	if tt.IsZero() {
		return "—"
	}
	return template.HTML(fmt.Sprintf(`<time datetime="%s">%s</time>`,
		tt.UTC().Format(time.RFC3339), template.HTMLEscapeString(tt.In(v.Zone).Format("2006-01-02 15:04 MST"))))
}

// Money shows an amount in the shop's currency.
func (v *view) Money(m cases.Money, currency string) string {
	if currency == "" {
		return m.String()
	}
	return m.String() + " " + currency
}

// Can reports whether the person may call an API route, to show only the actions they may take.
func (v *view) Can(method, path string) bool {
	return v.User != nil && v.con.allowed(v.User.Role, method, path)
}

// Manager reports whether the person may take manager decisions (approvals).
func (v *view) Manager() bool { return v.User != nil && v.User.Role.AtLeastManager() }

// Duration is a short human duration (late by, time left).
func (v *view) Duration(seconds int64) string {
	d := time.Duration(seconds) * time.Second
	h, m := int(d.Hours()), int(d.Minutes())%60
	if h > 0 {
		return fmt.Sprintf("%dh %02dm", h, m)
	}
	return fmt.Sprintf("%dm", m)
}

// render writes a full page.
func (con *Console) render(c echo.Context, status int, name string, data any) error {
	v := con.newView(c, data)
	v.Status = status
	return con.renderView(c, status, name, "layout", v)
}

// renderFragment writes one named template of a page (live updates).
func (con *Console) renderFragment(c echo.Context, page, fragment string, data any) error {
	return con.renderView(c, http.StatusOK, page, fragment, con.newView(c, data))
}

// renderRefused shows a page again with why the API refused the action.
func (con *Console) renderRefused(c echo.Context, ae *apiError, page string, data any) error {
	v := con.newView(c, data)
	v.Error = ae
	return con.renderView(c, ae.Status, page, "layout", v)
}

// refusal is the API's answer to show on the page: a refusal of the request
// itself (4xx other than 401), not a failure or an expired sign-in.
func refusal(err error) (*apiError, bool) {
	var ae *apiError
	if errors.As(err, &ae) && ae.Status < 500 && ae.Status != http.StatusUnauthorized {
		return ae, true
	}
	return nil, false
}

func (con *Console) renderView(c echo.Context, status int, page, tmpl string, v *view) error {
	t, ok := con.pages.byName[page]
	if !ok {
		return fmt.Errorf("no template %q", page)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, tmpl, v); err != nil {
		return fmt.Errorf("render %s/%s: %w", page, tmpl, err)
	}
	c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
	return c.HTMLBlob(status, buf.Bytes())
}

// errorView is an error page: a message key of the console, or the API's own detail.
type errorView struct {
	Key    string
	Detail string
	Code   string
}

// htmlErrors turns every error of a console route into an HTML page; an
// expired or revoked token ends the session and asks to sign in again.
func (con *Console) htmlErrors(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		err := next(c)
		if err == nil || c.Response().Committed {
			return err
		}
		var (
			ae *apiError
			he *echo.HTTPError
		)
		status, ev := http.StatusInternalServerError, errorView{Key: "error.internal", Code: "internal"}
		switch {
		case errors.As(err, &ae) && ae.Status == http.StatusUnauthorized:
			if s := sessionOf(c); s != nil {
				con.sessions.end(s.id)
			}
			return toSignin(c)
		case errors.As(err, &ae):
			status, ev = ae.Status, errorView{Key: "error.api", Detail: ae.Detail, Code: ae.Code}
		case errors.As(err, &he):
			status = he.Code
			ev = errorView{Key: "error.http", Code: strings.ReplaceAll(strings.ToLower(http.StatusText(he.Code)), " ", "_")}
			if key, _ := he.Message.(string); strings.HasPrefix(key, "forbidden.") || strings.HasPrefix(key, "error.") {
				ev.Key = key
			} else if he.Code == http.StatusNotFound {
				ev.Key = "error.not_found"
			}
		}
		if status >= 500 {
			con.log.ErrorContext(c.Request().Context(), "console page failed", "path", c.Request().URL.Path, "error", err)
		}
		return con.render(c, status, "error", ev)
	}
}

func (con *Console) securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		return next(c)
	}
}

func (con *Console) static(c echo.Context) error {
	name := "static/" + c.Param("*")
	if _, err := fs.Stat(staticFiles, name); err != nil || strings.Contains(name, "..") {
		return echo.NewHTTPError(http.StatusNotFound)
	}
	c.Response().Header().Set(echo.HeaderCacheControl, "public, max-age=300")
	http.ServeFileFS(c.Response(), c.Request(), staticFiles, name)
	return nil
}

// QueryHas reports whether the page's query holds a key=value pair.
func (v *view) QueryHas(pair string) bool {
	return slices.Contains(strings.Split(v.Query, "&"), pair)
}

// NeedsApproval reports whether a remedy of this cost goes to a manager.
func (v *view) NeedsApproval(cost, limit cases.Money) bool { return cases.NeedsApproval(cost, limit) }
