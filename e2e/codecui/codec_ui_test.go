package codecui

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	commonpb "go.temporal.io/api/common/v1"
	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/api/proxy"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"
	"google.golang.org/protobuf/proto"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/internal/payloadcrypt"
	"github.com/redress-hq/redress/internal/testenv"
	"github.com/redress-hq/redress/simulator"
	"github.com/redress-hq/redress/workflows"
)

const (
	buyerName = "Zenobia Quarrington"
	review    = "Tostadora XQZV llegó quemada"
	// encryptedMark is how the UI shows a payload it could not decode: its
	// metadata as stored, base64 ("binary/encrypted").
	encryptedMark = "YmluYXJ5L2VuY3J5cHRlZA=="
)

// TestTemporalUIShowsBuyersDataToTheirManagersOnly opens a real case's
// history in the Temporal Web UI (the dev server's, pointed at the codec
// server with --ui-codec-endpoint) in headless Chromium. A manager of the
// case's organisation signs in on the codec server's /session page, turns on
// "Include cross-origin credentials" in the UI's codec settings as the docs
// say, and reads the buyer's name and review decrypted; a browser without a
// session, one holding an agent's token, and a manager of another
// organisation see the payload encrypted, and the codec server logs each
// refusal. The raw history holds neither in clear, every payload of the
// case names its organisation, and the history replays on a worker
// configured as production's.
func TestTemporalUIShowsBuyersDataToTheirManagersOnly(t *testing.T) {
	ctx := context.Background()
	token := func(name, role string, org string) string {
		body := map[string]string{"name": name, "role": role}
		if org != "" {
			body["org_id"] = org
		}
		r, err := stack.Do(ctx, http.MethodPost, "/v1/tokens", testenv.AdminToken, body)
		if err != nil || r.Status != http.StatusCreated {
			t.Fatalf("token %s: %v %d %s", name, err, r.Status, r.Body)
		}
		return r.Map()["token"].(string)
	}
	if r, err := stack.Do(ctx, http.MethodPost, "/v1/organisations", testenv.AdminToken,
		map[string]string{"id": "acme", "name": "Acme"}); err != nil || r.Status != http.StatusCreated {
		t.Fatalf("organisation: %v %d %s", err, r.Status, r.Body)
	}
	manager, agent := token("maria-manager", "manager", ""), token("arturo-agent", "agent", "")
	robot, acmeManager := token("intake-robot", "automation", ""), token("acme-manager", "manager", "acme")

	wid, runID := openCase(t, robot)
	checkRawHistory(t, wid, "default", "Zenobia", "Quarrington", "XQZV", "quemada")

	t.Run("manager of the case's organisation reads it decrypted", func(t *testing.T) {
		b := newBrowser(t, "manager")
		b.signIn(manager, "Signed in as maria-manager")
		b.openHistory(wid, runID)
		// The dev server's UI calls the codec server without credentials.
		b.waitText(60*time.Second, encryptedMark)
		if strings.Contains(b.BodyText(), buyerName) {
			t.Fatal("decrypted without the session cookie")
		}
		b.useCodecWithCredentials(wid, runID)
		b.waitText(60*time.Second, buyerName)
		b.waitText(10*time.Second, review)
		b.Shot("decrypted")
		if !strings.Contains(codecLog.String(), `msg="codec server request" path=/decode caller=maria-manager role=manager org=default`) {
			t.Errorf("the codec server logged no decode by the manager:\n%s", codecLog.String())
		}
	})

	t.Run("no session", func(t *testing.T) {
		b := newBrowser(t, "nosession")
		b.openHistory(wid, runID)
		b.expectRefused(`reason="send Authorization: Bearer <token>" status=401 path=/decode caller="" role="" origin=`+uiURL, func() {
			b.useCodecWithCredentials(wid, runID)
		})
	})

	t.Run("agent", func(t *testing.T) {
		b := newBrowser(t, "agent")
		// The session page gives an agent no cookie.
		b.Do("session page", chromedp.Navigate(codecURL+"/session"), chromedp.WaitVisible(chromedp.CSS(`input[name=token]`)),
			chromedp.SendKeys(chromedp.CSS(`input[name=token]`), agent), chromedp.Click(chromedp.CSS(`form button`)))
		b.waitText(10*time.Second, "That token is not a manager's or an admin's.")
		waitLog(t, `reason="session for a token that is not a manager's or an admin's" path=/session caller=arturo-agent role=agent`, 0)
		// Nor does an agent's token in the cookie (set by hand) decode anything.
		httpOnly := true
		if _, err := chromedp.Call(b.Ctx, network.SetCookie, network.SetCookieParams{Name: "redress_codec", Value: agent,
			URL: codecURL, HTTPOnly: &httpOnly, SameSite: network.CookieSameSiteLax}); err != nil {
			t.Fatal(err)
		}
		b.openHistory(wid, runID)
		b.expectRefused(`reason="role agent may not do this" status=403 path=/decode caller=arturo-agent role=agent`, func() {
			b.useCodecWithCredentials(wid, runID)
		})
	})

	t.Run("manager of another organisation", func(t *testing.T) {
		b := newBrowser(t, "othermanager")
		b.signIn(acmeManager, "Signed in as acme-manager")
		b.openHistory(wid, runID)
		b.expectRefused(`msg="codec server refused" reason="not the caller's organisation" path=/decode caller=acme-manager role=manager org=acme`, func() {
			b.useCodecWithCredentials(wid, runID)
		})
	})
}

// TestPolledCaseNamesItsShopsOrganisation: Acme registers an eBay shop
// through the API; its poll schedule's run opens the case of a bad review
// (no webhook, no caller in between), and the case's payloads name Acme all
// the way from the schedule through the poll's activity: Acme's manager
// reads the buyer decrypted in the UI, the default organisation's does not.
func TestPolledCaseNamesItsShopsOrganisation(t *testing.T) {
	ctx := context.Background()
	const (
		ebayBuyer  = "Wilhelmina Oyelaran"
		ebayReview = "Kettle QWJX arrived dented"
	)
	if r, err := stack.Do(ctx, http.MethodPost, "/v1/organisations", testenv.AdminToken,
		map[string]string{"id": "bolt", "name": "Bolt"}); err != nil || r.Status != http.StatusCreated {
		t.Fatalf("organisation: %v %d %s", err, r.Status, r.Body)
	}
	token := func(name, role, org string) string {
		r, err := stack.Do(ctx, http.MethodPost, "/v1/tokens", testenv.AdminToken, map[string]string{"name": name, "role": role, "org_id": org})
		if err != nil || r.Status != http.StatusCreated {
			t.Fatalf("token %s: %v %d %s", name, err, r.Status, r.Body)
		}
		return r.Map()["token"].(string)
	}
	boltAdmin, boltManager := token("bolt-admin", "admin", "bolt"), token("bolt-manager", "manager", "bolt")
	defaultManager := token("dora-manager", "manager", "")

	rv, _, err := stack.Simulator.AddReview(simulator.NewReview{Platform: cases.EBay, ShopID: "demo-seller", Rating: 1,
		Text: ebayReview, BuyerID: "buyer-polled", BuyerName: ebayBuyer, Item: "Kettle",
		Amount: 5990, ShippingFee: 800, Currency: "USD", Courier: "USPS", TrackingNumber: "TN-polled"})
	if err != nil {
		t.Fatal(err)
	}
	r, err := stack.Do(ctx, http.MethodPost, "/v1/shops", boltAdmin, map[string]any{"marketplace": "ebay", "shop_id": "demo-seller",
		"display_name": "Bolt on eBay", "currency": "USD"})
	if err != nil || r.Status != http.StatusCreated {
		t.Fatalf("register the shop: %v %d %s", err, r.Status, r.Body)
	}
	id := cases.CaseIDFor(cases.EBay, "demo-seller", rv.ID)
	if _, err := stack.WaitCase(ctx, boltManager, id, func(testenv.CaseView) bool { return true }); err != nil {
		t.Fatalf("the poll did not open case %s: %v", id, err)
	}
	wid := cases.WorkflowIDFor(id)
	checkRawHistory(t, wid, "bolt", "Wilhelmina", "Oyelaran", "QWJX", "dented")
	desc, err := stack.Temporal.DescribeWorkflowExecution(ctx, wid, "")
	if err != nil {
		t.Fatal(err)
	}
	runID := desc.WorkflowExecutionInfo.Execution.RunId

	b := newBrowser(t, "bolt-manager")
	b.signIn(boltManager, "Signed in as bolt-manager")
	b.openHistory(wid, runID)
	b.useCodecWithCredentials(wid, runID)
	b.waitText(60*time.Second, ebayBuyer)
	b.waitText(10*time.Second, ebayReview)
	b.Shot("decrypted")

	other := newBrowser(t, "default-manager")
	other.signIn(defaultManager, "Signed in as dora-manager")
	other.openHistory(wid, runID)
	other.expectRefused(`msg="codec server refused" reason="not the caller's organisation" path=/decode caller=dora-manager role=manager org=default`,
		func() { other.useCodecWithCredentials(wid, runID) }, ebayBuyer, "QWJX")
}

// openCase posts a 1★ review as the default organisation's intake robot
// and waits until the case has run its first steps.
func openCase(t *testing.T, robot string) (workflowID, runID string) {
	t.Helper()
	ctx := context.Background()
	rv, order, err := stack.Simulator.AddReview(simulator.NewReview{
		Platform: cases.MercadoLibre, ShopID: "1001", Rating: 1, Text: review,
		BuyerID: "buyer-codec-ui", BuyerName: buyerName, Item: "Tostadora",
		Amount: 12000, ShippingFee: 1500, Courier: "Correo", TrackingNumber: "TN-codec-ui",
	})
	if err != nil {
		t.Fatal(err)
	}
	r, err := stack.Do(ctx, http.MethodPost, "/v1/reviews", robot, map[string]any{
		"marketplace": "mercadolibre", "shop_id": "1001", "review_id": rv.ID, "order_id": order.ID,
		"rating": 1, "text": review, "created_at": time.Now().UTC().Format(time.RFC3339),
		"buyer":        map[string]any{"id": order.BuyerID, "name": buyerName},
		"order_amount": 120.00, "shipping_fee": 15.00, "currency": "ARS",
	})
	if err != nil || r.Status != http.StatusCreated {
		t.Fatalf("post review: %v %d %s", err, r.Status, r.Body)
	}
	id, _ := r.Map()["case"].(map[string]any)["id"].(string)
	err = testenv.Eventually(ctx, 60*time.Second, func() (bool, error) {
		r, err := stack.Do(ctx, http.MethodGet, "/v1/cases/"+id, robot, nil)
		return err == nil && r.Map()["indexed"] == true, err
	})
	if err != nil {
		t.Fatalf("case %s never indexed: %v", id, err)
	}
	workflowID = cases.WorkflowIDFor(id)
	desc, err := stack.Temporal.DescribeWorkflowExecution(ctx, workflowID, "")
	if err != nil {
		t.Fatal(err)
	}
	return workflowID, desc.WorkflowExecutionInfo.Execution.RunId
}

// checkRawHistory reads the history as Temporal stores it: none of secrets
// in clear, the start input and every payload the case's worker sealed name
// wantOrg; then replays it as production's worker would.
func checkRawHistory(t *testing.T, wid, wantOrg string, secrets ...string) {
	t.Helper()
	ctx := context.Background()
	hist := &historypb.History{}
	iter := stack.RawTemporal.GetWorkflowHistory(ctx, wid, "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	for iter.HasNext() {
		ev, err := iter.Next()
		if err != nil {
			t.Fatal(err)
		}
		hist.Events = append(hist.Events, ev)
	}
	raw, _ := proto.Marshal(hist)
	for _, s := range secrets {
		if strings.Contains(string(raw), s) {
			t.Errorf("the raw history holds %q in clear", s)
		}
	}
	// The SDK seals its own bookkeeping outside any context (timers'
	// summaries, version and local-activity marker data: deadline names,
	// change ids, activity ids and attempts), so without the organisation;
	// every other payload must name it.
	byOrg := map[string]int{}
	for _, ev := range hist.Events {
		ev = proto.Clone(ev).(*historypb.HistoryEvent)
		ev.UserMetadata = nil
		if m := ev.GetMarkerRecordedEventAttributes(); m != nil {
			for k := range m.Details {
				if m.MarkerName != "LocalActivity" || k != "result" {
					delete(m.Details, k)
				}
			}
		}
		err := proxy.VisitPayloads(ctx, ev, proxy.VisitPayloadsOptions{SkipSearchAttributes: true,
			Visitor: func(_ *proxy.VisitPayloadsContext, ps []*commonpb.Payload) ([]*commonpb.Payload, error) {
				for _, p := range ps {
					if org, sealed := payloadcrypt.Sealed(p); sealed {
						byOrg[org]++
						if org != wantOrg {
							t.Errorf("event %d (%s): a payload sealed for %q, want the case's organisation", ev.EventId, ev.EventType, org)
						}
					}
				}
				return ps, nil
			}})
		if err != nil {
			t.Fatal(err)
		}
	}
	start := hist.Events[0].GetWorkflowExecutionStartedEventAttributes()
	if org, sealed := payloadcrypt.Sealed(start.GetInput().GetPayloads()[0]); !sealed || org != wantOrg {
		t.Errorf("start input sealed %v for %q", sealed, org)
	}
	if byOrg[wantOrg] < 5 {
		t.Errorf("only %d payloads sealed for the organisation: the check reads nothing", byOrg[wantOrg])
	}
	t.Logf("%d events; sealed payloads by organisation: %v", len(hist.Events), byOrg)

	dc := payloadcrypt.DataConverter(stack.PayloadKeys)
	r, err := worker.NewWorkflowReplayerWithOptions(worker.WorkflowReplayerOptions{
		DataConverter: dc, FailureConverter: payloadcrypt.FailureConverter(dc),
		ContextPropagators: []workflow.ContextPropagator{payloadcrypt.OrgPropagator{}},
	})
	if err != nil {
		t.Fatal(err)
	}
	r.RegisterWorkflow(workflows.CaseWorkflow)
	if err := r.ReplayWorkflowHistory(nil, hist); err != nil {
		t.Errorf("the encrypted history does not replay: %v", err)
	}
}

// signIn opens the codec server's session page as a person would.
func (b *browser) signIn(token, want string) {
	b.T.Helper()
	b.Do("session page", chromedp.Navigate(codecURL+"/session"), chromedp.WaitVisible(chromedp.CSS(`input[name=token]`)),
		chromedp.SendKeys(chromedp.CSS(`input[name=token]`), token), chromedp.Click(chromedp.CSS(`form button`)))
	b.waitText(10*time.Second, want)
}

func (b *browser) openHistory(wid, runID string) {
	b.T.Helper()
	b.Do("open the history", chromedp.Navigate(uiURL+"/namespaces/default/workflows/"+wid+"/"+runID+"/history"))
	b.waitText(60*time.Second, "Workflow Execution Started")
}

// useCodecWithCredentials does what docs/privacy.md tells a person to do
// in the dev server's UI: in the Codec Server settings, use the browser's
// setting, the codec server's URL, and include cross-origin credentials
// (the dev server sets only the endpoint, without credentials). The panel
// slides over the page's header, so its controls are clicked in the DOM
// rather than at their coordinates.
func (b *browser) useCodecWithCredentials(wid, runID string) {
	b.T.Helper()
	b.Do("open the codec settings", chromedp.Click(chromedp.CSS(`[data-testid^="data-encoder-status"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="override-accordion"] button`)))
	b.click(`[data-testid="override-accordion"] button`)
	b.Do("wait for the choice", chromedp.WaitVisible(chromedp.ID("use-local-endpoint-radio"), chromedp.NodeReady))
	b.click(`#use-local-endpoint-radio`)
	b.Do("type the endpoint", chromedp.SendKeys(chromedp.ID("data-encoder-endpoint-input"), codecURL))
	b.click(`#pass-access-credentials`)
	b.Shot("codec-settings")
	on, err := chromedp.Run(b.Ctx, chromedp.Evaluate[bool](`document.querySelector('#pass-access-credentials').checked && document.querySelector('#use-local-endpoint-radio').checked`))
	if err != nil || !on {
		b.T.Fatalf("%s: the settings did not take: %v", b.name, err)
	}
	b.click(`//button[normalize-space()="Apply"]`)
	b.openHistory(wid, runID)
}

// click clicks the element that selector (CSS, or XPath from //) names.
func (b *browser) click(selector string) {
	b.T.Helper()
	find := `document.querySelector(` + strconv.Quote(selector) + `)`
	if strings.HasPrefix(selector, "//") {
		find = `document.evaluate(` + strconv.Quote(selector) + `, document, null, XPathResult.FIRST_ORDERED_NODE_TYPE, null).singleNodeValue`
	}
	ok, err := chromedp.Run(b.Ctx, chromedp.Evaluate[bool](`(() => { const e = `+find+`; if (!e) return false; e.click(); return true; })()`))
	if err != nil || !ok {
		b.Shot("failed-click")
		b.T.Fatalf("%s: click %s: found %v, %v", b.name, selector, ok, err)
	}
}

// expectRefused applies the codec settings and expects the codec server to
// log the refusal and the page to show the payload encrypted, never the
// buyer's data.
func (b *browser) expectRefused(logged string, configure func(), secrets ...string) {
	b.T.Helper()
	mark := len(codecLog.String())
	configure()
	waitLog(b.T, logged, mark)
	b.waitText(60*time.Second, encryptedMark)
	time.Sleep(2 * time.Second) // any decode in flight lands
	b.Shot("refused")
	body := b.BodyText()
	if len(secrets) == 0 {
		secrets = []string{buyerName, "XQZV"}
	}
	for _, s := range secrets {
		if strings.Contains(body, s) {
			b.T.Errorf("%s: the page shows %q", b.name, s)
		}
	}
}

// waitLog waits for the codec server to log want after the first since bytes.
func waitLog(t *testing.T, want string, since int) {
	t.Helper()
	err := testenv.Eventually(context.Background(), 60*time.Second, func() (bool, error) {
		return strings.Contains(codecLog.String()[since:], want), nil
	})
	if err != nil {
		t.Fatalf("the codec server never logged %q:\n%s", want, codecLog.String())
	}
}
