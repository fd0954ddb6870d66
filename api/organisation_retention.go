package api

import (
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/redress-hq/redress/store"
)

// retentionRequest sets how long an organisation keeps its buyers' personal
// data after their cases close; null returns it to the deployment default.
type retentionRequest struct {
	RetentionDays nullableInt `json:"retention_days"`
}

// nullableInt tells an explicit null from a missing field.
type nullableInt struct {
	Set   bool
	Value *int
}

func (n *nullableInt) UnmarshalJSON(b []byte) error {
	n.Set = true
	if string(b) == "null" {
		return nil
	}
	var v int
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	n.Value = &v
	return nil
}

// putOrganisationRetention: an organisation's admin sets its own retention
// (the deployment's admin any organisation's); audited.
func (s *Server) putOrganisationRetention(c echo.Context) error {
	st, err := s.orgStore()
	if err != nil {
		return err
	}
	var req retentionRequest
	if err := s.decodeJSON(c, &req, false); err != nil {
		return err
	}
	days := req.RetentionDays.Value
	switch {
	case !req.RetentionDays.Set:
		return invalidBody(FieldError{Field: "retention_days", Code: "required", Message: "days to keep personal data, or null for the deployment's default"})
	case days != nil && (*days < 1 || *days > store.MaxRetentionDays):
		return invalidBody(FieldError{Field: "retention_days", Code: "range", Message: fmt.Sprintf("1 to %d days", store.MaxRetentionDays)})
	}
	orgID := c.Param("org")
	o, err := st.SetOrganisationRetention(c.Request().Context(), orgID, days)
	if err != nil {
		return err
	}
	if err := s.audit(c, o.ID, "organisation.retention_changed", o.ID, map[string]any{"retention_days": days}); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, o)
}
