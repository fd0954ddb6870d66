package console

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/redress-hq/redress/cases"
)

// inboxFilter is what the inbox's filter form sends.
type inboxFilter struct {
	Marketplace string
	ShopID      string
	Kind        string
	Priority    string // "", "1" high (reminder fired), "2" urgent (breached)
	Overdue     bool
	Approvals   bool // managers: the tasks only a manager may complete
}

func readInboxFilter(c echo.Context) inboxFilter {
	return inboxFilter{
		Marketplace: c.QueryParam("marketplace"),
		ShopID:      c.QueryParam("shop_id"),
		Kind:        c.QueryParam("kind"),
		Priority:    c.QueryParam("priority"),
		Overdue:     c.QueryParam("overdue") == "true",
		Approvals:   c.QueryParam("view") == "approvals",
	}
}

type inboxView struct {
	Filter       inboxFilter
	Tasks        []inboxRow
	Marketplaces []cases.Marketplace
	Kinds        []cases.TaskKind
	Priorities   []string
}

type inboxRow struct {
	cases.Task
	Mine    bool
	Overdue bool
}

type taskPage struct {
	Items []cases.Task `json:"items"`
}

// inbox lists open and claimed tasks: the person's own first, then by time
// to breach. With fragment=rows it answers only the rows, for live refresh.
func (con *Console) inbox(c echo.Context) error {
	f := readInboxFilter(c)
	who := sessionOf(c).who
	if f.Approvals && !who.Role.AtLeastManager() {
		return echo.NewHTTPError(http.StatusForbidden, "forbidden.approvals")
	}
	q := url.Values{"limit": {"200"}}
	for k, v := range map[string]string{"marketplace": f.Marketplace, "shop_id": f.ShopID, "kind": f.Kind} {
		if v != "" {
			q.Set(k, v)
		}
	}
	if f.Overdue {
		q.Set("overdue", "true")
	}
	// People see the tasks they may complete: agents theirs, managers approvals apart.
	if f.Approvals {
		q.Set("role", string(cases.RoleManager))
	} else if !who.Role.AtLeastManager() {
		q.Set("role", string(cases.RoleAgent))
	}
	now := time.Now()
	var rows []inboxRow
	for _, status := range []cases.TaskStatus{cases.TaskClaimed, cases.TaskOpen} {
		q.Set("status", string(status))
		var page taskPage
		if err := con.api.get(c, "/v1/tasks?"+q.Encode(), &page); err != nil {
			return err
		}
		for _, t := range page.Items {
			if f.Priority != "" && strconv.Itoa(int(t.Priority)) != f.Priority {
				continue
			}
			rows = append(rows, inboxRow{Task: t, Mine: t.Assignee == who.Name, Overdue: t.DueAt != nil && t.DueAt.Before(now)})
		}
	}
	sortInbox(rows)
	v := inboxView{Filter: f, Tasks: rows, Marketplaces: cases.Marketplaces, Kinds: cases.TaskKinds,
		Priorities: []string{"0", "1", "2"}}
	if c.QueryParam("fragment") == "rows" {
		return con.renderFragment(c, "inbox", "inbox-rows", v)
	}
	return con.render(c, http.StatusOK, "inbox", v)
}

// sortInbox puts the person's own tasks first, then the soonest breach.
func sortInbox(rows []inboxRow) {
	slices.SortStableFunc(rows, func(a, b inboxRow) int {
		if a.Mine != b.Mine {
			if a.Mine {
				return -1
			}
			return 1
		}
		switch {
		case a.DueAt == nil && b.DueAt == nil:
			return int(b.Priority - a.Priority)
		case a.DueAt == nil:
			return 1
		case b.DueAt == nil:
			return -1
		}
		return a.DueAt.Compare(*b.DueAt)
	})
}

// claim takes a task and opens it.
func (con *Console) claim(c echo.Context) error {
	id := c.Param("id")
	err := con.api.do(c, call{method: http.MethodPost, path: "/v1/tasks/" + url.PathEscape(id) + "/claim", body: map[string]any{}}, nil)
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, Prefix+"/tasks/"+url.PathEscape(id)+"?done=claimed")
}

func (con *Console) unclaim(c echo.Context) error {
	id := c.Param("id")
	err := con.api.do(c, call{method: http.MethodPost, path: "/v1/tasks/" + url.PathEscape(id) + "/unclaim", body: map[string]any{}}, nil)
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, Prefix+"/inbox?done=unclaimed")
}
