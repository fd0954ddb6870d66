package amazon_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"net/http"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace"
	"github.com/redress-hq/redress/marketplace/amazon"
	"github.com/redress-hq/redress/marketplace/contracttest"
)

// The connector's requests are validated against Amazon's published models
// and fed golden responses: the models' own examples (x-amzn-api-sandbox or
// response examples) where they exist, otherwise answers built to the schema
// and validated against it before use.

// specFor names the model that owns a path; "" for calls outside SP-API
// (the LWA token endpoint, presigned report downloads).
func specFor(path string) string {
	for prefix, file := range map[string]string{
		"/messaging/v1/":               "messaging.json",
		"/orders/2026-01-01/":          "orders_2026-01-01.json",
		"/fba/outbound/2020-07-01/":    "fulfillmentOutbound_2020-07-01.json",
		"/reports/2021-06-30/":         "reports_2021-06-30.json",
		"/orders/v0/":                  "ordersV0.json",
		"/shipping/v2/":                "shippingV2.json",
		"/feeds/2021-06-30/":           "feeds_2021-06-30.json",
		"/solicitations/v1/":           "solicitations.json",
		"/notifications/v1/":           "notifications.json",
		"/fba/outbound/2020-07-01/x/y": "",
	} {
		if strings.HasPrefix(path, prefix) {
			return file
		}
	}
	return ""
}

// specJSON reads a model as plain JSON, to take its examples.
func specJSON(t *testing.T, file string) map[string]any {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal(contracttest.File(t, "amazon", file), &m))
	return m
}

func dig(t *testing.T, v any, path ...any) any {
	t.Helper()
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, ok := v.(map[string]any)
			require.True(t, ok, "at %v", p)
			v = m[k]
		case int:
			a, ok := v.([]any)
			require.True(t, ok && k < len(a), "at %v", p)
			v = a[k]
		}
	}
	require.NotNil(t, v, "%v", path)
	return v
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return b
}

// sandbox returns the first static sandbox response of an operation's status.
func sandbox(t *testing.T, spec map[string]any, path, method, status string) []byte {
	return mustJSON(t, dig(t, spec, "paths", path, method, "responses", status, "x-amzn-api-sandbox", "static", 0, "response"))
}

type golden struct {
	status int
	body   []byte
	ctype  string
}

// goldenServer answers each call from a queue per "METHOD path-prefix".
type goldenServer struct {
	t       *testing.T
	answers map[string][]golden
	doc     []byte // the report file behind the presigned URL
}

func (g *goldenServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/auth/o2/token" {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"access_token":"Atza|golden","token_type":"bearer","expires_in":3600,"refresh_token":"Atzr|golden"}`))
		return
	}
	if strings.HasPrefix(r.URL.Path, "/report-files/") {
		_, _ = w.Write(g.doc)
		return
	}
	keys := make([]string, 0, len(g.answers))
	for k := range g.answers {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return len(keys[i]) > len(keys[j]) })
	for _, k := range keys {
		method, prefix, _ := strings.Cut(k, " ")
		if r.Method != method || !strings.HasPrefix(r.URL.Path, prefix) || len(g.answers[k]) == 0 {
			continue
		}
		a := g.answers[k][0]
		g.answers[k] = g.answers[k][1:]
		w.Header().Set("Content-Type", a.ctype)
		w.WriteHeader(a.status)
		_, _ = w.Write(a.body)
		return
	}
	g.t.Errorf("unexpected call %s %s", r.Method, r.URL)
	w.WriteHeader(599)
}

func (g *goldenServer) add(key string, status int, body []byte, ctype string) {
	if ctype == "" {
		ctype = "application/json"
	}
	g.answers[key] = append(g.answers[key], golden{status, body, ctype})
}

// checkExchanges validates every SP-API request and golden answer against
// its model, checks the Accept header against what the operation produces,
// and returns the operations validated.
func checkExchanges(t *testing.T, rec *contracttest.Recorder) map[string]bool {
	t.Helper()
	ops := map[string]bool{}
	for _, ex := range rec.Exchanges() {
		file := specFor(ex.Request.URL.Path)
		if file == "" {
			continue
		}
		doc := contracttest.Spec(t, "amazon", file)
		op := doc.ValidateRequest(t, ex.Request, ex.Body)
		ops[file+" "+op] = true
		doc.ValidateResponse(t, ex.Request, ex.Body, ex.Status, ex.Header, ex.Reply)
		produces := map[string]bool{}
		for _, item := range doc.T.Paths.Map() {
			for _, o := range item.Operations() {
				if o.OperationID != op {
					continue
				}
				for _, resp := range o.Responses.Map() {
					for ct := range resp.Value.Content {
						produces[ct] = true
					}
				}
			}
		}
		assert.True(t, produces[ex.Request.Header.Get("Accept")], "%s: Accept %q, the model produces %v", op, ex.Request.Header.Get("Accept"), produces)
	}
	return ops
}

func goldenClient(t *testing.T, marketplaceID string) (*amazon.Client, *goldenServer, *contracttest.Recorder) {
	g := &goldenServer{t: t, answers: map[string][]golden{}}
	rec := contracttest.NewRecorder(t, g)
	cfg := marketplace.PlatformConfig{BaseURL: rec.URL, ClientID: "id", ClientSecret: "secret", MarketplaceID: marketplaceID}
	tokens := marketplace.NewMemoryTokenStore(marketplace.ShopToken{Marketplace: cases.Amazon, ShopID: shop, RefreshToken: "Atzr|golden"})
	return amazon.New(cfg, rec.Client(), tokens, fast).WithReportWait(0), g, rec
}

func TestContractMessaging(t *testing.T) {
	spec := specJSON(t, "messaging.json")
	c, g, rec := goldenClient(t, "ATVPDKIKX0DER")
	g.add("GET /messaging/v1/orders/", 200, sandbox(t, spec, "/messaging/v1/orders/{amazonOrderId}", "get", "200"), "application/hal+json")
	g.add("POST /messaging/v1/orders/", 201, sandbox(t, spec, "/messaging/v1/orders/{amazonOrderId}/messages/unexpectedProblem", "post", "201"), "application/hal+json")
	ctx := context.Background()

	el, err := c.MessageEligibility(ctx, shop, "123-1234567-1234567")
	require.NoError(t, err)
	assert.True(t, el.Allowed, "the sandbox lists unexpectedProblem")
	_, err = c.SendBuyerMessage(ctx, marketplace.MessageRequest{ShopID: shop, OrderID: "123-1234567-1234567", Text: "My Message", IdempotencyKey: "k"})
	require.NoError(t, err)

	ops := checkExchanges(t, rec)
	assert.Equal(t, map[string]bool{"messaging.json getMessagingActionsForOrder": true, "messaging.json createUnexpectedProblem": true}, ops)
}

func TestContractEvidenceFromOrders2026(t *testing.T) {
	spec := specJSON(t, "orders_2026-01-01.json")
	c, g, rec := goldenClient(t, "A1F83G8C2ARO7P")
	g.add("GET /orders/2026-01-01/orders/", 200, mustJSON(t, dig(t, spec, "paths", "/orders/2026-01-01/orders/{orderId}", "get", "responses", "200", "examples", "application/json")), "")
	ev, err := c.GetEvidence(context.Background(), shop, "202-1234567-8901234")
	require.NoError(t, err)

	o := ev.Order
	assert.Equal(t, "202-1234567-8901234", o.OrderID)
	assert.Equal(t, "SHIPPED", o.Status)
	assert.Equal(t, cases.Money(10397), o.Amount)
	assert.Equal(t, "GBP", o.Currency)
	assert.Equal(t, cases.Money(1000), o.ShippingFee)
	assert.Equal(t, []string{"Echo Dot (4th Gen) | Smart speaker with Alexa | Charcoal"}, o.Items)
	require.NotNil(t, o.ShippedAt)
	assert.Equal(t, time.Date(2024, 12, 26, 14, 0, 0, 0, time.UTC), o.ShippedAt.UTC(), "the package's shipTime, not the promised ship window")
	assert.Nil(t, o.DeliveredAt, "the model has no delivery time; deliverByWindow is a promise")
	assert.Equal(t, "Royal Mail", ev.Courier)
	require.Len(t, ev.Tracking, 2)
	assert.Equal(t, "SHIPPED", ev.Tracking[0].Status)
	assert.Contains(t, ev.Tracking[0].Description, "RR123456789GB")
	assert.Equal(t, "IN_TRANSIT/OUT_FOR_DELIVERY", ev.Tracking[1].Status)
	assert.NotEmpty(t, ev.Unavailable)

	// The sandbox's static examples decode too (FBM and FBA, with and without packages).
	statics := dig(t, spec, "paths", "/orders/2026-01-01/orders/{orderId}", "get", "responses", "200", "x-amzn-api-sandbox", "static").([]any)
	for _, s := range statics {
		g.add("GET /orders/2026-01-01/orders/", 200, mustJSON(t, dig(t, s, "response")), "")
		id := dig(t, s, "response", "order", "orderId").(string)
		ev, err := c.GetEvidence(context.Background(), shop, id)
		require.NoError(t, err)
		assert.Equal(t, id, ev.Order.OrderID)
		assert.NotEmpty(t, ev.Order.Items)
		assert.Positive(t, ev.Order.Amount)
	}

	ops := checkExchanges(t, rec)
	assert.Equal(t, map[string]bool{"orders_2026-01-01.json getOrder": true}, ops)
	for _, ex := range rec.Exchanges() {
		if specFor(ex.Request.URL.Path) != "" {
			assert.Equal(t, "PROCEEDS,FULFILLMENT,PACKAGES", ex.Request.URL.Query().Get("includedData"))
		}
	}
}

func TestContractReshipThroughMCF(t *testing.T) {
	orders := specJSON(t, "orders_2026-01-01.json")
	mcf := specJSON(t, "fulfillmentOutbound_2020-07-01.json")
	c, g, rec := goldenClient(t, "A1F83G8C2ARO7P")
	notFound := mustJSON(t, map[string]any{"errors": []any{map[string]any{"code": "NotFound", "message": "Requested order not found", "details": ""}}})
	g.add("GET /fba/outbound/2020-07-01/fulfillmentOrders/", 404, notFound, "")
	g.add("GET /orders/2026-01-01/orders/", 200, mustJSON(t, dig(t, orders, "paths", "/orders/2026-01-01/orders/{orderId}", "get", "responses", "200", "examples", "application/json")), "")
	g.add("POST /fba/outbound/2020-07-01/fulfillmentOrders", 200, []byte(`{}`), "")
	// The model's own example says fulfillmentOrderStatus "PROCESSING", outside its enum
	// (Processing); the golden answer uses the enum's spelling.
	example := dig(t, mcf, "paths", "/fba/outbound/2020-07-01/fulfillmentOrders/{sellerFulfillmentOrderId}", "get", "responses", "200", "examples").(map[string]any)
	fo := dig(t, example, "payload", "fulfillmentOrder").(map[string]any)
	require.Equal(t, "PROCESSING", fo["fulfillmentOrderStatus"])
	fo["fulfillmentOrderStatus"] = "Processing"
	g.add("GET /fba/outbound/2020-07-01/fulfillmentOrders/", 200, mustJSON(t, example), "")
	req := marketplace.ReshipRequest{ShopID: shop, OrderID: "202-1234567-8901234", Note: strings.Repeat("Sorry about the damaged speaker. ", 40), IdempotencyKey: "case-1/reship"}

	first, err := c.CreateReship(context.Background(), req)
	require.NoError(t, err)
	assert.False(t, first.Replayed)
	assert.LessOrEqual(t, len(first.ID), 40)
	again, err := c.CreateReship(context.Background(), req)
	require.NoError(t, err)
	assert.True(t, again.Replayed, "a fulfillment order with the key's id is this write")

	var body map[string]any
	for _, ex := range rec.Exchanges() {
		if ex.Request.Method == http.MethodPost && specFor(ex.Request.URL.Path) != "" {
			require.NoError(t, json.Unmarshal(ex.Body, &body))
		}
		if strings.HasPrefix(ex.Request.URL.Path, "/orders/") {
			assert.Equal(t, "RECIPIENT", ex.Request.URL.Query().Get("includedData"))
		}
	}
	require.NotNil(t, body)
	assert.Equal(t, first.ID, body["sellerFulfillmentOrderId"])
	assert.Equal(t, "202-1234567-8901234", body["displayableOrderId"])
	assert.Equal(t, "2024-12-25T09:15:00Z", body["displayableOrderDate"], "the original order's date")
	assert.Len(t, []rune(body["displayableOrderComment"].(string)), 750)
	assert.Equal(t, "A1F83G8C2ARO7P", body["marketplaceId"])
	addr := body["destinationAddress"].(map[string]any)
	assert.Equal(t, "James Wilson", addr["name"])
	assert.Equal(t, "Manchester", addr["city"])
	assert.Equal(t, "M1 2AB", addr["postalCode"])
	assert.Equal(t, "GB", addr["countryCode"])
	assert.Equal(t, []any{map[string]any{"sellerSku": "ECHO-DOT-4-UK-CHARCOAL-3PACK", "sellerFulfillmentOrderItemId": "20212345678901", "quantity": float64(3)}}, body["items"])

	ops := checkExchanges(t, rec)
	assert.Equal(t, map[string]bool{"orders_2026-01-01.json getOrder": true,
		"fulfillmentOutbound_2020-07-01.json getFulfillmentOrder": true, "fulfillmentOutbound_2020-07-01.json createFulfillmentOrder": true}, ops)
}

func TestReshipWithoutAnAddressIsRefusedBeforeMCF(t *testing.T) {
	c, g, rec := goldenClient(t, "ATVPDKIKX0DER")
	g.add("GET /fba/outbound/2020-07-01/fulfillmentOrders/", 404, []byte(`{"errors":[{"code":"NotFound","message":"not found"}]}`), "")
	// An app without the Direct-to-Consumer Shipping role gets no delivery address.
	g.add("GET /orders/2026-01-01/orders/", 200, []byte(`{"order":{"orderId":"114-1","createdTime":"2026-01-02T10:00:00Z","lastUpdatedTime":"2026-01-02T10:00:00Z",
		"salesChannel":{"channelName":"AMAZON"},"recipient":{"deliveryAddress":{"city":"Seattle","countryCode":"US"}},
		"orderItems":[{"orderItemId":"1","quantityOrdered":1,"product":{"sellerSku":"SKU-1"}}]}}`), "")
	_, err := c.CreateReship(context.Background(), marketplace.ReshipRequest{ShopID: shop, OrderID: "114-1", IdempotencyKey: "k"})
	me := classOf(t, err)
	assert.Equal(t, cases.ErrPermanent, me.Class)
	assert.Equal(t, "address_unavailable", me.Code)
	for _, ex := range rec.Exchanges() {
		assert.NotEqual(t, "/fba/outbound/2020-07-01/fulfillmentOrders", ex.Request.URL.Path, "no createFulfillmentOrder without an address")
	}
	checkExchanges(t, rec)
}

// feedbackFile is a GET_SELLER_FEEDBACK_DATA file as Amazon US writes it,
// with the longer column layout.
const feedbackFile = "Date\tRating\tComments\tResponse\tArrived on Time\tItem as Described\tCustomer Service\tOrder ID\tRater Email\tRater Role\r\n" +
	"11/20/26\t1\tArrived broken\t\tYes\tNo\tNo\t111-0000001-0000001\tx1@marketplace.amazon.com\tBuyer\r\n" +
	"11/21/26\t3\tSlow\tSorry for the delay\tNo\tYes\tYes\t111-0000002-0000002\tx2@marketplace.amazon.com\tBuyer\r\n"

func gz(t *testing.T, s string) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	_, err := zw.Write([]byte(s))
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	return buf.Bytes()
}

func TestContractFeedbackThroughReports(t *testing.T) {
	spec := specJSON(t, "reports_2021-06-30.json")
	c, g, rec := goldenClient(t, "ATVPDKIKX0DER")
	g.doc = gz(t, feedbackFile)
	g.add("POST /reports/2021-06-30/reports", 202, sandbox(t, spec, "/reports/2021-06-30/reports", "post", "202"), "")
	g.add("GET /reports/2021-06-30/reports/", 200, sandbox(t, spec, "/reports/2021-06-30/reports/{reportId}", "get", "200"), "")
	done := mustJSON(t, map[string]any{"reportId": "ID323", "reportType": "GET_SELLER_FEEDBACK_DATA", "marketplaceIds": []string{"ATVPDKIKX0DER"},
		"dataStartTime": "2026-11-01T00:00:00Z", "dataEndTime": "2026-11-22T09:00:00Z", "createdTime": "2026-11-22T09:00:00Z",
		"processingStatus": "DONE", "processingStartTime": "2026-11-22T09:00:01Z", "processingEndTime": "2026-11-22T09:03:00Z", "reportDocumentId": "doc-1"})
	g.add("GET /reports/2021-06-30/reports/", 200, done, "")
	g.add("GET /reports/2021-06-30/documents/", 200, mustJSON(t, map[string]any{"reportDocumentId": "doc-1", "url": rec.URL + "/report-files/doc-1?X-Amz-Signature=s", "compressionAlgorithm": "GZIP"}), "")
	ctx := context.Background()

	// First poll: the report is still processing (the sandbox's IN_PROGRESS), so the cursor keeps its id.
	reviews, cursor, err := c.ListNegativeReviews(ctx, shop, "2026-11-01T00:00:00Z")
	require.NoError(t, err)
	assert.Empty(t, reviews)
	assert.Equal(t, "2026-11-01T00:00:00.000Z|ID323", cursor)

	// Next poll reads the same report, now done, and moves the cursor to its end.
	reviews, cursor, err = c.ListNegativeReviews(ctx, shop, cursor)
	require.NoError(t, err)
	assert.Equal(t, "2026-11-22T09:00:00.000Z", cursor)
	require.Len(t, reviews, 2)
	assert.Equal(t, cases.Review{Marketplace: cases.Amazon, ShopID: shop, ReviewID: "111-0000001-0000001", OrderID: "111-0000001-0000001",
		Rating: 1, Text: "Arrived broken", CreatedAt: time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)}, reviews[0])
	assert.Equal(t, 3, reviews[1].Rating)

	ops := checkExchanges(t, rec)
	assert.Equal(t, map[string]bool{"reports_2021-06-30.json createReport": true, "reports_2021-06-30.json getReport": true,
		"reports_2021-06-30.json getReportDocument": true}, ops)
	var creates int
	for _, ex := range rec.Exchanges() {
		if ex.Request.URL.Path == "/reports/2021-06-30/reports" {
			creates++
			assert.JSONEq(t, `{"reportType":"GET_SELLER_FEEDBACK_DATA","marketplaceIds":["ATVPDKIKX0DER"],"dataStartTime":"2026-11-01T00:00:00.000Z","dataEndTime":"`+
				dig(t, mustMap(t, ex.Body), "dataEndTime").(string)+`"}`, string(ex.Body))
		}
		if strings.HasPrefix(ex.Request.URL.Path, "/report-files/") {
			assert.Empty(t, ex.Request.Header.Get("X-Amz-Access-Token"), "the presigned URL gets no SP-API token")
		}
	}
	assert.Equal(t, 1, creates, "the pending report is picked up, not asked for again")
}

func mustMap(t *testing.T, b []byte) map[string]any {
	var m map[string]any
	require.NoError(t, json.Unmarshal(b, &m))
	return m
}
