package console_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/internal/testenv"
)

// consolePages are every page a signed-in person may ask for with GET.
var consolePages = []string{"/ui/inbox", "/ui/inbox?view=approvals", "/ui/tasks/cs_x-t1", "/ui/cases/cs_x",
	"/ui/cases/cs_x/events.csv", "/ui/incidents", "/ui/reports", "/ui/reports.csv", "/ui/messages", "/ui/preemptive"}

// consoleActions are every form a signed-in person may send.
var consoleActions = []string{"/ui/signout", "/ui/tasks/cs_x-t1/claim", "/ui/tasks/cs_x-t1/unclaim", "/ui/tasks/cs_x-t1/check",
	"/ui/tasks/cs_x-t1/complete", "/ui/cases/cs_x/notes", "/ui/cases/cs_x/reclassify", "/ui/cases/cs_x/close",
	"/ui/incidents/cs_x-i1/retry", "/ui/incidents/cs_x-i1/skip", "/ui/incidents/retry",
	"/ui/messages/bm-x/answer", "/ui/messages/bm-x/escalate", "/ui/messages/batch-answer", "/ui/preemptive/pt-x/complete"}

func TestNoSessionSignsInFirst(t *testing.T) {
	b := newBrowserless(t)
	for _, path := range consolePages {
		p := b.get(path)
		want := "/ui/signin?next=" + url.QueryEscape(path)
		if p.Status != http.StatusSeeOther || p.Location != want {
			t.Errorf("GET %s without a session: %d → %q, want 303 → %q", path, p.Status, p.Location, want)
		}
	}
	for _, path := range consoleActions {
		if p := b.post(path, nil); p.Status != http.StatusSeeOther || p.Location != "/ui/signin" {
			t.Errorf("POST %s without a session: %d → %q, want 303 → /ui/signin", path, p.Status, p.Location)
		}
	}
}

func TestFormsWithoutCSRFTokenAreForbidden(t *testing.T) {
	b := signIn(t, agent)
	for _, path := range append(consoleActions, "/ui/signin", "/ui/prefs") {
		p := b.do(http.MethodPost, path, url.Values{"token": {agent}, "reason": {"x"}})
		if p.Status != http.StatusForbidden {
			t.Errorf("POST %s without a CSRF token: %d, want 403", path, p.Status)
		}
	}
	// A browser that says the form came from another site is refused even with the token.
	p := b.do(http.MethodPost, "/ui/tasks/cs_x-t1/claim", url.Values{"_csrf": {b.csrf("/ui/inbox")}}, "Sec-Fetch-Site", "cross-site")
	if p.Status != http.StatusForbidden {
		t.Errorf("cross-site form: %d, want 403", p.Status)
	}
}

func TestSignInSessionCookie(t *testing.T) {
	b := newBrowserless(t)
	if p := b.post("/ui/signin", url.Values{"token": {"not-a-token"}}); p.Status != http.StatusUnauthorized || !strings.Contains(p.Body, "not valid") {
		t.Errorf("bad token: %d %.200s", p.Status, p.Body)
	}
	p := b.post("/ui/signin", url.Values{"token": {agent}, "next": {"/ui/incidents"}})
	if p.Status != http.StatusSeeOther || p.Location != "/ui/incidents" {
		t.Fatalf("sign in: %d → %q", p.Status, p.Location)
	}
	cookie := sessionCookieOf(p)
	for _, attr := range []string{"redress_session=", "Path=/ui", "HttpOnly", "SameSite=Lax"} {
		if !strings.Contains(cookie, attr) {
			t.Errorf("session cookie %q lacks %s", cookie, attr)
		}
	}
	if strings.Contains(cookie, "; Secure") {
		t.Errorf("session cookie over plain HTTP is Secure: %q", cookie)
	}
	if strings.Contains(p.Body+cookie, agent) {
		t.Error("the API token reached the browser")
	}
	// Only paths inside the console are followed after sign-in.
	if p := b.post("/ui/signin", url.Values{"token": {agent}, "next": {"//evil.example/ui/x"}}); p.Location != "/ui/inbox" {
		t.Errorf("open redirect: → %q", p.Location)
	}

	behindTLS := newBrowserless(t)
	form := url.Values{"token": {agent}, "_csrf": {behindTLS.csrf("/ui/signin")}}
	p = behindTLS.do(http.MethodPost, "/ui/signin", form, "X-Forwarded-Proto", "https")
	if c := sessionCookieOf(p); !strings.Contains(c, "; Secure") {
		t.Errorf("session cookie behind TLS is not Secure: %q", c)
	}

	// Signing out ends the session on the server, not only in this browser.
	if p := b.post("/ui/signout", nil); p.Status != http.StatusSeeOther {
		t.Fatalf("sign out: %d", p.Status)
	}
	if p := b.get("/ui/inbox"); p.Status != http.StatusSeeOther || !strings.HasPrefix(p.Location, "/ui/signin") {
		t.Errorf("after sign-out: %d → %q", p.Status, p.Location)
	}
}

// TestRolesFollowTheAPIMatrix: each role reaches what the API lets it call,
// and nothing more.
func TestRolesFollowTheAPIMatrix(t *testing.T) {
	caseID := openCase(t, cases.MercadoLibre, "1001", "Llegó roto, muy mala calidad")
	// The case reaches the index where it first waits (for the buyer or a person).
	if _, err := stack.WaitCase(context.Background(), manager, caseID, func(testenv.CaseView) bool { return true }); err != nil {
		t.Fatal(err)
	}
	ag, mg, bot := signIn(t, agent), signIn(t, manager), signIn(t, robot)

	forbidden := func(b *browserless, who, method, path string, form url.Values) {
		t.Helper()
		var p page
		if method == http.MethodGet {
			p = b.get(path)
		} else {
			p = b.post(path, form)
		}
		if p.Status != http.StatusForbidden {
			t.Errorf("%s %s %s: %d, want 403: %.200s", who, method, path, p.Status, p.Body)
		}
	}
	allowed := func(b *browserless, who, path string) {
		t.Helper()
		if p := b.get(path); p.Status != http.StatusOK {
			t.Errorf("%s GET %s: %d, want 200: %.300s", who, path, p.Status, p.Body)
		}
	}

	// Agents: their inbox, cases and incidents; no approvals, reports or manager actions.
	allowed(ag, "agent", "/ui/inbox")
	allowed(ag, "agent", "/ui/cases/"+caseID)
	allowed(ag, "agent", "/ui/incidents")
	forbidden(ag, "agent", http.MethodGet, "/ui/inbox?view=approvals", nil)
	forbidden(ag, "agent", http.MethodGet, "/ui/reports", nil)
	forbidden(ag, "agent", http.MethodGet, "/ui/reports.csv", nil)
	forbidden(ag, "agent", http.MethodPost, "/ui/cases/"+caseID+"/close", url.Values{"reason": {"dup"}})
	forbidden(ag, "agent", http.MethodPost, "/ui/incidents/"+caseID+"-i1/retry", nil)
	forbidden(ag, "agent", http.MethodPost, "/ui/incidents/"+caseID+"-i1/skip", url.Values{"reason": {"x"}})
	forbidden(ag, "agent", http.MethodPost, "/ui/incidents/retry", url.Values{"id": {caseID + "-i1"}})
	if p := ag.get("/ui/cases/" + caseID); strings.Contains(p.Body, "/close") || strings.Contains(p.Body, "/ui/reports") {
		t.Error("the case page offers an agent a manager's action")
	}

	// Managers: all of it.
	for _, path := range []string{"/ui/inbox", "/ui/inbox?view=approvals", "/ui/cases/" + caseID, "/ui/incidents", "/ui/reports"} {
		allowed(mg, "manager", path)
	}
	if p := mg.get("/ui/reports.csv"); p.Status != http.StatusOK || !strings.HasPrefix(p.Header.Get("Content-Type"), "text/csv") {
		t.Errorf("manager report CSV: %d %s", p.Status, p.Header.Get("Content-Type"))
	}
	if p := mg.get("/ui/cases/" + caseID + "/events.csv"); p.Status != http.StatusOK || !strings.Contains(p.Body, "case_opened") {
		t.Errorf("manager events CSV: %d %.200s", p.Status, p.Body)
	}

	// Automations: incidents only.
	allowed(bot, "automation", "/ui/incidents")
	forbidden(bot, "automation", http.MethodGet, "/ui/inbox", nil)
	forbidden(bot, "automation", http.MethodGet, "/ui/reports", nil)
	forbidden(bot, "automation", http.MethodPost, "/ui/cases/"+caseID+"/notes", url.Values{"text": {"x"}})
}

func TestLanguageAndZone(t *testing.T) {
	b := newBrowserless(t)
	p := b.do(http.MethodGet, "/ui/signin", nil, "Accept-Language", "zh-CN,zh;q=0.9,en;q=0.5")
	if !strings.Contains(p.Body, `lang="zh-CN"`) || !strings.Contains(p.Body, "登录") {
		t.Errorf("Accept-Language zh-CN: %.300s", p.Body)
	}
	// A chosen language wins over the browser's.
	if p := b.post("/ui/prefs", url.Values{"lang": {"en"}, "tz": {"Asia/Shanghai"}}); p.Status != http.StatusSeeOther {
		t.Fatalf("save prefs: %d %.200s", p.Status, p.Body)
	}
	p = b.do(http.MethodGet, "/ui/signin", nil, "Accept-Language", "zh-CN")
	if !strings.Contains(p.Body, `lang="en"`) || !strings.Contains(p.Body, "Sign in") {
		t.Errorf("chosen English: %.300s", p.Body)
	}
	if p := b.post("/ui/prefs", url.Values{"tz": {"Mars/Olympus"}}); p.Status != http.StatusBadRequest {
		t.Errorf("unknown zone: %d", p.Status)
	}
}

func sessionCookieOf(p page) string {
	for _, c := range p.Header.Values("Set-Cookie") {
		if strings.HasPrefix(c, "redress_session=") {
			return c
		}
	}
	return ""
}
