package console

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/redress-hq/redress/cases"
)

// caseView is the audit of one case.
type caseView struct {
	Detail caseDetail
	Events []eventRow
	Tasks  []cases.Task
	Issues []cases.Issue
	// IdempotencyKey makes each form on the page act once when sent twice.
	IdempotencyKey string
}

// eventRow is one audit entry with its data laid out as fields.
type eventRow struct {
	cases.Event
	Fields []eventField
}

type eventField struct{ Key, Value string }

// maxTimeline bounds how many audit entries a page shows; the CSV has all.
const maxTimeline = 1000

func (con *Console) loadCase(c echo.Context) (*caseView, error) {
	id := url.PathEscape(c.Param("id"))
	cv := &caseView{Issues: cases.Issues, IdempotencyKey: randomID()}
	if err := con.api.get(c, "/v1/cases/"+id, &cv.Detail); err != nil {
		return nil, err
	}
	after := int64(0)
	for len(cv.Events) < maxTimeline {
		var page struct {
			Items      []cases.Event `json:"items"`
			NextCursor string        `json:"next_cursor"`
		}
		err := con.api.get(c, fmt.Sprintf("/v1/cases/%s/events?limit=200&after_seq=%d", id, after), &page)
		var ae *apiError
		if errors.As(err, &ae) && ae.Status == http.StatusNotFound && !cv.Detail.Indexed {
			break // a case a moment old: its first events are not indexed yet
		}
		if err != nil {
			return nil, err
		}
		for _, e := range page.Items {
			cv.Events = append(cv.Events, eventRow{Event: e, Fields: fieldsOf(e.Data)})
		}
		if page.NextCursor == "" || len(page.Items) == 0 {
			break
		}
		after = page.Items[len(page.Items)-1].Seq
	}
	if con.allowed(sessionOf(c).who.Role, http.MethodGet, "/v1/tasks") {
		var page taskPage
		if err := con.api.get(c, "/v1/tasks?limit=200&case_id="+id, &page); err != nil {
			return nil, err
		}
		cv.Tasks = page.Items
	}
	return cv, nil
}

// fieldsOf lays an event's data out as key: value, nested values as compact JSON.
func fieldsOf(data json.RawMessage) []eventField {
	var m map[string]json.RawMessage
	if json.Unmarshal(data, &m) != nil {
		return nil
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	out := make([]eventField, 0, len(keys))
	for _, k := range keys {
		v := strings.TrimSpace(string(m[k]))
		if s, err := strconv.Unquote(v); err == nil {
			v = s
		}
		if v == "" || v == "null" || v == `""` {
			continue
		}
		if len(v) > 400 {
			v = v[:400] + "…"
		}
		out = append(out, eventField{Key: k, Value: v})
	}
	return out
}

func (con *Console) casePage(c echo.Context) error {
	cv, err := con.loadCase(c)
	if err != nil {
		return err
	}
	return con.render(c, http.StatusOK, "case", cv)
}

// eventsCSV is the API's export of the audit trail.
func (con *Console) eventsCSV(c echo.Context) error {
	return con.api.stream(c, call{method: http.MethodGet, path: "/v1/cases/" + url.PathEscape(c.Param("id")) + "/events?format=csv"})
}

func (con *Console) addNote(c echo.Context) error {
	return con.caseAction(c, "notes", "noted", map[string]any{"text": strings.TrimSpace(c.FormValue("text"))})
}

func (con *Console) reclassify(c echo.Context) error {
	return con.caseAction(c, "reclassify", "reclassified",
		map[string]any{"issue": c.FormValue("issue"), "reason": strings.TrimSpace(c.FormValue("reason"))})
}

func (con *Console) closeCase(c echo.Context) error {
	return con.caseAction(c, "close", "closed", map[string]any{"reason": strings.TrimSpace(c.FormValue("reason"))})
}

// caseAction posts one case action; a refusal comes back on the case page.
func (con *Console) caseAction(c echo.Context, action, done string, body map[string]any) error {
	id := url.PathEscape(c.Param("id"))
	err := con.api.do(c, call{method: http.MethodPost, path: "/v1/cases/" + id + "/" + action, body: body,
		idempotencyKey: c.FormValue("idempotency_key")}, nil)
	if ae, ok := refusal(err); ok {
		cv, lerr := con.loadCase(c)
		if lerr != nil {
			return lerr
		}
		return con.renderRefused(c, ae, "case", cv)
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, Prefix+"/cases/"+id+"?done="+done)
}
