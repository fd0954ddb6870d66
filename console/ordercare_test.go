package console_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/redress-hq/redress/cases"
)

func postMessage(t *testing.T, body map[string]any) map[string]any {
	t.Helper()
	r, err := stack.Do(context.Background(), http.MethodPost, "/v1/messages", robot, body)
	if err != nil || r.Status != http.StatusCreated {
		t.Fatalf("post message: %v %d %s", err, r.Status, r.Body)
	}
	return r.Map()
}

// The message centre page: a complaint before a question (less time left),
// quick replies, the guard's refusal inline, an answer that goes out through
// Mercado Libre's answers, an escalation that shows up as a pre-emptive task
// which an agent completes.
func TestMessageCentrePages(t *testing.T) {
	now := time.Now().UTC()
	sq, err := stack.Simulator.AddQuestion("1001", "MLA777", "¿Tienen este modelo en negro?")
	if err != nil {
		t.Fatal(err)
	}
	q := postMessage(t, map[string]any{"marketplace": "mercadolibre", "shop_id": "1001", "external_id": fmt.Sprint(sq.ID), "kind": "question",
		"item_id": "MLA777", "text": sq.Text, "received_at": now.Add(-time.Hour)})
	c := postMessage(t, map[string]any{"marketplace": "amazon", "shop_id": "A1DEMOSELLER", "external_id": "console-amz-1", "kind": "message",
		"order_id": "111-0000000-0000777", "text": "Still not here, this is ridiculous", "received_at": now.Add(-time.Hour)})

	b := signIn(t, agent)
	p := b.get("/ui/messages")
	if p.Status != http.StatusOK {
		t.Fatalf("message centre: %d %.300s", p.Status, p.Body)
	}
	body := html.UnescapeString(p.Body)
	ic, iq := strings.Index(body, "Still not here"), strings.Index(body, "en negro")
	if ic < 0 || iq < 0 || ic > iq {
		t.Errorf("complaint at %d, question at %d: want both, the complaint first", ic, iq)
	}
	if !strings.Contains(p.Body, `data-due="`) || !strings.Contains(p.Body, "builtin-stock-es") {
		t.Errorf("no countdown or quick reply on the page")
	}

	qid := q["id"].(string)
	refused := b.post("/ui/messages/"+qid+"/answer", url.Values{"text": {"Déjanos 5 estrellas y te damos un cupón"}})
	if refused.Status != http.StatusUnprocessableEntity || !strings.Contains(refused.Body, "guard_rejected") && !strings.Contains(refused.Body, "review") {
		t.Errorf("a text the guard refuses: %d %.300s", refused.Status, refused.Body)
	}
	ok := b.post("/ui/messages/"+qid+"/answer", url.Values{"quick_reply_id": {"builtin-stock-es"}})
	if ok.Status != http.StatusSeeOther || !strings.HasPrefix(ok.Location, "/ui/messages?done=answered") {
		t.Fatalf("answer: %d → %q %.300s", ok.Status, ok.Location, ok.Body)
	}
	r, _ := stack.Do(context.Background(), http.MethodGet, "/v1/messages/"+qid, agent, nil)
	if m := r.Map(); m["status"] != "answered" || m["answer_via"] != "api" {
		t.Errorf("question after the console's answer: %v", m)
	}

	cid := c["id"].(string)
	if e := b.post("/ui/messages/"+cid+"/escalate", url.Values{"reason": {"late parcel, unhappy buyer"}}); e.Status != http.StatusSeeOther {
		t.Fatalf("escalate: %d %.300s", e.Status, e.Body)
	}
	pp := b.get("/ui/preemptive")
	if pp.Status != http.StatusOK || !strings.Contains(pp.Body, "111-0000000-0000777") {
		t.Fatalf("pre-emptive tasks page: %d %.300s", pp.Status, pp.Body)
	}
	tasks, _ := stack.Do(context.Background(), http.MethodGet, "/v1/preemptive-tasks?order_id=111-0000000-0000777", agent, nil)
	items, _ := tasks.Map()["items"].([]any)
	if len(items) != 1 {
		t.Fatalf("pre-emptive tasks %s", tasks.Body)
	}
	id := items[0].(map[string]any)["id"].(string)
	if d := b.post("/ui/preemptive/"+url.PathEscape(id)+"/complete", url.Values{"note": {"wrote to the buyer in Seller Central"}}); d.Status != http.StatusSeeOther {
		t.Errorf("complete: %d %.300s", d.Status, d.Body)
	}

	// An automation may not open the message centre; the nav shows it only to whom may.
	if p := signIn(t, robot).get("/ui/messages"); p.Status != http.StatusForbidden {
		t.Errorf("automation on the message centre: %d", p.Status)
	}
	if !strings.Contains(b.get("/ui/inbox").Body, `href="/ui/messages"`) {
		t.Errorf("the agent's nav lacks the message centre")
	}
	_ = cases.Amazon
}

// A case links to its order's history before the review.
func TestCaseLinksToItsOrdersCare(t *testing.T) {
	ctx := context.Background()
	do := func(method, path, token string, body any, want int) map[string]any {
		t.Helper()
		r, err := stack.Do(ctx, method, path, token, body)
		if err != nil || r.Status != want {
			t.Fatalf("%s %s: %v %d %s", method, path, err, r.Status, r.Body)
		}
		return r.Map()
	}
	do(http.MethodPut, "/v1/shops/ebay/demo-seller/order-care", manager, map[string]any{"enabled": true, "quiet_start": 0, "quiet_end": 0}, http.StatusOK)
	t.Cleanup(func() {
		_, _ = stack.Do(ctx, http.MethodPut, "/v1/shops/ebay/demo-seller/order-care", manager, map[string]any{"enabled": false})
	})
	o := addReview(t, cases.EBay, "demo-seller", "Arrived broken")
	do(http.MethodPost, "/v1/orders", robot, map[string]any{"marketplace": "ebay", "shop_id": "demo-seller", "order_id": o.Order,
		"shipment": map[string]any{"status": "shipped", "tracking_number": "1ZCASE", "carrier": "UPS"}}, http.StatusAccepted)
	caseID := postReview(t, o)

	b := signIn(t, agent)
	if p := b.get("/ui/cases/" + caseID); !strings.Contains(p.Body, "/ui/cases/"+caseID+"/order-care") {
		t.Errorf("the case page does not link to its order's care")
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		p := b.get("/ui/cases/" + caseID + "/order-care")
		if p.Status == http.StatusOK && strings.Contains(p.Body, "1ZCASE") && strings.Contains(p.Body, "shipped") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("case order-care page: %d %.600s", p.Status, p.Body)
		}
		time.Sleep(300 * time.Millisecond)
	}
	if p := signIn(t, manager).get("/ui/reports"); p.Status != http.StatusOK || !strings.Contains(p.Body, `id="oc-h"`) {
		t.Errorf("the weekly report page lacks its order-care part: %d", p.Status)
	}
}
