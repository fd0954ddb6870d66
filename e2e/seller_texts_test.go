package e2e

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	openapitypes "github.com/oapi-codegen/runtime/types"

	"github.com/redress-hq/redress/api/client"
	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/internal/testenv"
)

// slackInbox accepts what a Slack incoming webhook accepts (JSON with a
// text) and keeps the texts.
type slackInbox struct {
	mu    sync.Mutex
	texts []string
}

func (s *slackInbox) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var msg struct {
		Text   string `json:"text"`
		Blocks []any  `json:"blocks"`
	}
	raw, _ := io.ReadAll(r.Body)
	if r.URL.Path != "/services/T1/B1/seller" || json.Unmarshal(raw, &msg) != nil || msg.Text == "" {
		http.Error(w, "invalid_payload", http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	s.texts = append(s.texts, msg.Text+"\n"+string(raw))
	s.mu.Unlock()
	_, _ = io.WriteString(w, "ok")
}

func (s *slackInbox) mentioning(sub string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, t := range s.texts {
		if strings.Contains(t, sub) {
			n++
		}
	}
	return n
}

// TestSellerTemplatesAndAlertsThroughGeneratedClient drives the seller's own
// texts and alerts with the client generated from openapi.json: a manager
// adds Slack and e-mail channels and saves a first-contact template (a
// non-compliant one is refused at save); a new bad review reaches both
// receivers, and its contact draft is the template signed with the shop's
// display name; an edited template is used by the next case, which records
// the version it opened with.
func TestSellerTemplatesAndAlertsThroughGeneratedClient(t *testing.T) {
	ctx := context.Background()
	c := generatedClient(t, manager)
	feeder := generatedClient(t, robot)

	// The shop's display name (the shops API is the organisations work's; the row is what it writes).
	if _, err := stack.Store.DB().ExecContext(ctx, `INSERT INTO shops (org_id, marketplace, shop_id, display_name)
		VALUES ('default', 'mercadolibre', '1001', 'Casa Norte')
		ON CONFLICT (marketplace, shop_id) DO UPDATE SET display_name = EXCLUDED.display_name`); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_, _ = stack.Store.DB().ExecContext(ctx, `UPDATE shops SET display_name = '' WHERE marketplace = 'mercadolibre' AND shop_id = '1001'`)
	})

	inbox := &slackInbox{}
	slack := httptest.NewServer(inbox)
	t.Cleanup(slack.Close)
	shop, slackURL := "1001", slack.URL+"/services/T1/B1/seller"
	newCase := []client.AlertChannelRequestKinds{"new_case"}
	for _, req := range []client.AlertChannelRequest{
		{Name: "shop 1001 on Slack", Type: "slack", Url: &slackURL, ShopId: &shop, Kinds: &newCase},
		{Name: "seller team", Type: "email", Recipients: &[]openapitypes.Email{"ops@casanorte.test"}, ShopId: &shop, Kinds: &newCase},
	} {
		r, err := c.CreateAlertChannelWithResponse(ctx, req)
		if err != nil || r.JSON201 == nil {
			t.Fatalf("create channel %s: %v %d %s", req.Name, err, r.StatusCode(), r.Body)
		}
		id := r.JSON201.Id
		t.Cleanup(func() { _, _ = c.DeleteAlertChannelWithResponse(ctx, id) })
	}

	// A template that could never be sent is refused at save, with the reason.
	refused, err := c.SaveTemplateWithResponse(ctx, client.TemplateRequest{Marketplace: "mercadolibre", Purpose: "first_contact", Language: "es",
		Body: "¡Hola! {apology} Vea cómo seguir su envío en https://casanorte.test/envios"})
	if err != nil || refused.ApplicationproblemJSON422 == nil || refused.ApplicationproblemJSON422.Code != "template_refused" {
		t.Fatalf("non-compliant template: %v %d %s", err, refused.StatusCode(), refused.Body)
	}

	save := func(body string) client.SavedTemplate {
		r, err := c.SaveTemplateWithResponse(ctx, client.TemplateRequest{Marketplace: "mercadolibre", Purpose: "first_contact", Language: "es", Body: body})
		if err != nil || r.JSON200 == nil {
			t.Fatalf("save template: %v %d %s", err, r.StatusCode(), r.Body)
		}
		return *r.JSON200
	}
	v1 := save("¡Hola! Somos {shop}. {apology} Cuéntenos qué pasó y lo resolvemos hoy mismo.")
	t.Cleanup(func() { _, _ = c.WithdrawTemplateWithResponse(ctx, v1.Id) })

	openCase := func(text string) (string, string) {
		review := newOrderReview(t, cases.MercadoLibre, shop, 1, text)
		raw, _ := json.Marshal(review)
		var body client.ReviewRequest
		if err := json.Unmarshal(raw, &body); err != nil {
			t.Fatal(err)
		}
		r, err := feeder.CreateReviewWithResponse(ctx, body)
		if err != nil || r.JSON201 == nil || r.JSON201.Case == nil || r.JSON201.Case.Id == nil {
			t.Fatalf("post review: %v %d %s", err, r.StatusCode(), r.Body)
		}
		id := *r.JSON201.Case.Id
		return id, taskDraft(t, waitTask(t, id, cases.TaskContactBuyer))
	}

	first, draft := openCase("Llegó tarde, el envío demoró casi un mes")
	if !strings.HasPrefix(draft, "¡Hola! Somos Casa Norte. Lamentamos") {
		t.Fatalf("first case's draft is not the seller's template signed with the shop's name: %q", draft)
	}

	v2 := save("¡Buen día! Le escribe {shop}. {apology} Respóndanos por aquí y lo resolvemos hoy mismo.")
	if v2.Id != v1.Id || v2.Version != 2 {
		t.Fatalf("edit: template %s version %d, want %s version 2", v2.Id, v2.Version, v1.Id)
	}
	second, draft := openCase("Nunca llegó a tiempo, el correo tardó semanas")
	if !strings.HasPrefix(draft, "¡Buen día! Le escribe Casa Norte.") {
		t.Fatalf("the next case does not use the edited template: %q", draft)
	}
	if v := openedTemplateVersion(t, ctx, c, second); v != 2 {
		t.Fatalf("second case recorded template version %d, want 2", v)
	}
	if v := openedTemplateVersion(t, ctx, c, first); v != 1 {
		t.Fatalf("first case recorded template version %d, want 1", v)
	}

	// Both new bad reviews reached the Slack-format and the e-mail receiver.
	err = testenv.Eventually(ctx, 30*time.Second, func() (bool, error) {
		return inbox.mentioning(first) == 1 && inbox.mentioning(second) == 1 &&
			len(sellerMail.to("ops@casanorte.test")) == 2, nil
	})
	if err != nil {
		t.Fatalf("alerts: slack %d/%d, mails %d: %v", inbox.mentioning(first), inbox.mentioning(second), len(sellerMail.to("ops@casanorte.test")), err)
	}
	if mail := sellerMail.to("ops@casanorte.test")[0].Data; !strings.Contains(mail, "New bad review") {
		t.Fatalf("mail does not say what happened: %s", mail)
	}
	log, err := c.ListAlertDeliveriesWithResponse(ctx, &client.ListAlertDeliveriesParams{CaseId: &second})
	if err != nil || log.JSON200 == nil || len(log.JSON200.Items) != 2 {
		t.Fatalf("delivery log of %s: %v %s", second, err, log.Body)
	}
	for _, d := range log.JSON200.Items {
		if d.Status != "delivered" {
			t.Fatalf("delivery %+v", d)
		}
	}
}

// openedTemplateVersion reads the template version the case's case_opened event recorded.
func openedTemplateVersion(t *testing.T, ctx context.Context, c *client.ClientWithResponses, caseID string) int {
	t.Helper()
	r, err := c.ListEventsWithResponse(ctx, caseID, nil)
	if err != nil || r.JSON200 == nil {
		t.Fatalf("events of %s: %v", caseID, err)
	}
	for _, e := range r.JSON200.Items {
		if e.Type == nil || *e.Type != string(cases.EventCaseOpened) || e.Data == nil {
			continue
		}
		raw, _ := json.Marshal((*e.Data)["texts"])
		var texts struct {
			Templates []cases.TemplateRef `json:"templates"`
		}
		_ = json.Unmarshal(raw, &texts)
		for _, ref := range texts.Templates {
			if ref.Purpose == cases.PurposeFirstContact && ref.Language == cases.LangES {
				return ref.Version
			}
		}
	}
	return 0
}

// generatedClient is the client generated from openapi.json, with a token.
func generatedClient(t *testing.T, token string) *client.ClientWithResponses {
	t.Helper()
	c, err := client.NewClientWithResponses(stack.URL, client.WithRequestEditorFn(func(_ context.Context, req *http.Request) error {
		req.Header.Set("Authorization", "Bearer "+token)
		return nil
	}))
	if err != nil {
		t.Fatal(err)
	}
	return c
}
