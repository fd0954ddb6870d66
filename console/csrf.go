package console

import (
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

// csrfField is the hidden form field carrying the token.
const csrfField = "_csrf"

// csrfProtection is Echo's CSRF middleware: browsers that send Sec-Fetch-Site
// are checked by it, others by a double-submit token in every form. Any
// failure is a 403. The cookie is Secure when the request came over TLS.
func csrfProtection() echo.MiddlewareFunc {
	build := func(secure bool) echo.MiddlewareFunc {
		return middleware.CSRFWithConfig(middleware.CSRFConfig{
			TokenLookup:    "form:" + csrfField + ",header:X-CSRF-Token",
			CookieName:     "redress_csrf",
			CookiePath:     Prefix,
			CookieHTTPOnly: true,
			CookieSameSite: http.SameSiteStrictMode,
			CookieSecure:   secure,
			ErrorHandler: func(error, echo.Context) error {
				return echo.NewHTTPError(http.StatusForbidden, "forbidden.csrf")
			},
		})
	}
	plain, tls := build(false), build(true)
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		overPlain, overTLS := plain(next), tls(next)
		return func(c echo.Context) error {
			if c.Scheme() == "https" {
				return overTLS(c)
			}
			return overPlain(c)
		}
	}
}

func csrfToken(c echo.Context) string {
	t, _ := c.Get("csrf").(string)
	return t
}
