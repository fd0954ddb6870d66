package api

import (
	"github.com/labstack/echo/v4"

	"github.com/redress-hq/redress/store"
)

// orgOfCaller is the organisation whose templates and alert channels the
// caller manages: its scope's organisation; the deployment's bootstrap
// admin (every organisation) and a caller without a scope manage the
// default one. A scope naming no organisation names none, so finds nothing.
func orgOfCaller(c echo.Context) string {
	sc, ok := store.ScopeFrom(c.Request().Context())
	switch {
	case !ok || sc.All:
		return "default"
	case sc.OrgID == "":
		return "-"
	}
	return sc.OrgID
}
