package console_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/internal/testenv"
	"github.com/redress-hq/redress/simulator"
)

// browserless is a plain HTTP client of the console: it keeps cookies and
// does not follow redirects, so tests see where the console sends it.
type browserless struct {
	t      *testing.T
	client *http.Client
}

func newBrowserless(t *testing.T) *browserless {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &browserless{t: t, client: &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

type page struct {
	Status   int
	Location string
	Body     string
	Header   http.Header
}

func (b *browserless) do(method, path string, form url.Values, header ...string) page {
	b.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequestWithContext(context.Background(), method, stack.URL+path, body)
	if err != nil {
		b.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := b.client.Do(req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		b.t.Fatal(err)
	}
	return page{Status: resp.StatusCode, Location: resp.Header.Get("Location"), Body: string(raw), Header: resp.Header}
}

func (b *browserless) get(path string) page { return b.do(http.MethodGet, path, nil) }

var csrfInput = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// csrf reads the CSRF token of the forms on a console page.
func (b *browserless) csrf(path string) string {
	b.t.Helper()
	p := b.get(path)
	m := csrfInput.FindStringSubmatch(p.Body)
	if m == nil {
		b.t.Fatalf("no CSRF field on %s (%d): %.300s", path, p.Status, p.Body)
	}
	return m[1]
}

// post sends a form with the page's CSRF token, as the browser would.
func (b *browserless) post(path string, form url.Values) page {
	b.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	form.Set("_csrf", b.csrf("/ui/signin"))
	return b.do(http.MethodPost, path, form)
}

// signIn exchanges token for a session.
func signIn(t *testing.T, token string) *browserless {
	t.Helper()
	b := newBrowserless(t)
	p := b.post("/ui/signin", url.Values{"token": {token}})
	if p.Status != http.StatusSeeOther {
		t.Fatalf("sign in: %d %.300s", p.Status, p.Body)
	}
	return b
}

// simOrder is an order with a 1★ review in the simulator.
type simOrder struct {
	Marketplace     cases.Marketplace
	Shop, Text      string
	ReviewID, Order string
	BuyerID         string
}

func addReview(t *testing.T, m cases.Marketplace, shop, text string) simOrder {
	t.Helper()
	rv, order, err := stack.Simulator.AddReview(simulator.NewReview{
		Platform: m, ShopID: shop, Rating: 1, Text: text,
		BuyerID: fmt.Sprintf("b-%d", time.Now().UnixNano()), BuyerName: "Ana", Item: "Thermos",
		Amount: 12000, ShippingFee: 1500, Courier: "Correo", TrackingNumber: "TN1",
	})
	if err != nil {
		t.Fatal(err)
	}
	return simOrder{Marketplace: m, Shop: shop, Text: text, ReviewID: rv.ID, Order: order.ID, BuyerID: order.BuyerID}
}

// postReview hands the review to the API as the automation and returns the case id.
func postReview(t *testing.T, o simOrder) string {
	t.Helper()
	r, err := stack.Do(context.Background(), http.MethodPost, "/v1/reviews", robot, map[string]any{
		"marketplace": string(o.Marketplace), "shop_id": o.Shop, "review_id": o.ReviewID, "order_id": o.Order,
		"rating": 1, "text": o.Text, "created_at": time.Now().UTC().Format(time.RFC3339),
		"buyer": map[string]any{"id": o.BuyerID, "name": "Ana"}, "order_amount": 120.00, "shipping_fee": 15.00, "currency": "ARS",
	})
	if err != nil || r.Status != http.StatusCreated {
		t.Fatalf("post review: %v %d %s", err, r.Status, r.Body)
	}
	var body struct{ Case cases.Case }
	if err := r.JSON(&body); err != nil {
		t.Fatal(err)
	}
	return body.Case.ID
}

// openCase opens a case for a fresh 1★ review of a simulator order.
func openCase(t *testing.T, m cases.Marketplace, shop, text string) string {
	t.Helper()
	return postReview(t, addReview(t, m, shop, text))
}

// waitTask waits for the case's live task of a kind.
func waitTask(t *testing.T, caseID string, kind cases.TaskKind) cases.Task {
	t.Helper()
	v, err := stack.WaitCase(context.Background(), manager, caseID, func(v testenv.CaseView) bool {
		_, ok := v.OpenTask(kind)
		return ok
	})
	if err != nil {
		t.Fatalf("case %s: no open %s task: %v", caseID, kind, err)
	}
	task, _ := v.OpenTask(kind)
	return task
}

// buyerAnswers enters the buyer's reply as the automation would.
func buyerAnswers(t *testing.T, caseID string) {
	t.Helper()
	r, err := stack.Do(context.Background(), http.MethodPost, "/v1/cases/"+caseID+"/buyer-replies", robot,
		map[string]any{"message_id": "m-" + caseID, "text": "Sí, quiero una solución"})
	if err != nil || r.Status != http.StatusOK {
		t.Fatalf("buyer reply: %v %d %s", err, r.Status, r.Body)
	}
}

func jsonDecode(raw []byte, v any) error { return json.Unmarshal(raw, v) }
