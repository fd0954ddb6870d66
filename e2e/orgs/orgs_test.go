package orgs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"

	"go.temporal.io/api/serviceerror"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/intake"
	"github.com/redress-hq/redress/internal/testenv"
	"github.com/redress-hq/redress/marketplace"
	"github.com/redress-hq/redress/simulator"
	"github.com/redress-hq/redress/workflows"
)

func call(t *testing.T, method, path, token string, body any, want int) map[string]any {
	t.Helper()
	resp, err := stack.Do(context.Background(), method, path, token, body)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	if resp.Status != want {
		t.Fatalf("%s %s: %d, want %d: %s", method, path, resp.Status, want, resp.Body)
	}
	if len(resp.Body) == 0 || resp.Body[0] != '{' {
		return nil
	}
	return resp.Map()
}

// org creates an organisation and an admin token of it, as the deployment's admin.
func org(t *testing.T, id string) string {
	call(t, http.MethodPost, "/v1/organisations", testenv.AdminToken, map[string]any{"id": id, "name": id}, http.StatusCreated)
	return call(t, http.MethodPost, "/v1/tokens", testenv.AdminToken,
		map[string]any{"name": id + "-admin", "role": "admin", "org_id": id}, http.StatusCreated)["token"].(string)
}

// TestTwoOrganisationsSideBySide: Acme registers an eBay shop selling in
// USD with an approval limit of $50.00 and Bolt a Taobao shop selling in
// CNY with ¥500.00, through the API while everything runs. Each shop's
// poll schedule starts at once and opens the case of a bad review that
// only polling can see; each case keeps its own shop's settings; neither
// organisation sees the other's case; a disabled shop's schedule stops.
func TestTwoOrganisationsSideBySide(t *testing.T) {
	ctx := context.Background()
	acme, bolt := org(t, "acme"), org(t, "bolt")
	shops := []struct {
		token    string
		m        cases.Marketplace
		shop     string
		currency string
		limit    int64
	}{
		{acme, cases.EBay, "demo-seller", "USD", 5000},
		{bolt, cases.Taobao, "demo-shop", "CNY", 50000},
	}
	caseIDs := map[string]string{}
	for _, sh := range shops {
		// A 5★ review turned 1★ on the platform notifies nobody: only the
		// shop's poll can open its case. Added before the shop is
		// registered, so its first poll finds it.
		rv, order, err := stack.Simulator.AddReview(simulator.NewReview{Platform: sh.m, ShopID: sh.shop, Rating: 5,
			Text: "great", BuyerID: fmt.Sprintf("b-%d", time.Now().UnixNano()), BuyerName: "Ana", Item: "Thermos",
			Amount: 5990, ShippingFee: 800, Currency: sh.currency, Courier: "Correo", TrackingNumber: "TN1"})
		if err != nil {
			t.Fatal(err)
		}
		if err := stack.Simulator.Revise(sh.m, rv.ID, 1, "arrived broken, the lid is cracked"); err != nil {
			t.Fatal(err)
		}
		reviewID := rv.ID
		if sh.m == cases.Taobao {
			reviewID = marketplace.JoinID(order.ID, rv.ID)
		}
		caseIDs[sh.shop] = cases.CaseIDFor(sh.m, sh.shop, reviewID)

		got := call(t, http.MethodPost, "/v1/shops", sh.token, map[string]any{"marketplace": sh.m, "shop_id": sh.shop,
			"display_name": sh.shop, "currency": sh.currency, "policy": map[string]any{"approval_limit": sh.limit}}, http.StatusCreated)
		if got["poll"] != true || got["enabled"] != true {
			t.Fatalf("shop %s registered without polling: %v", sh.shop, got)
		}
	}

	for _, sh := range shops {
		id := caseIDs[sh.shop]
		v, err := stack.WaitCase(ctx, sh.token, id, func(testenv.CaseView) bool { return true })
		if err != nil {
			t.Fatalf("%s: the poll did not open case %s: %v", sh.shop, id, err)
		}
		if v.Case.ShopID != sh.shop {
			t.Errorf("case %s is of shop %s", id, v.Case.ShopID)
		}
		// Each case keeps the settings of its own shop, recorded when it opened.
		evs, err := stack.Events(ctx, sh.token, id)
		if err != nil {
			t.Fatal(err)
		}
		var settings *workflows.CaseSettings
		for _, e := range evs {
			if e.Type == cases.EventCaseOpened {
				var d struct {
					Settings *workflows.CaseSettings `json:"settings"`
				}
				if err := json.Unmarshal(e.Data, &d); err != nil {
					t.Fatal(err)
				}
				settings = d.Settings
			}
		}
		if settings == nil || settings.ApprovalLimit != cases.Money(sh.limit) || settings.Currency != sh.currency {
			t.Errorf("case %s opened with settings %+v, want limit %d %s", id, settings, sh.limit, sh.currency)
		}
	}

	// Neither sees the other's case: not by id, not in a list.
	for _, pair := range [][2]string{{acme, caseIDs["demo-shop"]}, {bolt, caseIDs["demo-seller"]}} {
		call(t, http.MethodGet, "/v1/cases/"+pair[1], pair[0], nil, http.StatusNotFound)
		call(t, http.MethodGet, "/v1/cases/"+pair[1]+"/events", pair[0], nil, http.StatusNotFound)
	}
	for token, own := range map[string]string{acme: "demo-seller", bolt: "demo-shop"} {
		list := call(t, http.MethodGet, "/v1/cases?limit=200", token, nil, http.StatusOK)["items"].([]any)
		for _, it := range list {
			if shop := it.(map[string]any)["shop_id"]; shop != own {
				t.Errorf("a list shows a case of shop %v to the organisation of %s", shop, own)
			}
		}
	}

	// Disabling a shop stops its poll schedule.
	call(t, http.MethodPost, "/v1/shops/ebay/demo-seller/disable", acme, nil, http.StatusOK)
	_, err := stack.Temporal.ScheduleClient().GetHandle(ctx, intake.PollWorkflowID(cases.EBay, "demo-seller")).Describe(ctx)
	var nf *serviceerror.NotFound
	if !errors.As(err, &nf) {
		t.Errorf("the disabled shop's schedule is still there (%v)", err)
	}
	if _, err := stack.Temporal.ScheduleClient().GetHandle(ctx, intake.PollWorkflowID(cases.Taobao, "demo-shop")).Describe(ctx); err != nil {
		t.Errorf("the enabled shop's schedule: %v", err)
	}
}
