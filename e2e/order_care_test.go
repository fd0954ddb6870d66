package e2e

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/internal/testenv"
	"github.com/redress-hq/redress/simulator"
)

// enableOrderCare turns order care on for a shop with timings in seconds and
// no quiet hours (the test runs at any hour).
func enableOrderCare(t *testing.T, m cases.Marketplace, shop string) {
	t.Helper()
	mustStatus(t, do(t, http.MethodPut, "/v1/shops/"+string(m)+"/"+shop+"/order-care", agent, map[string]any{"enabled": true}),
		http.StatusForbidden, "an agent changing shop settings")
	mustStatus(t, do(t, http.MethodPut, "/v1/shops/"+string(m)+"/"+shop+"/order-care", manager, map[string]any{
		"enabled": true, "time_zone": "UTC", "quiet_start": 0, "quiet_end": 0,
		"stall_after_seconds": 4, "late_grace_seconds": 1, "poll_every_seconds": 3600, "watch_after_delivery_seconds": 2,
	}), http.StatusOK, "enable order care")
	t.Cleanup(func() { // later tests of the package open cases on these shops' orders
		do(t, http.MethodPut, "/v1/shops/"+string(m)+"/"+shop+"/order-care", manager, map[string]any{"enabled": false})
	})
}

type careView struct {
	Order struct {
		Status string `json:"status"`
		Done   bool   `json:"done"`
	} `json:"order"`
	Touchpoints []struct {
		Touchpoint string `json:"touchpoint"`
		Outcome    string `json:"outcome"`
		Channel    string `json:"channel"`
		Reason     string `json:"reason"`
		Text       string `json:"text"`
	} `json:"touchpoints"`
	Tasks []struct {
		ID     string `json:"id"`
		Signal string `json:"signal"`
		Status string `json:"status"`
	} `json:"preemptive_tasks"`
	Live *struct {
		Touchpoints map[string]struct {
			Outcome string `json:"outcome"`
			Reason  string `json:"reason"`
		} `json:"touchpoints"`
	} `json:"live"`
}

func (v careView) outcome(tp string) string {
	for _, t := range v.Touchpoints {
		if t.Touchpoint == tp {
			return t.Outcome
		}
	}
	if v.Live != nil {
		return v.Live.Touchpoints[tp].Outcome
	}
	return ""
}

func (v careView) task(signal string) string {
	for _, t := range v.Tasks {
		if t.Signal == signal {
			return t.ID
		}
	}
	return ""
}

func careOf(t *testing.T, m cases.Marketplace, shop, order string) careView {
	t.Helper()
	r := do(t, http.MethodGet, "/v1/orders/"+string(m)+"/"+shop+"/"+order, agent, nil)
	var v careView
	if r.Status == http.StatusOK {
		if err := r.JSON(&v); err != nil {
			t.Fatal(err)
		}
	}
	return v
}

func waitCare(t *testing.T, m cases.Marketplace, shop, order, what string, cond func(careView) bool) careView {
	t.Helper()
	var v careView
	// A minute: a worker restart may leave an activity to time out (20 s) before the order moves on.
	err := testenv.Eventually(context.Background(), time.Minute, func() (bool, error) {
		v = careOf(t, m, shop, order)
		return cond(v), nil
	})
	if err != nil {
		raw := do(t, http.MethodGet, "/v1/orders/"+string(m)+"/"+shop+"/"+order, agent, nil)
		t.Fatalf("order %s: %s: %v (last %s)", order, what, err, raw.Body)
	}
	return v
}

func postOrder(t *testing.T, m cases.Marketplace, shop, order string, body map[string]any) {
	t.Helper()
	body["marketplace"], body["shop_id"], body["order_id"] = m, shop, order
	mustStatus(t, do(t, http.MethodPost, "/v1/orders", robot, body), http.StatusAccepted, "order event")
}

func sentMessages(order string) []string {
	var out []string
	for _, e := range stack.Simulator.Ledger() {
		if e.Kind == simulator.LedgerMessage && e.OrderID == order {
			out = append(out, e.Payload)
		}
	}
	return out
}

// TestOrderCareEBayShipsStallsAndArrives: an eBay order ships, its tracking
// stalls (a pre-emptive task before any review), the buyer complains, it is
// delivered — and the buyer gets each touchpoint eBay allows exactly once,
// though the order-care worker restarts twice on the way.
func TestOrderCareEBayShipsStallsAndArrives(t *testing.T) {
	const shop = "demo-seller"
	mustStatus(t, do(t, http.MethodPost, "/v1/orders", robot, map[string]any{"marketplace": "ebay", "shop_id": "not-enabled", "order_id": "1"}),
		http.StatusConflict, "order care for a shop that did not enable it")
	enableOrderCare(t, cases.EBay, shop) // before the order exists: this test drives it by notifications alone
	o, err := stack.Simulator.AddOrder(simulator.NewOrder{Platform: cases.EBay, ShopID: shop, Item: "Phone case"})
	if err != nil {
		t.Fatal(err)
	}
	mustStatus(t, do(t, http.MethodPost, "/v1/orders", agent, map[string]any{"marketplace": "ebay", "shop_id": shop, "order_id": o.ID}),
		http.StatusForbidden, "an agent feeding order notifications")

	// The shop's own shipped text (per shop and language), screened before it is saved. (Its
	// expected-date part is there when the notification reaches the order before the shop poll
	// does: both read the shipment, whichever comes first sends.)
	tpl := "/v1/shops/ebay/" + shop + "/touchpoint-templates/shipped/en"
	mustStatus(t, do(t, http.MethodPut, tpl, manager, map[string]any{"text": "Shipped! Please leave us 5 stars when it arrives."}),
		http.StatusUnprocessableEntity, "a template asking for a good review")
	mustStatus(t, do(t, http.MethodPut, "/v1/shops/amazon/A1DEMOSELLER/touchpoint-templates/shipped/en", manager, map[string]any{"text": "Shipped."}),
		http.StatusUnprocessableEntity, "a template for a touchpoint Amazon does not allow")
	mustStatus(t, do(t, http.MethodPut, tpl, manager, map[string]any{"text": "Hi! Your parcel left our warehouse[ with {carrier}][, tracking {tracking}].[ It should arrive on {expected}.] Questions? Write to us here."}),
		http.StatusOK, "the shop's shipped text")
	postOrder(t, cases.EBay, shop, o.ID, map[string]any{"shipment": map[string]any{"status": "pending"}, "source": "notification"})
	if err := stack.Simulator.ShipOrder(cases.EBay, o.ID, "USPS", "9400111899223344556677"); err != nil {
		t.Fatal(err)
	}
	expected := time.Now().UTC().Add(24*time.Hour + 8*time.Second)
	postOrder(t, cases.EBay, shop, o.ID, map[string]any{"source": "notification", "shipment": map[string]any{
		"status": "shipped", "tracking_number": "9400111899223344556677", "carrier": "USPS", "expected_at": expected}})
	sv := waitCare(t, cases.EBay, shop, o.ID, "shipped touchpoint", func(v careView) bool { return v.outcome("shipped") == "sent" })
	for _, tp := range sv.Touchpoints {
		if tp.Touchpoint == "shipped" && !strings.HasPrefix(tp.Text, "Hi! Your parcel left our warehouse with USPS, tracking 9400111899223344556677.") {
			t.Errorf("shipped text %q is not the shop's template", tp.Text)
		}
	}
	if err := stack.RestartOrderCareWorker(); err != nil {
		t.Fatal(err)
	}
	// The same notification again: nothing more is sent.
	postOrder(t, cases.EBay, shop, o.ID, map[string]any{"source": "notification", "shipment": map[string]any{"status": "shipped", "tracking_number": "9400111899223344556677"}})

	// No movement for 4 s: a pre-emptive task, and no case exists for the order.
	v := waitCare(t, cases.EBay, shop, o.ID, "stalled tracking", func(v careView) bool { return v.task("tracking_stalled") != "" })
	cs := do(t, http.MethodGet, "/v1/cases?marketplace=ebay&shop_id="+shop, manager, nil).Map()
	for _, it := range asList(cs["items"]) {
		if it["order_id"] == o.ID {
			t.Fatalf("a case exists for order %s before any review", o.ID)
		}
	}
	tasks := do(t, http.MethodGet, "/v1/preemptive-tasks?status=open&order_id="+o.ID, agent, nil)
	mustStatus(t, tasks, http.StatusOK, "list pre-emptive tasks")
	mustStatus(t, do(t, http.MethodGet, "/v1/preemptive-tasks", robot, nil), http.StatusForbidden, "an automation reading pre-emptive tasks")
	mustStatus(t, do(t, http.MethodPost, "/v1/preemptive-tasks/"+v.task("tracking_stalled")+"/complete", agent,
		map[string]any{"note": "asked USPS for a trace; told the buyer through the order's messages"}), http.StatusOK, "complete the pre-emptive task")

	// The buyer writes, unhappy: the message centre has it with a 12 h deadline, and the order's care raises a task.
	msg := do(t, http.MethodPost, "/v1/messages", robot, map[string]any{"marketplace": "ebay", "shop_id": shop, "external_id": "ebay-msg-" + o.ID,
		"kind": "message", "order_id": o.ID, "buyer_id": o.BuyerName, "text": "Where is my order? Still not here, this is ridiculous"})
	mustStatus(t, msg, http.StatusCreated, "buyer message")
	if m := msg.Map(); m["complaint"] != true || m["time_left_seconds"].(float64) > 12*3600 {
		t.Errorf("complaint %v with %v s left, want a complaint due within 12 h", m["complaint"], m["time_left_seconds"])
	}
	waitCare(t, cases.EBay, shop, o.ID, "angry message task", func(v careView) bool { return v.task("angry_message") != "" })

	// The day before the expected date.
	waitCare(t, cases.EBay, shop, o.ID, "day-before touchpoint", func(v careView) bool { return v.outcome("day_before") == "sent" })
	if err := stack.RestartOrderCareWorker(); err != nil {
		t.Fatal(err)
	}

	// Delivered (late: eBay's fulfillment API has no delivery date, so the notification carries it).
	if err := stack.Simulator.AddTracking(cases.EBay, o.ID, simulator.TrackingEvent{Status: "delivered", Description: "front door"}); err != nil {
		t.Fatal(err)
	}
	postOrder(t, cases.EBay, shop, o.ID, map[string]any{"refresh": true, "source": "notification",
		"shipment": map[string]any{"status": "delivered", "delivered_at": time.Now().UTC()}})
	v = waitCare(t, cases.EBay, shop, o.ID, "care done", func(v careView) bool { return v.Order.Done })
	recordOrderCareHistory(t, "order-ebay-"+shop+"-"+o.ID, "ebay_ships_stalls_arrives")
	for _, tp := range []string{"shipped", "day_before", "delivered"} {
		if got := v.outcome(tp); got != "sent" {
			t.Errorf("touchpoint %s: %s, want sent", tp, got)
		}
	}
	if len(v.Touchpoints) != 3 {
		t.Errorf("touchpoints %+v, want exactly shipped, day_before, delivered", v.Touchpoints)
	}
	sent := sentMessages(o.ID)
	if len(sent) != 3 {
		t.Errorf("eBay messages on the order: %d, want 3 (one per touchpoint): %q", len(sent), sent)
	}
	if d := stack.Simulator.Duplicates(); len(d) > 0 {
		t.Errorf("side effects applied twice: %+v", d)
	}

	// The complaint is answered from the message centre with a quick reply, through eBay's Message API.
	var created map[string]any = msg.Map()
	id := created["id"].(string)
	mustStatus(t, do(t, http.MethodPost, "/v1/messages/"+id+"/answer", agent, map[string]any{"text": "Leave us 5 stars and we will refund you"}),
		http.StatusUnprocessableEntity, "an answer the guard refuses")
	ans := do(t, http.MethodPost, "/v1/messages/"+id+"/answer", agent, map[string]any{"quick_reply_id": "builtin-tracking-en"})
	mustStatus(t, ans, http.StatusOK, "answer with a quick reply")
	if m := ans.Map(); m["status"] != "answered" || m["answer_via"] != "api" || m["answer_ref"] == "" {
		t.Errorf("answered message %v", m)
	}
	if n := len(sentMessages(o.ID)); n != 4 {
		t.Errorf("eBay messages on the order after the answer: %d, want 4", n)
	}
	mustStatus(t, do(t, http.MethodPost, "/v1/messages/"+id+"/answer", agent, map[string]any{"text": "again"}), http.StatusConflict, "answering twice")

	rep := do(t, http.MethodGet, "/v1/reports/order-care", manager, nil)
	mustStatus(t, rep, http.StatusOK, "order-care report")
	touched := 0
	for _, r := range asList(rep.Map()["touchpoints"]) {
		if r["shop_id"] == shop && r["outcome"] == "sent" {
			touched += int(r["count"].(float64))
		}
	}
	if touched < 3 {
		t.Errorf("report counts %d sent touchpoints for %s, want at least 3", touched, shop)
	}

	// The weekly report carries the same, with response times and the bad-review comparison.
	weekly := do(t, http.MethodGet, "/v1/reports/weekly?marketplace=ebay&shop_id="+shop, manager, nil)
	mustStatus(t, weekly, http.StatusOK, "weekly report")
	oc, _ := weekly.Map()["order_care"].(map[string]any)
	if len(asList(oc["touchpoints"])) == 0 {
		t.Errorf("weekly report without touchpoints: %v", oc)
	}
	var inHalf, careOrders float64
	for _, r := range asList(oc["message_response_times"]) {
		if r["bucket"] == "within_half" {
			inHalf += r["messages"].(float64)
		}
	}
	for _, r := range asList(oc["bad_review_rates"]) {
		careOrders += r["touched_orders"].(float64)
	}
	if inHalf < 1 || careOrders < 1 {
		t.Errorf("weekly report: %v answered in the first half of the deadline, %v orders with touchpoints; want at least 1 each", inHalf, careOrders)
	}
	csvRep := do(t, http.MethodGet, "/v1/reports/weekly?format=csv&marketplace=ebay&shop_id="+shop, manager, nil)
	if !strings.Contains(string(csvRep.Body), "touchpoints,ebay/"+shop+"/shipped,sent,") {
		t.Errorf("weekly CSV lacks the touchpoints: %.400s", csvRep.Body)
	}
}

// TestOrderCareOtherPlatformsSendOnlyWhatTheyAllow: on Mercado Libre the
// shipped message starts the conversation through the action guide and the
// delivered greeting is not allowed (no reason after delivery); on Amazon no
// courtesy message is sent at all; on Taobao they are manual (no chat API).
func TestOrderCareOtherPlatformsSendOnlyWhatTheyAllow(t *testing.T) {
	for _, tc := range []struct {
		m    cases.Marketplace
		shop string
		want map[string]string
	}{
		{cases.MercadoLibre, "1001", map[string]string{"shipped": "sent", "delivered": "not_allowed"}},
		{cases.Amazon, "A1DEMOSELLER", map[string]string{"shipped": "not_allowed", "delivered": "not_allowed", "review_solicitation": "sent"}},
		{cases.Taobao, "demo-shop", map[string]string{"shipped": "manual", "delivered": "manual"}},
	} {
		t.Run(string(tc.m), func(t *testing.T) {
			o, err := stack.Simulator.AddOrder(simulator.NewOrder{Platform: tc.m, ShopID: tc.shop})
			if err != nil {
				t.Fatal(err)
			}
			enableOrderCare(t, tc.m, tc.shop)
			if err := stack.Simulator.ShipOrder(tc.m, o.ID, "Carrier", "TRK"+o.ID); err != nil {
				t.Fatal(err)
			}
			postOrder(t, tc.m, tc.shop, o.ID, map[string]any{"shipment": map[string]any{"status": "shipped", "tracking_number": "TRK" + o.ID, "carrier": "Carrier"}})
			waitCare(t, tc.m, tc.shop, o.ID, "shipped", func(v careView) bool { return v.outcome("shipped") != "" })
			if err := stack.Simulator.AddTracking(tc.m, o.ID, simulator.TrackingEvent{Status: "delivered"}); err != nil {
				t.Fatal(err)
			}
			delivered := time.Now().UTC()
			if tc.m == cases.Amazon { // six days ago: inside Amazon's 5–30 day solicitation window
				delivered = delivered.Add(-6 * 24 * time.Hour)
				if err := stack.Simulator.BackdateDelivery(tc.m, o.ID, 6*24*time.Hour); err != nil {
					t.Fatal(err)
				}
			}
			postOrder(t, tc.m, tc.shop, o.ID, map[string]any{"shipment": map[string]any{"status": "delivered", "delivered_at": delivered}})
			v := waitCare(t, tc.m, tc.shop, o.ID, "touchpoints settled", func(v careView) bool {
				for tp := range tc.want {
					if v.outcome(tp) == "" {
						return false
					}
				}
				return true
			})
			for tp, want := range tc.want {
				if got := v.outcome(tp); got != want {
					t.Errorf("%s %s: %s, want %s (%+v)", tc.m, tp, got, want, v.Touchpoints)
				}
			}
			wantMsgs := 0
			if tc.want["shipped"] == "sent" {
				wantMsgs = 1
			}
			if n := len(sentMessages(o.ID)); n != wantMsgs {
				t.Errorf("%s: %d messages on the order, want %d", tc.m, n, wantMsgs)
			}
			solicited := 0
			for _, e := range stack.Simulator.Ledger() {
				if e.Kind == simulator.LedgerSolicitation && e.OrderID == o.ID {
					solicited++
				}
			}
			if want := map[bool]int{true: 1}[tc.m == cases.Amazon]; solicited != want {
				t.Errorf("%s: %d review solicitations, want %d", tc.m, solicited, want)
			}
		})
	}
}

// TestMessageCentreQuestionsAndComplaints: listing questions and a complaint
// land in one inbox sorted by time left; similar questions are answered in
// one batch; a message is escalated.
func TestMessageCentreQuestionsAndComplaints(t *testing.T) {
	now := time.Now().UTC()
	post := func(body map[string]any) map[string]any {
		t.Helper()
		r := do(t, http.MethodPost, "/v1/messages", robot, body)
		mustStatus(t, r, http.StatusCreated, "message")
		return r.Map()
	}
	// Two buyers ask the same on a Mercado Libre listing (the platform's questions and answers).
	sq1, err := stack.Simulator.AddQuestion("1001", "MLA123", "¿Tienen talle M en azul?")
	if err != nil {
		t.Fatal(err)
	}
	sq2, err := stack.Simulator.AddQuestion("1001", "MLA123", "Tienen talle M azul?")
	if err != nil {
		t.Fatal(err)
	}
	q1 := post(map[string]any{"marketplace": "mercadolibre", "shop_id": "1001", "external_id": fmt.Sprint(sq1.ID), "kind": "question",
		"item_id": "MLA123", "text": sq1.Text, "received_at": now.Add(-2 * time.Hour)})
	q2 := post(map[string]any{"marketplace": "mercadolibre", "shop_id": "1001", "external_id": fmt.Sprint(sq2.ID), "kind": "question",
		"item_id": "MLA123", "text": sq2.Text, "received_at": now.Add(-time.Hour)})
	c := post(map[string]any{"marketplace": "amazon", "shop_id": "A1DEMOSELLER", "external_id": "AMZ-mc-1", "kind": "message",
		"order_id": "111-0000000-0000001", "text": "The item arrived broken, I want a refund", "received_at": now.Add(-time.Hour)})
	again := do(t, http.MethodPost, "/v1/messages", robot, map[string]any{"marketplace": "mercadolibre", "shop_id": "1001",
		"external_id": fmt.Sprint(sq1.ID), "kind": "question", "item_id": "MLA123", "text": sq1.Text})
	mustStatus(t, again, http.StatusOK, "a redelivered question")

	if q1["group_key"] != q2["group_key"] {
		t.Errorf("similar questions in different groups: %v / %v", q1["group_key"], q2["group_key"])
	}
	list := do(t, http.MethodGet, "/v1/messages?status=open", agent, nil)
	mustStatus(t, list, http.StatusOK, "message centre")
	mustStatus(t, do(t, http.MethodGet, "/v1/messages", robot, nil), http.StatusForbidden, "an automation reading the message centre")
	items := asList(list.Map()["items"])
	pos := map[any]int{}
	var prev float64 = -1e18
	for i, it := range items {
		pos[it["id"]] = i
		left := it["time_left_seconds"].(float64)
		if left < prev {
			t.Errorf("message centre not sorted by time left at %d", i)
		}
		prev = left
	}
	if !(pos[c["id"]] < pos[q1["id"]] && pos[q1["id"]] < pos[q2["id"]]) {
		t.Errorf("order: complaint %d, q1 %d, q2 %d; want the complaint (12 h) first, then the older question", pos[c["id"]], pos[q1["id"]], pos[q2["id"]])
	}
	if left := c["time_left_seconds"].(float64); left > 11*3600 || left < 10*3600 {
		t.Errorf("complaint received an hour ago has %v s left, want about 11 h", left)
	}

	// Batch answer the two similar questions.
	group := do(t, http.MethodGet, "/v1/messages?group_key="+url.QueryEscape(q1["group_key"].(string)), agent, nil)
	var ids []string
	for _, it := range asList(group.Map()["items"]) {
		ids = append(ids, it["id"].(string))
	}
	if len(ids) != 2 {
		t.Fatalf("group %q holds %d messages, want 2", q1["group_key"], len(ids))
	}
	batch := do(t, http.MethodPost, "/v1/messages/batch-answer", agent, map[string]any{"ids": ids, "quick_reply_id": "builtin-stock-es"})
	mustStatus(t, batch, http.StatusOK, "batch answer")
	for _, r := range asList(batch.Map()["results"]) {
		if r["ok"] != true {
			t.Errorf("batch answer %v", r)
		}
	}
	answers := 0
	for _, e := range stack.Simulator.Ledger() {
		if e.Kind == simulator.LedgerAnswer && (e.Ref == fmt.Sprint(sq1.ID) || e.Ref == fmt.Sprint(sq2.ID)) {
			answers++
		}
	}
	if answers != 2 {
		t.Errorf("%d answers posted on Mercado Libre, want 2", answers)
	}

	// Amazon has no reply operation for buyer messages: answered in Seller Central, recorded with its reference.
	id := c["id"].(string)
	mustStatus(t, do(t, http.MethodPost, "/v1/messages/"+id+"/answer", agent, map[string]any{"text": "We are sorry. We will send a new one today."}),
		http.StatusUnprocessableEntity, "Amazon message without a manual reference")
	mustStatus(t, do(t, http.MethodPost, "/v1/messages/"+id+"/escalate", agent, map[string]any{"reason": "damaged item, wants a refund"}),
		http.StatusOK, "escalate")
	ans := do(t, http.MethodPost, "/v1/messages/"+id+"/answer", agent, map[string]any{"text": "We are sorry. We will send a new one today.",
		"manual_reference": "Seller Central message 2026-11-30"})
	mustStatus(t, ans, http.StatusOK, "manual answer")
	pt := do(t, http.MethodGet, "/v1/preemptive-tasks?marketplace=amazon&order_id=111-0000000-0000001", agent, nil)
	if n := len(asList(pt.Map()["items"])); n != 1 {
		t.Errorf("escalation raised %d pre-emptive tasks, want 1", n)
	}

	qr := do(t, http.MethodGet, "/v1/quick-replies?marketplace=mercadolibre&language=es", agent, nil)
	mustStatus(t, qr, http.StatusOK, "quick replies")
	for _, it := range asList(qr.Map()["items"]) {
		v := it["verdict"].(map[string]any)
		if vs, _ := v["violations"].([]any); len(vs) > 0 {
			t.Errorf("quick reply %v fails the guard on Mercado Libre: %v", it["id"], vs)
		}
	}
	mustStatus(t, do(t, http.MethodPost, "/v1/quick-replies", manager, map[string]any{"marketplace": "ebay", "language": "en", "name": "bad",
		"text": "Give us 5 stars and get a coupon"}), http.StatusUnprocessableEntity, "a quick reply the guard refuses")
	mustStatus(t, do(t, http.MethodPost, "/v1/quick-replies", agent, map[string]any{"marketplace": "ebay", "language": "en", "name": "x", "text": "ok"}),
		http.StatusForbidden, "an agent adding a quick reply")
}

func asList(v any) []map[string]any {
	raw, _ := v.([]any)
	out := make([]map[string]any, 0, len(raw))
	for _, x := range raw {
		if m, ok := x.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

// meliNotify posts a Mercado Libre notification as the platform does (unsigned; our application id).
func meliNotify(t *testing.T, id, topic, resource string) map[string]any {
	t.Helper()
	now := time.Now().UTC().Format(time.RFC3339Nano)
	r := do(t, http.MethodPost, "/v1/webhooks/mercadolibre", "", map[string]any{"_id": id, "resource": resource, "user_id": 1001,
		"topic": topic, "application_id": "sim-meli", "attempts": 1, "sent": now, "received": now})
	mustStatus(t, r, http.StatusOK, topic+" notification")
	return r.Map()
}

// TestOrderCareFromMercadoLibreNotifications: orders_v2 starts an order's
// care (read from the platform), shipments refreshes it, questions bring
// the shop's open questions into the message centre; redeliveries are no-ops.
func TestOrderCareFromMercadoLibreNotifications(t *testing.T) {
	enableOrderCare(t, cases.MercadoLibre, "1001")
	o, err := stack.Simulator.AddOrder(simulator.NewOrder{Platform: cases.MercadoLibre, ShopID: "1001"})
	if err != nil {
		t.Fatal(err)
	}
	if err := stack.Simulator.ShipOrder(cases.MercadoLibre, o.ID, "Correo", "AR123"); err != nil {
		t.Fatal(err)
	}
	meliNotify(t, "n-order-"+o.ID, "orders_v2", "/orders/"+o.ID)
	v := waitCare(t, cases.MercadoLibre, "1001", o.ID, "shipped touchpoint from the notification", func(v careView) bool { return v.outcome("shipped") != "" })
	if got := v.outcome("shipped"); got != "sent" {
		t.Errorf("shipped: %s, want sent (%+v)", got, v.Touchpoints)
	}
	var order struct {
		Order struct {
			ShipmentID string `json:"shipment_id"`
		} `json:"order"`
	}
	if err := do(t, http.MethodGet, "/v1/orders/mercadolibre/1001/"+o.ID, agent, nil).JSON(&order); err != nil || order.Order.ShipmentID == "" {
		t.Fatalf("order under care without its shipment id: %v %+v", err, order)
	}

	// The buyer writes in the pack, unhappy: Mercado Libre's messages notification brings it
	// to the message centre with a complaint's 12 h deadline, and the order's care raises a task.
	cm, err := stack.Simulator.AddBuyerMessage(cases.MercadoLibre, o.ID, "¿Dónde está mi pedido? Todavía no llegó, es una vergüenza")
	if err != nil {
		t.Fatal(err)
	}
	meliNotify(t, "n-msg-"+cm.ID, "messages", cm.ID)
	err = testenv.Eventually(context.Background(), 30*time.Second, func() (bool, error) {
		r := do(t, http.MethodGet, "/v1/messages?marketplace=mercadolibre&order_id="+o.ID, agent, nil)
		for _, it := range asList(r.Map()["items"]) {
			if it["complaint"] == true && it["time_left_seconds"].(float64) <= 12*3600 {
				return true, nil
			}
		}
		return false, nil
	})
	if err != nil {
		t.Fatalf("the buyer's message never reached the message centre as a complaint: %v", err)
	}
	waitCare(t, cases.MercadoLibre, "1001", o.ID, "angry message task", func(v careView) bool { return v.task("angry_message") != "" })

	if err := stack.Simulator.AddTracking(cases.MercadoLibre, o.ID, simulator.TrackingEvent{Status: "delivered", Description: "delivered"}); err != nil {
		t.Fatal(err)
	}
	meliNotify(t, "n-ship-"+o.ID, "shipments", "/shipments/"+order.Order.ShipmentID)
	v = waitCare(t, cases.MercadoLibre, "1001", o.ID, "delivered through the shipments notification", func(v careView) bool { return v.outcome("delivered") != "" })
	if got := v.outcome("delivered"); got != "not_allowed" {
		t.Errorf("delivered on Mercado Libre: %s, want not_allowed", got)
	}
	if n := len(sentMessages(o.ID)); n != 1 {
		t.Errorf("%d messages on the order, want 1", n)
	}

	q, err := stack.Simulator.AddQuestion("1001", "MLA9", "¿Hacen envíos a Córdoba?")
	if err != nil {
		t.Fatal(err)
	}
	meliNotify(t, "n-q-1", "questions", fmt.Sprintf("/questions/%d", q.ID))
	if again := meliNotify(t, "n-q-1", "questions", fmt.Sprintf("/questions/%d", q.ID)); again["duplicates"] != float64(1) {
		t.Errorf("redelivery: %v", again)
	}
	err = testenv.Eventually(context.Background(), 30*time.Second, func() (bool, error) {
		r := do(t, http.MethodGet, "/v1/messages?marketplace=mercadolibre&kind=question", agent, nil)
		for _, it := range asList(r.Map()["items"]) {
			if it["external_id"] == fmt.Sprint(q.ID) {
				return true, nil
			}
		}
		return false, nil
	})
	if err != nil {
		t.Fatalf("the notified question never reached the message centre: %v", err)
	}
}

// TestOrderCareShopPollFindsNewOrders: eBay's Notification API has no order
// topic, so enabling a shop starts its poll, which finds a shipped order and
// starts its care with nothing posted.
func TestOrderCareShopPollFindsNewOrders(t *testing.T) {
	o, err := stack.Simulator.AddOrder(simulator.NewOrder{Platform: cases.EBay, ShopID: "demo-seller", Item: "Mug"})
	if err != nil {
		t.Fatal(err)
	}
	if err := stack.Simulator.ShipOrder(cases.EBay, o.ID, "UPS", "1Z777"); err != nil {
		t.Fatal(err)
	}
	enableOrderCare(t, cases.EBay, "demo-seller")
	v := waitCare(t, cases.EBay, "demo-seller", o.ID, "care started by the shop poll", func(v careView) bool { return v.outcome("shipped") != "" })
	if got := v.outcome("shipped"); got != "sent" {
		t.Errorf("shipped: %s, want sent (%+v)", got, v.Touchpoints)
	}
}
