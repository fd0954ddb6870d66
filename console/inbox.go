package console

import (
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
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
	Filter inboxFilter
	// Rows are the table's rows, written by inboxRows; Count how many.
	Rows         template.HTML
	Count        int
	Marketplaces []cases.Marketplace
	Kinds        []cases.TaskKind
	Priorities   []string
}

type inboxRow struct {
	cases.Task
	Mine    bool
	Overdue bool
}

// inboxRows writes the inbox's table rows. A page holds up to 400 of them
// and the template engine, calling labels, times and escapers by reflection
// for every cell, took most of the page's server time over a full inbox
// (bench P7); written here they cost a fraction, with the same markup and
// every value HTML-escaped.
func inboxRows(v *view, rows []inboxRow) template.HTML {
	esc := template.HTMLEscapeString
	due, task, kase, shop, holder := esc(v.T("inbox.due")), esc(v.T("inbox.task")), esc(v.T("inbox.case")), esc(v.T("inbox.shop")), esc(v.T("inbox.holder"))
	me, nobody, claim, open := esc(v.T("inbox.me")), esc(v.T("inbox.nobody")), esc(v.T("inbox.claim")), esc(v.T("inbox.open"))
	csrf := esc(v.CSRF)
	var b strings.Builder
	b.Grow(len(rows) * 1200)
	for _, r := range rows {
		id, caseID := esc(r.ID), esc(r.CaseID)
		taskURL := "/ui/tasks/" + esc(url.PathEscape(r.ID))
		kind := esc(v.Label("kind", r.Kind))
		b.WriteString("\n<tr class=\"prio-" + strconv.Itoa(int(r.Priority)))
		if r.Overdue {
			b.WriteString(" overdue")
		}
		if r.Mine {
			b.WriteString(" mine")
		}
		b.WriteString("\" data-task=\"" + id + "\">\n  <td data-label=\"" + due + "\">")
		if r.DueAt != nil {
			b.WriteString("<span class=\"countdown\" data-due=\"" + r.DueAt.UTC().Format(time.RFC3339) + "\"></span>")
		}
		b.WriteString("<br><small>" + string(v.Time(r.DueAt)) + "</small></td>\n")
		b.WriteString("  <td data-label=\"" + task + "\"><a href=\"" + taskURL + "\">" + kind + "</a>")
		if r.Priority > 0 {
			p := strconv.Itoa(int(r.Priority))
			b.WriteString(" <span class=\"badge prio-" + p + "\">" + esc(v.Label("priority", r.Priority)) + "</span>")
		}
		b.WriteString("</td>\n")
		b.WriteString("  <td data-label=\"" + kase + "\"><a href=\"/ui/cases/" + esc(url.PathEscape(r.CaseID)) + "\">" + caseID + "</a></td>\n")
		b.WriteString("  <td data-label=\"" + shop + "\">" + esc(v.Label("marketplace", r.Marketplace)) + " · " + esc(r.ShopID) + "</td>\n")
		b.WriteString("  <td data-label=\"" + holder + "\">")
		switch {
		case r.Mine:
			b.WriteString("<strong>" + me + "</strong>")
		case r.Assignee != "":
			b.WriteString(esc(r.Assignee))
		default:
			b.WriteString("<span class=\"muted\">" + nobody + "</span>")
		}
		b.WriteString("</td>\n  <td>")
		if r.Status == cases.TaskOpen {
			b.WriteString("<form method=\"post\" action=\"" + taskURL + "/claim\"><input type=\"hidden\" name=\"_csrf\" value=\"" + csrf +
				"\"><button type=\"submit\" class=\"primary\" aria-label=\"" + claim + " " + kind + " " + caseID + "\">" + claim + "</button></form>")
		} else {
			b.WriteString("<a class=\"button\" href=\"" + taskURL + "\">" + open + "</a>")
		}
		b.WriteString("</td>\n</tr>")
	}
	return template.HTML(b.String())
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
	v := inboxView{Filter: f, Marketplaces: cases.Marketplaces, Kinds: cases.TaskKinds,
		Priorities: []string{"0", "1", "2"}}
	v.Rows, v.Count = inboxRows(con.newView(c, nil), rows), len(rows)
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
