package console

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
)

type prefsView struct {
	Languages []string
	Current   string
	Zone      string
	Zones     []string
	Next      string
}

// commonZones are offered in the zone field; any IANA name is accepted.
var commonZones = []string{"UTC", "America/Argentina/Buenos_Aires", "America/Sao_Paulo", "America/Mexico_City",
	"America/New_York", "America/Los_Angeles", "Europe/London", "Europe/Madrid", "Asia/Shanghai", "Asia/Tokyo"}

func (con *Console) prefsPage(c echo.Context) error {
	langs := make([]string, len(languages))
	for i, l := range languages {
		langs[i] = l.code
	}
	return con.render(c, http.StatusOK, "prefs", prefsView{Languages: langs, Current: languageOf(c),
		Zone: zoneOf(c).String(), Zones: commonZones, Next: safeNext(c.QueryParam("next"))})
}

// savePrefs keeps language and zone in cookies of this browser (people have
// no accounts to store them in yet).
func (con *Console) savePrefs(c echo.Context) error {
	year := int((365 * 24 * time.Hour).Seconds())
	if lang := c.FormValue("lang"); locales[lang] != nil {
		c.SetCookie(&http.Cookie{Name: langCookie, Value: lang, Path: Prefix, MaxAge: year, HttpOnly: true,
			SameSite: http.SameSiteLaxMode, Secure: c.Scheme() == "https"})
	}
	if zone := c.FormValue("tz"); zone != "" {
		if _, err := time.LoadLocation(zone); err != nil || zone == "Local" {
			return echo.NewHTTPError(http.StatusBadRequest, "error.zone")
		}
		// Not HttpOnly: the page's script fills it from the browser when it is missing.
		c.SetCookie(&http.Cookie{Name: zoneCookie, Value: zone, Path: Prefix, MaxAge: year,
			SameSite: http.SameSiteLaxMode, Secure: c.Scheme() == "https"})
	}
	next := safeNext(c.FormValue("next"))
	if next == "" {
		next = Prefix + "/prefs?done=saved"
	}
	return c.Redirect(http.StatusSeeOther, next)
}
