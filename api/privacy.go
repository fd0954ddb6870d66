package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/store"
	"github.com/redress-hq/redress/workflows"
)

type erasureRequest struct {
	Marketplace string `json:"marketplace" validate:"required,marketplace"`
	BuyerID     string `json:"buyer_id" validate:"required,max=200"`
	Reason      string `json:"reason" validate:"required,max=2000"`
}

type erasureResponse struct {
	store.Erasure
	// Closed are the buyer's open cases closed for the erasure; CloseFailed
	// those whose close failed (close them again with POST /v1/cases/{id}/close).
	Closed      []string `json:"closed"`
	CloseFailed []string `json:"close_failed"`
}

// eraseBuyer crypto-shreds a buyer's personal data (store.EraseBuyer), then
// closes their open cases through the workflows' close path. Repeating it
// is harmless: the keys are gone, and a case closes once.
func (s *Server) eraseBuyer(c echo.Context) error {
	var req erasureRequest
	if err := s.decodeJSON(c, &req, false); err != nil {
		return err
	}
	ctx := c.Request().Context()
	by := caller(c).actor()
	er, err := s.store.EraseBuyer(ctx, cases.Marketplace(req.Marketplace), req.BuyerID, req.Reason, by)
	if err != nil {
		return err
	}
	out := erasureResponse{Erasure: er, Closed: []string{}, CloseFailed: []string{}}
	for _, id := range er.OpenCaseIDs {
		close := workflows.CloseCaseRequest{Reason: "buyer's personal data erased (privacy request)", Actor: by, Erasure: true}
		if _, err := s.updateCase(ctx, id, workflows.UpdateCloseCase, workflows.UpdateCloseCase+"/"+id, close); err != nil {
			s.log.WarnContext(ctx, "erasure: close case failed", "case_id", id, "error", err)
			out.CloseFailed = append(out.CloseFailed, id)
			continue
		}
		out.Closed = append(out.Closed, id)
	}
	s.log.InfoContext(ctx, "buyer erased", "request", er.Request.ID, "marketplace", req.Marketplace,
		"cases", len(er.Request.CaseIDs), "keys_destroyed", er.KeysDestroyed, "by", by.ID)
	return c.JSON(http.StatusOK, out)
}

// exportBuyer answers an access request: everything held about the buyer.
func (s *Server) exportBuyer(c echo.Context) error {
	m := cases.Marketplace(c.Param("marketplace"))
	buyerID := c.Param("buyer_id")
	if !m.Valid() || buyerID == "" {
		return newProblem(http.StatusBadRequest, codeValidationFailed, "a known marketplace and a buyer id are required")
	}
	exp, err := s.store.ExportBuyer(c.Request().Context(), m, buyerID, c.QueryParam("reason"), caller(c).actor())
	if err != nil {
		return err
	}
	c.Response().Header().Set("Content-Disposition", `attachment; filename="buyer-export.json"`)
	return c.JSON(http.StatusOK, exp)
}
