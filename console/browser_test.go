package console_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/redress-hq/redress/internal/testbrowser"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/internal/testenv"
)

// browser is one headless Chromium tab driven over the real stack.
type browser struct{ *testbrowser.Browser }

func newBrowser(t *testing.T) *browser {
	t.Helper()
	b := testbrowser.New(t, testbrowser.Options{})
	t.Logf("screenshots: %s", b.Shots)
	fmt.Fprintf(os.Stderr, "console screenshots: %s\n", b.Shots)
	return &browser{b}
}

func (b *browser) open(path string) {
	b.T.Helper()
	b.Do("open "+path, chromedp.Navigate(stack.URL+path), chromedp.WaitReady(chromedp.CSS("body")))
}

// click clicks and waits for the page it leads to to show want. Each step
// is retried when the page changed under it (the inbox's refresh replaced
// the node before the click, or a navigation destroyed the frame mid-wait):
// a click that failed that way never reached the page, so it is not repeated
// after it did.
func (b *browser) click(sel, want string) {
	b.T.Helper()
	b.retry("click "+sel, chromedp.Click(chromedp.CSS(sel)))
	b.retry("wait for "+want, chromedp.WaitVisible(chromedp.CSS(want)))
}

func (b *browser) retry(what string, step chromedp.Action[chromedp.Void]) {
	b.T.Helper()
	for attempt := 1; ; attempt++ {
		err := chromedp.Do(b.Ctx, step)
		if err == nil {
			return
		}
		if attempt < 4 && pageChangedUnder(err) {
			time.Sleep(300 * time.Millisecond)
			continue
		}
		b.Shot("failed-" + strings.ReplaceAll(what, " ", "-"))
		b.T.Fatalf("%s: %v", what, err)
	}
}

// pageChangedUnder reports the DevTools errors of a node or frame that went
// away between finding and using it.
func pageChangedUnder(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "No node with given id") || strings.Contains(msg, "Cannot find context with specified id") ||
		strings.Contains(msg, "Node is detached") || strings.Contains(msg, "Could not find node with given id")
}

// text reads sel's text. A page that a submitted form is replacing can
// lose the node between finding and reading it: that read is tried again.
func (b *browser) text(sel string) string {
	b.T.Helper()
	for attempt := 1; ; attempt++ {
		s, err := chromedp.Run(b.Ctx, chromedp.Text(chromedp.CSS(sel)))
		if err == nil {
			return s
		}
		if attempt < 4 && pageChangedUnder(err) {
			time.Sleep(300 * time.Millisecond)
			continue
		}
		b.Shot("failed-text")
		b.T.Fatalf("text of %s: %v", sel, err)
	}
}

func (b *browser) expect(sel, want string) {
	b.T.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		got := b.text(sel)
		if strings.Contains(got, want) {
			return
		}
		if time.Now().After(deadline) {
			b.Shot("failed-expect")
			b.T.Fatalf("%s shows %q, want it to contain %q", sel, got, want)
		}
		time.Sleep(300 * time.Millisecond)
	}
}

func (b *browser) signIn(token string) {
	b.T.Helper()
	b.open("/ui/inbox")
	b.Do("sign in", chromedp.WaitVisible(chromedp.ID("token")), chromedp.SendKeys(chromedp.ID("token"), token))
	b.click(`form[action="/ui/signin"] button[type=submit]`, "nav")
}

func (b *browser) signOut() {
	b.T.Helper()
	b.click(`form[action="/ui/signout"] button`, "#token")
}

// TestConsoleInChromium drives one Mercado Libre case through the console as
// an agent and a manager would: claim and complete the verification, pick a
// costly remedy while the guard refuses a review-for-coupon message before it
// is sent (and says an unsure one would go to a manager for approval), approve as the manager, and read every step on the case's
// timeline; then retry an incident and open the weekly report.
func TestConsoleInChromium(t *testing.T) {
	caseID := openCase(t, cases.MercadoLibre, "1001", "Dejó de funcionar al segundo día, muy mala calidad")
	buyerAnswers(t, caseID)
	verify := waitTask(t, caseID, cases.TaskVerify)

	b := newBrowser(t)
	b.open("/ui/inbox")
	b.Do("sign-in page", chromedp.WaitVisible(chromedp.ID("token")))
	b.Shot("01-signin")
	b.signIn(agent)

	// Inbox: the verification is there with its countdown; one click claims it.
	row := fmt.Sprintf(`tr[data-task=%q]`, verify.ID)
	b.Do("inbox row", chromedp.WaitVisible(chromedp.CSS(row)))
	b.expect(row+" .countdown", "left")
	b.Shot("02-inbox")
	b.click(row+" button[type=submit]", ".flash")
	b.expect("main", "Verify")
	b.expect(".pagehead", "me")
	b.Shot("03-task-verify")

	// Verify: responsibility, evidence checked, findings.
	b.Do("fill verification",
		chromedp.Click(chromedp.ID("resp-merchant")), chromedp.Click(chromedp.ID("ev-order")), chromedp.Click(chromedp.ID("ev-tracking")),
		chromedp.SendKeys(chromedp.ID("findings"), "QC log shows a faulty batch"))
	b.click(`form.task-form button.primary[type=submit]`, ".flash")
	b.expect(".flash", "Task completed")

	// Choose a remedy: a full refund is above the approval limit.
	choose := waitTask(t, caseID, cases.TaskChooseRemedy)
	b.open("/ui/tasks/" + choose.ID)
	b.click(`.pagehead form[action$="/claim"] button`, ".flash")
	b.Do("pick refund", chromedp.Click(chromedp.ID("rem-refund_no_return")))
	b.expect(`label[for="rem-refund_no_return"]`, "120.00 ARS")
	b.expect(`label[for="rem-refund_no_return"]`, "needs approval")

	// The guard refuses a coupon offered for a better review as it is typed.
	bad := "Le reembolsamos todo y le damos un cupón si cambia su reseña a 5 estrellas"
	b.Do("type the offer", chromedp.SendKeys(chromedp.ID("message"), bad))
	b.Do("verdict", chromedp.WaitVisible(chromedp.CSS("#verdict .verdict.refuse")))
	b.expect("#verdict", "review_conditioned_remedy")
	b.Shot("04-task-remedy-guard-refuses")

	// Sent anyway, the case's validator refuses it too, inline, with the reason.
	b.click(`form.task-form button.primary[type=submit]`, ".refusal")
	b.expect(".refusal", "guard_rejected")
	b.Shot("05-task-remedy-refused")

	// A text the guard is unsure about is not refused: the verdict says it
	// will go to a manager for approval instead of being sent, and why.
	unsure := "Le reembolsamos el importe completo y le sumamos puntos."
	// (The draft is set, then its last key typed, which makes the page ask
	// the guard: clearing a textarea once typed in leaves its value.)
	b.Do("type an unsure text", chromedp.SetValue(chromedp.ID("message"), strings.TrimSuffix(unsure, ".")), chromedp.SendKeys(chromedp.ID("message"), "."),
		chromedp.WaitVisible(chromedp.CSS("#verdict .verdict.review")))
	b.expect("#verdict", "manager for approval")
	b.expect("#verdict", "review_conditioned_remedy")
	b.expect("#verdict", "puntos")
	b.Shot("05b-task-remedy-guard-approval")
	good := "Lamentamos mucho lo ocurrido. Le reembolsamos el importe completo y puede quedarse con el producto."
	b.Do("correct the offer", chromedp.SetValue(chromedp.ID("message"), strings.TrimSuffix(good, ".")), chromedp.SendKeys(chromedp.ID("message"), "."),
		chromedp.WaitVisible(chromedp.CSS("#verdict .verdict.pass")))
	b.click(`form.task-form button.primary[type=submit]`, ".flash")

	// An agent cannot open the approval.
	approve := waitTask(t, caseID, cases.TaskApproveRemedy)
	b.open("/ui/tasks/" + approve.ID)
	b.expect("h1", "403")
	b.signOut()

	// The manager approves, seeing what and why.
	b.signIn(manager)
	b.open("/ui/inbox?view=approvals")
	arow := fmt.Sprintf(`tr[data-task=%q]`, approve.ID)
	b.Do("approval row", chromedp.WaitVisible(chromedp.CSS(arow)))
	b.Shot("06-approvals")
	b.click(arow+" button[type=submit]", ".approval")
	b.expect(".approval", "120.00 ARS")
	b.expect(".approval", "50.00 ARS")
	b.Shot("07-task-approve")
	b.Do("reason", chromedp.SendKeys(chromedp.ID("reason"), "faulty batch confirmed"))
	b.click(`button[name=decision][value=approve]`, ".flash")

	// The case's timeline shows every step, who did it and when.
	if _, err := stack.WaitCase(context.Background(), manager, caseID, func(v testenv.CaseView) bool {
		return v.Case.Remedy == cases.RemedyRefundNoReturn && v.Case.Stage != cases.StageApproval
	}); err != nil {
		t.Fatal(err)
	}
	waitEvents(t, caseID, "remedy_approved")
	b.open("/ui/cases/" + caseID)
	for _, step := range []string{"case opened", "buyer replied", "task created", "task claimed", "task completed", "verified", "remedy chosen", "remedy approved"} {
		b.expect("ol.audit", step)
	}
	b.expect("ol.audit", "refund_no_return")
	b.expect("ol.audit", "faulty batch confirmed")
	b.expect("ol.audit", `"evidence_checked":["order","tracking"]`)
	b.expect("ol.audit", "console-agent") // the agent's token name, as recorded
	b.expect(".pagehead", "Workflow in Temporal")
	b.Shot("08-case")

	// Incidents: a message the platform refused, retried once the conversation reopened.
	order := addReview(t, cases.EBay, "demo-seller", "The seller never answered and the item broke")
	if err := stack.Simulator.CloseMessaging(cases.EBay, order.Order, "mediation"); err != nil {
		t.Fatal(err)
	}
	incCase := postReview(t, order)
	inc, err := stack.WaitIncident(context.Background(), manager, incCase, cases.IncidentOpen)
	if err != nil {
		t.Fatal(err)
	}
	if err := stack.Simulator.CloseMessaging(cases.EBay, order.Order, ""); err != nil {
		t.Fatal(err)
	}
	b.open("/ui/incidents?case_id=" + incCase)
	card := "#inc-" + inc.ID
	b.expect(card, "send_buyer_message")
	b.expect(card+" .error-msg", inc.Message[:min(len(inc.Message), 20)])
	b.Shot("09-incidents")
	b.Do("open retry", chromedp.Click(chromedp.CSS(card+" details summary")), chromedp.WaitVisible(chromedp.CSS(card+" textarea[name=params]")))
	b.Do("reason", chromedp.SendKeys(chromedp.CSS(card+` form[action$="/retry"] input[name=reason]`), "mediation over"))
	b.click(card+` form[action$="/retry"] button[type=submit]`, ".flash")
	b.expect(".flash", "Retry sent")
	if _, err := stack.WaitIncident(context.Background(), manager, incCase, cases.IncidentResolved); err != nil {
		t.Fatalf("incident %s was not resolved by the retry: %v", inc.ID, err)
	}

	b.open("/ui/reports")
	b.Do("charts", chromedp.WaitVisible(chromedp.CSS("svg.bars")))
	b.expect("main", "SLA")
	b.Shot("10-reports")

	// On a phone, in Simplified Chinese.
	b.Do("phone", chromedp.EmulateViewport(390, 844))
	b.open("/ui/prefs")
	b.Do("choose Chinese", chromedp.SetValue(chromedp.ID("lang"), "zh"))
	b.click(`form[action="/ui/prefs"] button[type=submit]`, ".flash")
	b.expect(".flash", "偏好已保存")
	b.open("/ui/inbox")
	b.expect("h1", "任务收件箱")
	b.Shot("11-inbox-phone-zh")
	b.open("/ui/cases/" + caseID)
	b.expect("ol.audit", "方案已批准")
	b.Shot("12-case-phone-zh")
}

// waitEvents waits until the case's audit trail holds every event type.
func waitEvents(t *testing.T, caseID string, types ...string) {
	t.Helper()
	err := testenv.Eventually(context.Background(), testenv.WaitTimeout, func() (bool, error) {
		events, err := stack.Events(context.Background(), manager, caseID)
		if err != nil {
			return false, err
		}
		seen := map[string]bool{}
		for _, e := range events {
			seen[string(e.Type)] = true
		}
		for _, typ := range types {
			if !seen[typ] {
				return false, nil
			}
		}
		return true, nil
	})
	if err != nil {
		t.Fatalf("case %s never recorded %v: %v", caseID, types, err)
	}
}
