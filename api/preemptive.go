// Pre-emptive tasks: what order care raises for an agent to act on before the
// buyer rates.

package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/store"
)

func (s *Server) listPreemptiveTasks(c echo.Context) error {
	st, err := s.ocStore()
	if err != nil {
		return err
	}
	f := store.PreemptiveFilter{Status: c.QueryParam("status"), Marketplace: cases.Marketplace(c.QueryParam("marketplace")),
		ShopID: c.QueryParam("shop_id"), OrderID: c.QueryParam("order_id")}
	if f.Status != "" && f.Status != "open" && f.Status != "done" {
		return invalidQuery(FieldError{Field: "status", Code: "oneof", Message: "open or done"})
	}
	items, err := st.ListPreemptiveTasks(c.Request().Context(), f)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"items": items})
}

type completePreemptiveRequest struct {
	Note string `json:"note" validate:"required,max=2000"`
}

func (s *Server) completePreemptiveTask(c echo.Context) error {
	var req completePreemptiveRequest
	st, err := s.ocStoreAndBody(c, &req)
	if err != nil {
		return err
	}
	t, err := st.CompletePreemptiveTask(c.Request().Context(), c.Param("id"), caller(c).Name, req.Note)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, t)
}
