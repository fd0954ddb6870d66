package api

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/ordercare"
	"github.com/redress-hq/redress/store"
	"github.com/redress-hq/redress/workflows"
)

// walkExempt are the routes that hold no organisation's data, each with the
// reason. Every other route of the router is walked by
// TestRouteWalkFindsNoCrossOrganisationLeak, so a new route is walked the
// day it is added.
var walkExempt = map[string]string{
	"GET /healthz":                   "liveness, no data",
	"GET /readyz":                    "readiness, no data",
	"GET /metrics":                   "process metrics, no case data",
	"GET /openapi.json":              "the API's contract",
	"POST /v1/webhooks/:marketplace": "no token: verified by the platform's signature; acts for the shop's owner (scopeOfShop)",
	"GET /v1/webhooks/:marketplace":  "the platform's endpoint challenge, no data",
	"GET /v1/order-care/allowances":  "the platforms' published contact allowances, the same for every seller",
}

// walkSecret marks every piece of organisation A's data; no answer to
// another caller may contain it.
const walkSecret = "ORGA-SECRET"

// walkBodies are request bodies that pass validation, so a handler gets as
// far as the data; routes not listed get {}.
var walkBodies = map[string]string{
	"POST /v1/reviews": `{"marketplace":"mercadolibre","shop_id":"ml-a","review_id":"walk-new","rating":1,` +
		`"text":"mal","created_at":"2026-10-05T08:00:00Z","order_id":"o-1"}`,
	"POST /v1/cases/:id/buyer-replies":                                            `{"text":"hola"}`,
	"POST /v1/cases/:id/notes":                                                    `{"text":"nota"}`,
	"POST /v1/cases/:id/reclassify":                                               `{"issue":"quality","reason":"walk"}`,
	"POST /v1/cases/:id/close":                                                    `{"reason":"walk"}`,
	"POST /v1/tasks/:id/assign":                                                   `{"assignee":"someone"}`,
	"POST /v1/tasks/:id/complete":                                                 `{"result":{}}`,
	"POST /v1/incidents/:id/retry":                                                `{"reason":"walk"}`,
	"POST /v1/incidents/:id/skip":                                                 `{"reason":"walk"}`,
	"PUT /v1/couriers/:courier/volumes/:month":                                    `{"shop_id":"ml-a","shipments":10}`,
	"PUT /v1/shops/:marketplace/:shop/order-care":                                 `{"enabled":true,"time_zone":"UTC","language":"es"}`,
	"PUT /v1/shops/:marketplace/:shop/touchpoint-templates/:touchpoint/:language": `{"text":"hola {{.BuyerName}}"}`,
	"POST /v1/orders":                                                             `{"marketplace":"mercadolibre","shop_id":"ml-a","order_id":"ORGA-SECRET-order","status":"paid"}`,
	"POST /v1/messages": `{"marketplace":"mercadolibre","shop_id":"ml-a","external_id":"walk-1","text":"hola",` +
		`"order_id":"ORGA-SECRET-order","received_at":"2026-10-05T08:00:00Z"}`,
	"POST /v1/messages/:id/answer":              `{"text":"respuesta"}`,
	"POST /v1/messages/:id/escalate":            `{"reason":"walk"}`,
	"POST /v1/preemptive-tasks/:id/complete":    `{"note":"walk"}`,
	"POST /v1/quick-replies":                    `{"marketplace":"mercadolibre","shop_id":"ml-a","language":"es","name":"n","text":"t"}`,
	"PATCH /v1/shops/:marketplace/:shop":        `{"display_name":"taken"}`,
	"POST /v1/shops/:marketplace/:shop/disable": `{}`,
	"PATCH /v1/users/:id":                       `{"name":"taken"}`,
	"PUT /v1/users/:id/password":                `{"password":"a long enough password"}`,
	"POST /v1/tokens":                           `{"name":"walk","role":"agent","user_id":"{user}"}`,
}

// walkSeed is organisation A's data the walk tries to reach.
type walkSeed struct {
	caseID, taskID, incidentID, messageID, preemptiveID, orderID, userID, tokenID string
}

// walkPath fills a route's parameters with organisation A's identifiers.
func (w walkSeed) path(route string) string {
	p := strings.NewReplacer(
		":marketplace", "mercadolibre", ":shop", "ml-a", ":order", w.orderID,
		":courier", "correios", ":month", "2026-10", ":touchpoint", "shipped", ":language", "es",
	).Replace(route)
	id := map[string]string{
		"/v1/cases/": w.caseID, "/v1/tasks/": w.taskID, "/v1/incidents/": w.incidentID,
		"/v1/messages/": w.messageID, "/v1/preemptive-tasks/": w.preemptiveID,
		"/v1/users/": w.userID, "/v1/tokens/": w.tokenID,
	}
	for prefix, v := range id {
		if strings.HasPrefix(p, prefix+":id") {
			return strings.Replace(p, ":id", v, 1)
		}
	}
	return p
}

// namesData: the route names one of A's things, so any success, 403 or
// server error means the handler reached it.
func namesData(route string) bool {
	return strings.Contains(route, ":id") || strings.Contains(route, ":shop") || strings.Contains(route, ":order")
}

func walkSuffix(t *testing.T) string {
	var b [4]byte
	_, err := rand.Read(b[:])
	require.NoError(t, err)
	return hex.EncodeToString(b[:])
}

// seedWalk creates organisations A and B, A's shops, data and users, and
// returns A's identifiers with the tokens that must not reach them.
func seedWalk(t *testing.T, h *harness) (walkSeed, map[string]string) {
	ctx := context.Background()
	st := h.store // the system's store
	_, err := st.CreateOrganisation(ctx, "orga", "Organisation A")
	require.NoError(t, err)
	_, err = st.CreateOrganisation(ctx, "orgb", "Organisation B")
	require.NoError(t, err)
	for _, sh := range []store.Shop{
		{OrgID: "orga", Marketplace: cases.MercadoLibre, ShopID: "ml-a", DisplayName: walkSecret + " shop", Enabled: true},
		{OrgID: "orga", Marketplace: cases.EBay, ShopID: "eb-a", Enabled: true},
		{OrgID: "orgb", Marketplace: cases.Amazon, ShopID: "am-b", Enabled: true},
	} {
		_, err := st.CreateShop(ctx, sh)
		require.NoError(t, err)
	}

	// A's case, with a running workflow (no worker: an Update that reached
	// it would hang to a timeout, which the walk counts as a leak).
	review := "walk-" + walkSuffix(t)
	kase := testCase(review, time.Now().UTC().Add(-time.Hour))
	kase.ShopID, kase.Text, kase.BuyerName, kase.OrderID = "ml-a", walkSecret+" review", walkSecret+" buyer", walkSecret+"-order"
	kase.ID = cases.CaseIDFor(cases.MercadoLibre, "ml-a", review)
	kase.WorkflowID = cases.WorkflowIDFor(kase.ID)
	task := cases.Task{ID: kase.ID + "-contact_buyer-1", CaseID: kase.ID, WorkflowID: kase.WorkflowID,
		Kind: cases.TaskContactBuyer, Status: cases.TaskOpen, Role: cases.RoleAgent, Marketplace: kase.Marketplace,
		ShopID: kase.ShopID, Input: json.RawMessage(`{"draft":"` + walkSecret + `"}`),
		CreatedAt: kase.OpenedAt, UpdatedAt: kase.OpenedAt, Version: 1}
	inc := cases.Incident{ID: kase.ID + "-send_buyer_message", CaseID: kase.ID, WorkflowID: kase.WorkflowID,
		Marketplace: kase.Marketplace, ShopID: kase.ShopID, Call: "send_buyer_message", Step: "send_buyer_message",
		ErrorClass: cases.ErrPermanent, Message: walkSecret, Attempts: 3, Params: json.RawMessage(`{}`),
		Status: cases.IncidentOpen, CreatedAt: kase.OpenedAt, UpdatedAt: kase.OpenedAt, Version: 1}
	ev := cases.Event{CaseID: kase.ID, Seq: 1, Type: cases.EventNoteAdded, Actor: "a", Role: cases.RoleAgent,
		At: kase.OpenedAt, Data: json.RawMessage(`{"text":"` + walkSecret + `"}`)}
	h.seedCase(cases.SyncBatch{Case: kase, Events: []cases.Event{ev}, Tasks: []cases.Task{task}, Incidents: []cases.Incident{inc}})
	_, err = workflows.StartCase(ctx, devTemporal, workflows.CaseInput{CaseID: kase.ID,
		Review: cases.Review{Marketplace: cases.MercadoLibre, ShopID: "ml-a", ReviewID: review, Rating: 1,
			Text: walkSecret, CreatedAt: kase.ReviewCreatedAt}, ReceivedAt: time.Now().UTC()})
	require.NoError(t, err)
	t.Cleanup(func() { _ = devTemporal.TerminateWorkflow(context.Background(), kase.WorkflowID, "", "walk over") })

	// A's order care, messages, pre-emptive task, quick reply, courier volume.
	_, err = st.PutOrderCareShop(ctx, store.OrderCareShop{Marketplace: cases.MercadoLibre, ShopID: "ml-a", Enabled: true,
		TimeZone: "UTC", Language: "es", UpdatedBy: walkSecret})
	require.NoError(t, err)
	order := store.CareOrder{Key: "mercadolibre:ml-a:" + kase.OrderID, Marketplace: cases.MercadoLibre, ShopID: "ml-a",
		OrderID: kase.OrderID, WorkflowID: "care-" + kase.OrderID, BuyerID: walkSecret, Status: "paid",
		State: json.RawMessage(`{}`), StartedAt: kase.OpenedAt, UpdatedAt: kase.OpenedAt, Version: 1}
	require.NoError(t, st.SyncCareOrder(ctx, order))
	msg, _, err := st.AddBuyerMessage(ctx, ordercare.NewMessage(cases.MercadoLibre, "ml-a", "m-1", ordercare.KindMessage,
		kase.OrderID, "", "", walkSecret+" message", kase.OpenedAt))
	require.NoError(t, err)
	_, err = st.RaisePreemptiveTask(ctx, store.PreemptiveTask{ID: "pt-walk-" + review, OrderKey: order.Key,
		Marketplace: cases.MercadoLibre, ShopID: "ml-a", OrderID: kase.OrderID, Signal: "stalled", Summary: walkSecret, Evidence: json.RawMessage(`{}`),
		Status: "open", RaisedAt: kase.OpenedAt})
	require.NoError(t, err)
	_, err = st.AddQuickReply(ctx, store.QuickReply{ID: "qr-walk", Marketplace: cases.MercadoLibre, ShopID: "ml-a",
		Language: "es", Name: walkSecret, Text: walkSecret, CreatedBy: "a"})
	require.NoError(t, err)
	orgA := store.WithScope(ctx, store.OrgScope("orga"))
	require.NoError(t, st.SetCourierVolume(orgA, "ml-a", "correios", time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC), 4242))

	// A's user and token, and the callers that must not see any of it.
	user, err := st.CreateUser(ctx, store.UserSpec{OrgID: "orga", Email: "ana@orga.example", Name: walkSecret, Role: cases.RoleManager})
	require.NoError(t, err)
	tokA, err := st.CreateTokenFor(ctx, store.TokenSpec{Name: walkSecret, Role: cases.RoleAutomation, OrgID: "orga"}, "hash-"+review)
	require.NoError(t, err)
	eBayAdmin, err := st.CreateUser(ctx, store.UserSpec{OrgID: "orga", Email: "ebay@orga.example", Role: cases.RoleAdmin,
		Shops: []string{"ebay:eb-a"}})
	require.NoError(t, err)
	callers := map[string]string{}
	for name, spec := range map[string]store.TokenSpec{
		"organisation B's admin":         {Name: "b-admin", Role: cases.RoleAdmin, OrgID: "orgb"},
		"organisation B's automation":    {Name: "b-bot", Role: cases.RoleAutomation, OrgID: "orgb"},
		"A's admin limited to eBay":      {Name: "a-ebay", Role: cases.RoleAdmin, User: eBayAdmin.ID},
		"A's automation limited to eBay": {Name: "a-ebay-bot", Role: cases.RoleAutomation, OrgID: "orga", Shops: []string{"ebay:eb-a"}},
	} {
		plain, hash, err := GenerateToken()
		require.NoError(t, err)
		_, err = st.CreateTokenFor(ctx, spec, hash)
		require.NoError(t, err)
		callers[name] = plain
	}
	var pt []store.PreemptiveTask
	pt, err = st.ListPreemptiveTasks(ctx, store.PreemptiveFilter{})
	require.NoError(t, err)
	require.NotEmpty(t, pt)
	return walkSeed{caseID: kase.ID, taskID: task.ID, incidentID: inc.ID, messageID: msg.ID, preemptiveID: pt[0].ID,
		orderID: kase.OrderID, userID: user.ID, tokenID: tokA.ID}, callers
}

// roleOf is each walking caller's role: a 403 for a role the route refuses
// says nothing about the data.
var roleOf = map[string]cases.Role{
	"organisation B's admin": cases.RoleAdmin, "organisation B's automation": cases.RoleAutomation,
	"A's admin limited to eBay": cases.RoleAdmin, "A's automation limited to eBay": cases.RoleAutomation,
}

// TestRouteWalkFindsNoCrossOrganisationLeak calls every route of the router
// as organisation B and as users of A limited to A's other shop, with A's
// identifiers in the path. A success that names A's data or returns any of
// it, a 403 (which would confirm A's thing exists) or a server error (the
// handler reached A's workflow) is a leak.
func TestRouteWalkFindsNoCrossOrganisationLeak(t *testing.T) {
	h := newHarness(t)
	seed, callers := seedWalk(t, h)
	routes := h.srv.echo.Routes()
	require.NotEmpty(t, routes)
	walked, codes := 0, map[int]int{}
	for _, r := range routes {
		key := r.Method + " " + r.Path
		if _, ok := walkExempt[key]; ok || strings.HasPrefix(r.Path, "/ui") || r.Method == "echo_route_not_found" {
			// The console (/ui) renders through these very routes in-process
			// with the signed-in caller's token.
			continue
		}
		walked++
		body := walkBodies[key]
		if body == "" && r.Method != http.MethodGet && r.Method != http.MethodDelete {
			body = "{}"
		}
		body = strings.ReplaceAll(body, "{user}", seed.userID)
		path := seed.path(r.Path)
		for who, token := range callers {
			req := httptest.NewRequest(r.Method, path, strings.NewReader(body))
			req.Header.Set("Authorization", "Bearer "+token)
			if body != "" {
				req.Header.Set("Content-Type", "application/json")
			}
			rec := httptest.NewRecorder()
			h.srv.Handler().ServeHTTP(rec, req)
			checkContract(t, req, []byte(body), rec)
			code, answer := rec.Code, rec.Body.Bytes()
			codes[code]++
			switch {
			case code == http.StatusForbidden && namesData(r.Path) && h.srv.allowed(roleOf[who], r.Method, r.Path):
				t.Errorf("%s as %s: 403 confirms A's data exists: %s", key, who, answer)
			case code >= 500:
				t.Errorf("%s as %s: %d (the handler went past the scope?): %s", key, who, code, answer)
			case code < 300 && namesData(r.Path):
				t.Errorf("%s as %s: %d on A's %s: %s", key, who, code, path, answer)
			case code < 300 && bytes.Contains(answer, []byte(walkSecret)):
				t.Errorf("%s as %s: %d returns A's data: %s", key, who, code, answer)
			}
		}
	}
	require.Greater(t, walked, 30, "the walk covers the router")
	t.Logf("walked %d routes x %d callers; answers by status: %v", walked, len(callers), codes)

	// The walk can fail: A's own admin reaches the same case.
	plain, hash, err := GenerateToken()
	require.NoError(t, err)
	_, err = h.store.CreateTokenFor(context.Background(), store.TokenSpec{Name: "a-admin", Role: cases.RoleAdmin, OrgID: "orga"}, hash)
	require.NoError(t, err)
	req := httptest.NewRequest(http.MethodGet, "/v1/cases/"+seed.caseID, nil)
	req.Header.Set("Authorization", "Bearer "+plain)
	rec := httptest.NewRecorder()
	h.srv.Handler().ServeHTTP(rec, req)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	require.Contains(t, rec.Body.String(), walkSecret)
}
