package console

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/redress-hq/redress/cases"
)

type incidentFilter struct {
	Marketplace, ShopID, Call, ErrorClass, Status, CaseID string
}

type incidentsView struct {
	Filter       incidentFilter
	Incidents    []incidentRow
	Marketplaces []cases.Marketplace
	ErrorClasses []cases.ErrorClass
	Statuses     []cases.IncidentStatus
	// Bulk is the outcome of the last bulk retry, when there was one.
	Bulk           *bulkOutcome
	IdempotencyKey string
}

type incidentRow struct {
	cases.Incident
	// ParamsText is the failed call's parameters, indented for correcting.
	ParamsText string
}

type bulkOutcome struct{ Retried, Failed string }

var (
	errorClasses     = []cases.ErrorClass{cases.ErrRetryable, cases.ErrRateLimited, cases.ErrAuthExpired, cases.ErrAuthRevoked, cases.ErrPermanent, cases.ErrAmbiguous, cases.ErrGuardRejected}
	incidentStatuses = []cases.IncidentStatus{cases.IncidentOpen, cases.IncidentRetrying, cases.IncidentResolved, cases.IncidentSkipped}
)

func (con *Console) incidents(c echo.Context) error {
	iv, err := con.loadIncidents(c)
	if err != nil {
		return err
	}
	return con.render(c, http.StatusOK, "incidents", iv)
}

// loadIncidents lists incidents by the filter in the query (open ones by default).
func (con *Console) loadIncidents(c echo.Context) (*incidentsView, error) {
	f := incidentFilter{
		Marketplace: c.QueryParam("marketplace"), ShopID: c.QueryParam("shop_id"), Call: c.QueryParam("call"),
		ErrorClass: c.QueryParam("error_class"), Status: c.QueryParam("status"), CaseID: c.QueryParam("case_id"),
	}
	if !c.QueryParams().Has("status") {
		f.Status = string(cases.IncidentOpen)
	}
	q := url.Values{"limit": {"200"}}
	for k, v := range map[string]string{"marketplace": f.Marketplace, "shop_id": f.ShopID, "call": f.Call,
		"error_class": f.ErrorClass, "status": f.Status, "case_id": f.CaseID} {
		if v != "" {
			q.Set(k, v)
		}
	}
	var page struct {
		Items []cases.Incident `json:"items"`
	}
	if err := con.api.get(c, "/v1/incidents?"+q.Encode(), &page); err != nil {
		return nil, err
	}
	v := &incidentsView{Filter: f, Marketplaces: cases.Marketplaces, ErrorClasses: errorClasses,
		Statuses: incidentStatuses, IdempotencyKey: randomID()}
	for _, inc := range page.Items {
		v.Incidents = append(v.Incidents, incidentRow{Incident: inc, ParamsText: indentJSON(inc.Params)})
	}
	if c.QueryParam("done") == "bulk_retried" {
		v.Bulk = &bulkOutcome{Retried: c.QueryParam("retried"), Failed: c.QueryParam("failed")}
	}
	return v, nil
}

func indentJSON(raw json.RawMessage) string {
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return string(raw)
	}
	out, _ := json.MarshalIndent(v, "", "  ")
	return string(out)
}

// retryIncident retries the failed call, with corrected parameters when given.
func (con *Console) retryIncident(c echo.Context) error {
	body := map[string]any{"reason": strings.TrimSpace(c.FormValue("reason"))}
	if c.FormValue("checked_not_applied") == "true" {
		body["checked_not_applied"] = true
	}
	if p := strings.TrimSpace(c.FormValue("params")); p != "" {
		if !json.Valid([]byte(p)) {
			return con.incidentRefused(c, &apiError{Status: http.StatusBadRequest, Code: "validation_failed", Detail: "params: not valid JSON"})
		}
		body["params"] = json.RawMessage(p)
	}
	return con.incidentAction(c, "retry", "retried", body)
}

func (con *Console) skipIncident(c echo.Context) error {
	return con.incidentAction(c, "skip", "skipped", map[string]any{"reason": strings.TrimSpace(c.FormValue("reason"))})
}

func (con *Console) incidentAction(c echo.Context, action, done string, body map[string]any) error {
	err := con.api.do(c, call{method: http.MethodPost, path: "/v1/incidents/" + url.PathEscape(c.Param("id")) + "/" + action,
		body: body, idempotencyKey: c.FormValue("idempotency_key")}, nil)
	if ae, ok := refusal(err); ok {
		return con.incidentRefused(c, ae)
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, Prefix+"/incidents?done="+done)
}

// incidentRefused shows the list again with why the API refused.
func (con *Console) incidentRefused(c echo.Context, ae *apiError) error {
	iv, err := con.loadIncidents(c)
	if err != nil {
		return err
	}
	return con.renderRefused(c, ae, "incidents", iv)
}

// retrySelected retries each ticked incident, one API call each, and tells how many went through.
func (con *Console) retrySelected(c echo.Context) error {
	form, err := c.FormParams()
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	key := form.Get("idempotency_key")
	retried, failed := 0, 0
	for _, id := range form["id"] {
		err := con.api.do(c, call{method: http.MethodPost, path: "/v1/incidents/" + url.PathEscape(id) + "/retry",
			body: map[string]any{"reason": strings.TrimSpace(form.Get("reason"))}, idempotencyKey: key + "/" + id}, nil)
		if isUnauthenticated(err) {
			return err
		}
		if err != nil {
			con.log.WarnContext(c.Request().Context(), "bulk retry of an incident failed", "incident_id", id, "error", err)
			failed++
			continue
		}
		retried++
	}
	return c.Redirect(http.StatusSeeOther, Prefix+"/incidents?done=bulk_retried&retried="+strconv.Itoa(retried)+"&failed="+strconv.Itoa(failed))
}
