package console_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/internal/testenv"
)

// browser is one headless Chromium tab driven over the real stack.
type browser struct {
	t   *testing.T
	ctx context.Context
	// shots is where screenshots go (git-ignored).
	shots string
}

func newBrowser(t *testing.T) *browser {
	t.Helper()
	path, err := chromiumPath()
	if err != nil {
		t.Fatalf("the console's browser tests need Chromium (scripts/test.sh installs Debian's chromium): %v", err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.WindowSize(1280, 900))
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(allocCtx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 4*time.Minute)
	t.Cleanup(func() { cancelTimeout(); cancelTab(); cancelAlloc() })

	shots := os.Getenv("REDRESS_SCREENSHOTS")
	if shots == "" {
		shots = filepath.Join("..", ".data", "screenshots")
	}
	if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}
	abs, _ := filepath.Abs(shots)
	t.Logf("screenshots: %s", abs)
	fmt.Fprintf(os.Stderr, "console screenshots: %s\n", abs)
	return &browser{t: t, ctx: ctx, shots: abs}
}

func chromiumPath() (string, error) {
	if p := os.Getenv("CHROMIUM"); p != "" {
		return p, nil
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("no chromium, chromium-browser or google-chrome in PATH")
}

// do runs steps and fails the test, with a screenshot, when one fails.
func (b *browser) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, steps...); err != nil {
		b.shot("failed-" + strings.ReplaceAll(what, " ", "-"))
		b.t.Fatalf("%s: %v", what, err)
	}
}

func (b *browser) open(path string) {
	b.t.Helper()
	b.do("open "+path, chromedp.Navigate(stack.URL+path), chromedp.WaitReady(chromedp.CSS("body")))
}

// click clicks and waits for the page it leads to to show want. Each step
// is retried when the page changed under it (the inbox's refresh replaced
// the node before the click, or a navigation destroyed the frame mid-wait):
// a click that failed that way never reached the page, so it is not repeated
// after it did.
func (b *browser) click(sel, want string) {
	b.t.Helper()
	b.retry("click "+sel, chromedp.Click(chromedp.CSS(sel)))
	b.retry("wait for "+want, chromedp.WaitVisible(chromedp.CSS(want)))
}

func (b *browser) retry(what string, step chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	for attempt := 1; ; attempt++ {
		err := chromedp.Do(b.ctx, step)
		if err == nil {
			return
		}
		if attempt < 4 && pageChangedUnder(err) {
			time.Sleep(300 * time.Millisecond)
			continue
		}
		b.shot("failed-" + strings.ReplaceAll(what, " ", "-"))
		b.t.Fatalf("%s: %v", what, err)
	}
}

// pageChangedUnder reports the DevTools errors of a node or frame that went
// away between finding and using it.
func pageChangedUnder(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "No node with given id") || strings.Contains(msg, "Cannot find context with specified id") ||
		strings.Contains(msg, "Node is detached") || strings.Contains(msg, "Could not find node with given id")
}

func (b *browser) text(sel string) string {
	b.t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		b.shot("failed-text")
		b.t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}

func (b *browser) expect(sel, want string) {
	b.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		got := b.text(sel)
		if strings.Contains(got, want) {
			return
		}
		if time.Now().After(deadline) {
			b.shot("failed-expect")
			b.t.Fatalf("%s shows %q, want it to contain %q", sel, got, want)
		}
		time.Sleep(300 * time.Millisecond)
	}
}

// shot saves a full-page screenshot named for the step.
func (b *browser) shot(name string) {
	png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Logf("screenshot %s: %v", name, err)
		return
	}
	path := filepath.Join(b.shots, name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		b.t.Logf("screenshot %s: %v", name, err)
	}
}

func (b *browser) signIn(token string) {
	b.t.Helper()
	b.open("/ui/inbox")
	b.do("sign in", chromedp.WaitVisible(chromedp.ID("token")), chromedp.SendKeys(chromedp.ID("token"), token))
	b.click(`form[action="/ui/signin"] button[type=submit]`, "nav")
}

func (b *browser) signOut() {
	b.t.Helper()
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
	b.do("sign-in page", chromedp.WaitVisible(chromedp.ID("token")))
	b.shot("01-signin")
	b.signIn(agent)

	// Inbox: the verification is there with its countdown; one click claims it.
	row := fmt.Sprintf(`tr[data-task=%q]`, verify.ID)
	b.do("inbox row", chromedp.WaitVisible(chromedp.CSS(row)))
	b.expect(row+" .countdown", "left")
	b.shot("02-inbox")
	b.click(row+" button[type=submit]", ".flash")
	b.expect("main", "Verify")
	b.expect(".pagehead", "me")
	b.shot("03-task-verify")

	// Verify: responsibility, evidence checked, findings.
	b.do("fill verification",
		chromedp.Click(chromedp.ID("resp-merchant")), chromedp.Click(chromedp.ID("ev-order")), chromedp.Click(chromedp.ID("ev-tracking")),
		chromedp.SendKeys(chromedp.ID("findings"), "QC log shows a faulty batch"))
	b.click(`form.task-form button.primary[type=submit]`, ".flash")
	b.expect(".flash", "Task completed")

	// Choose a remedy: a full refund is above the approval limit.
	choose := waitTask(t, caseID, cases.TaskChooseRemedy)
	b.open("/ui/tasks/" + choose.ID)
	b.click(`.pagehead form[action$="/claim"] button`, ".flash")
	b.do("pick refund", chromedp.Click(chromedp.ID("rem-refund_no_return")))
	b.expect(`label[for="rem-refund_no_return"]`, "120.00 ARS")
	b.expect(`label[for="rem-refund_no_return"]`, "needs approval")

	// The guard refuses a coupon offered for a better review as it is typed.
	bad := "Le reembolsamos todo y le damos un cupón si cambia su reseña a 5 estrellas"
	b.do("type the offer", chromedp.SendKeys(chromedp.ID("message"), bad))
	b.do("verdict", chromedp.WaitVisible(chromedp.CSS("#verdict .verdict.refuse")))
	b.expect("#verdict", "review_conditioned_remedy")
	b.shot("04-task-remedy-guard-refuses")

	// Sent anyway, the case's validator refuses it too, inline, with the reason.
	b.click(`form.task-form button.primary[type=submit]`, ".refusal")
	b.expect(".refusal", "guard_rejected")
	b.shot("05-task-remedy-refused")

	// A text the guard is unsure about is not refused: the verdict says it
	// will go to a manager for approval instead of being sent, and why.
	unsure := "Le reembolsamos el importe completo y le sumamos puntos."
	// (The draft is set, then its last key typed, which makes the page ask
	// the guard: clearing a textarea once typed in leaves its value.)
	b.do("type an unsure text", chromedp.SetValue(chromedp.ID("message"), strings.TrimSuffix(unsure, ".")), chromedp.SendKeys(chromedp.ID("message"), "."),
		chromedp.WaitVisible(chromedp.CSS("#verdict .verdict.review")))
	b.expect("#verdict", "manager for approval")
	b.expect("#verdict", "review_conditioned_remedy")
	b.expect("#verdict", "puntos")
	b.shot("05b-task-remedy-guard-approval")
	good := "Lamentamos mucho lo ocurrido. Le reembolsamos el importe completo y puede quedarse con el producto."
	b.do("correct the offer", chromedp.SetValue(chromedp.ID("message"), strings.TrimSuffix(good, ".")), chromedp.SendKeys(chromedp.ID("message"), "."),
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
	b.do("approval row", chromedp.WaitVisible(chromedp.CSS(arow)))
	b.shot("06-approvals")
	b.click(arow+" button[type=submit]", ".approval")
	b.expect(".approval", "120.00 ARS")
	b.expect(".approval", "50.00 ARS")
	b.shot("07-task-approve")
	b.do("reason", chromedp.SendKeys(chromedp.ID("reason"), "faulty batch confirmed"))
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
	b.shot("08-case")

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
	b.shot("09-incidents")
	b.do("open retry", chromedp.Click(chromedp.CSS(card+" details summary")), chromedp.WaitVisible(chromedp.CSS(card+" textarea[name=params]")))
	b.do("reason", chromedp.SendKeys(chromedp.CSS(card+` form[action$="/retry"] input[name=reason]`), "mediation over"))
	b.click(card+` form[action$="/retry"] button[type=submit]`, ".flash")
	b.expect(".flash", "Retry sent")
	if _, err := stack.WaitIncident(context.Background(), manager, incCase, cases.IncidentResolved); err != nil {
		t.Fatalf("incident %s was not resolved by the retry: %v", inc.ID, err)
	}

	b.open("/ui/reports")
	b.do("charts", chromedp.WaitVisible(chromedp.CSS("svg.bars")))
	b.expect("main", "SLA")
	b.shot("10-reports")

	// On a phone, in Simplified Chinese.
	b.do("phone", chromedp.EmulateViewport(390, 844))
	b.open("/ui/prefs")
	b.do("choose Chinese", chromedp.SetValue(chromedp.ID("lang"), "zh"))
	b.click(`form[action="/ui/prefs"] button[type=submit]`, ".flash")
	b.expect(".flash", "偏好已保存")
	b.open("/ui/inbox")
	b.expect("h1", "任务收件箱")
	b.shot("11-inbox-phone-zh")
	b.open("/ui/cases/" + caseID)
	b.expect("ol.audit", "方案已批准")
	b.shot("12-case-phone-zh")
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
