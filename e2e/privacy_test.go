package e2e

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/internal/payloadcrypt"
	"github.com/redress-hq/redress/simulator"
)

// TestNoBuyerDataInClear runs a case on the real stack and reads its
// history as Temporal stores it (a client without the payload codec) and its
// rows as PostgreSQL stores them: no buyer name, review text or message
// appears in clear, and neither the workflow id nor the search attributes
// carry them; the API still reads them.
func TestNoBuyerDataInClear(t *testing.T) {
	ctx := context.Background()
	const (
		buyerName = "Zuleika Brandao-Quintero"
		review    = "Garrafa ZQX-V chegou amassada e vazando"
		message   = "Moro na Rua Xapuri 77 e a garrafa ZQX-W vazou"
	)
	rv, order, err := stack.Simulator.AddReview(simulator.NewReview{
		Platform: cases.MercadoLibre, ShopID: "1001", Rating: 1, Text: review,
		BuyerID: "buyer-privacy", BuyerName: buyerName, Item: "Thermos",
		Amount: 12000, ShippingFee: 1500, Courier: "Correo", TrackingNumber: "TN-privacy",
	})
	if err != nil {
		t.Fatal(err)
	}
	created := do(t, http.MethodPost, "/v1/reviews", robot, map[string]any{
		"marketplace": "mercadolibre", "shop_id": "1001", "review_id": rv.ID, "order_id": order.ID,
		"rating": 1, "text": review, "created_at": time.Now().UTC().Format(time.RFC3339),
		"buyer":        map[string]any{"id": order.BuyerID, "name": buyerName},
		"order_amount": 120.00, "shipping_fee": 15.00, "currency": "BRL",
	})
	mustStatus(t, created, http.StatusCreated, "post review")
	id := caseIDOf(t, created)
	c := waitCase(t, id, func(map[string]any) bool { return true })
	mustStatus(t, do(t, http.MethodPost, "/v1/cases/"+id+"/buyer-replies", robot,
		map[string]any{"message_id": "privacy-1", "text": message}), http.StatusOK, "buyer reply")
	waitEvent(t, id, "buyer_replied")

	// The API, through the codec and the buyer's key, still reads them.
	if c["text"] != review || c["buyer_name"] != buyerName {
		t.Fatalf("case text through the API = %v", c["text"])
	}

	secrets := []string{"Zuleika", "ZQX-V", "ZQX-W", "Xapuri"} // a '-' no base64 ciphertext can hold by chance
	wid := cases.WorkflowIDFor(id)
	iter := stack.RawTemporal.GetWorkflowHistory(ctx, wid, "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	var events, encrypted int
	for iter.HasNext() {
		ev, err := iter.Next()
		if err != nil {
			t.Fatal(err)
		}
		events++
		// The event's wire form: payload bytes as stored, not base64.
		raw, _ := proto.Marshal(ev)
		for _, s := range secrets {
			if strings.Contains(string(raw), s) {
				t.Errorf("history event %d (%s) holds %q in clear", ev.EventId, ev.EventType, s)
			}
		}
		encrypted += strings.Count(string(raw), payloadcrypt.Encoding)
	}
	if events == 0 || encrypted == 0 {
		t.Fatalf("read %d events, %d encrypted payloads: the test reads nothing", events, encrypted)
	}
	t.Logf("%d history events, %d encrypted payloads", events, encrypted)

	desc, err := stack.RawTemporal.DescribeWorkflowExecution(ctx, wid, "")
	if err != nil {
		t.Fatal(err)
	}
	info, _ := protojson.Marshal(desc.WorkflowExecutionInfo)
	for _, s := range append(secrets, order.BuyerID) {
		if strings.Contains(wid, s) || strings.Contains(string(info), s) {
			t.Errorf("workflow id or search attributes hold %q: %s %s", s, wid, info)
		}
	}
	if desc.WorkflowExecutionInfo.GetSearchAttributes() == nil {
		t.Error("no search attributes read: the check above saw nothing")
	}

	// PostgreSQL: the case row, its events and its tasks as stored.
	var rows []string
	for _, q := range []string{
		`SELECT c::text FROM cases c WHERE id = $1`,
		`SELECT e::text FROM case_events e WHERE case_id = $1`,
		`SELECT t::text FROM tasks t WHERE case_id = $1`,
	} {
		var got []string
		if err := stack.Store.DB().SelectContext(ctx, &got, q, id); err != nil {
			t.Fatal(err)
		}
		if len(got) == 0 {
			t.Fatalf("%s: no rows, the check would read nothing", q)
		}
		rows = append(rows, got...)
	}
	raw := strings.Join(rows, "\n")
	for _, s := range secrets {
		if strings.Contains(raw, s) {
			t.Errorf("PostgreSQL holds %q in clear", s)
		}
	}
	if !strings.Contains(raw, "rdx1:") {
		t.Error("nothing sealed in PostgreSQL: the check reads nothing")
	}
}

// TestErasureClosesOpenCasesAndKeepsTheTimeline erases a buyer with an open
// case on the real stack: the case closes with outcome erased through its
// workflow, every event is still listed in order, and nothing the buyer
// said can be read any more, through the API or in PostgreSQL.
func TestErasureClosesOpenCasesAndKeepsTheTimeline(t *testing.T) {
	const text, reply = "Cafetera KQZ llegó sin tapa", "Mi dirección es Calle Olmo 14, KQW"
	rv, order, err := stack.Simulator.AddReview(simulator.NewReview{
		Platform: cases.MercadoLibre, ShopID: "1001", Rating: 1, Text: text,
		BuyerID: "buyer-erased", BuyerName: "Leocadia Ybarra", Item: "Cafetera",
		Amount: 9000, ShippingFee: 900, Courier: "Correo", TrackingNumber: "TN-erase",
	})
	if err != nil {
		t.Fatal(err)
	}
	created := do(t, http.MethodPost, "/v1/reviews", robot, map[string]any{
		"marketplace": "mercadolibre", "shop_id": "1001", "review_id": rv.ID, "order_id": order.ID,
		"rating": 1, "text": text, "created_at": time.Now().UTC().Format(time.RFC3339),
		"buyer":        map[string]any{"id": order.BuyerID, "name": "Leocadia Ybarra"},
		"order_amount": 90.00, "shipping_fee": 9.00, "currency": "ARS",
	})
	mustStatus(t, created, http.StatusCreated, "post review")
	id := caseIDOf(t, created)
	waitCase(t, id, func(map[string]any) bool { return true })
	mustStatus(t, do(t, http.MethodPost, "/v1/cases/"+id+"/buyer-replies", robot,
		map[string]any{"message_id": "erase-1", "text": reply}), http.StatusOK, "buyer reply")
	waitEvent(t, id, "buyer_replied")
	before := eventTypes(t, id)

	erasure := map[string]any{"marketplace": "mercadolibre", "buyer_id": order.BuyerID, "reason": "buyer's request by e-mail"}
	mustStatus(t, do(t, http.MethodPost, "/v1/privacy/erasures", agent, erasure), http.StatusForbidden, "agent erasing")
	r := do(t, http.MethodPost, "/v1/privacy/erasures", manager, erasure)
	mustStatus(t, r, http.StatusOK, "erasure")
	body := r.Map()
	if closed, _ := body["closed"].([]any); len(closed) != 1 || closed[0] != id {
		t.Fatalf("erasure closed %v, want [%s]: %s", body["closed"], id, r.Body)
	}

	c := waitCase(t, id, func(c map[string]any) bool { return c["status"] == "closed" })
	if c["outcome"] != string(cases.OutcomeErased) {
		t.Errorf("outcome %v, want erased", c["outcome"])
	}
	if c["text"] != "[erased]" || c["buyer_name"] != "[erased]" {
		t.Errorf("case still reads text %v, buyer %v", c["text"], c["buyer_name"])
	}
	after := eventTypes(t, id) // checks the order too
	if len(after) < len(before)+1 || after[len(after)-1] != "case_closed" {
		t.Fatalf("timeline before %v, after %v", before, after)
	}
	for i := range before {
		if after[i] != before[i] {
			t.Fatalf("event %d was %s, now %s", i, before[i], after[i])
		}
	}
	events := do(t, http.MethodGet, "/v1/cases/"+id+"/events?limit=200", manager, nil)
	exp := do(t, http.MethodGet, "/v1/privacy/buyers/mercadolibre/"+order.BuyerID+"/export", manager, nil)
	mustStatus(t, exp, http.StatusOK, "export")
	var raw []string
	for _, q := range []string{`SELECT c::text FROM cases c WHERE id = $1`, `SELECT e::text FROM case_events e WHERE case_id = $1`,
		`SELECT t::text FROM tasks t WHERE case_id = $1`} {
		var got []string
		if err := stack.Store.DB().SelectContext(context.Background(), &got, q, id); err != nil {
			t.Fatal(err)
		}
		raw = append(raw, got...)
	}
	for _, s := range []string{"Leocadia", "KQZ", "KQW", "Olmo"} {
		for what, b := range map[string]string{"events": string(events.Body), "export": string(exp.Body), "rows": strings.Join(raw, "\n")} {
			if strings.Contains(b, s) {
				t.Errorf("%s still hold %q after erasure", what, s)
			}
		}
	}
}
