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
		review    = "Garrafa ZQXV chegou amassada e vazando"
		message   = "Moro na Rua Xapuri 77 e a garrafa ZQXW vazou"
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

	secrets := []string{"Zuleika", "ZQXV", "ZQXW", "Xapuri"}
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
