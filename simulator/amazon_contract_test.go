package simulator_test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace/contracttest"
	"github.com/redress-hq/redress/simulator"
	"github.com/redress-hq/redress/simulator/simtest"
)

// The simulator's SP-API answers, for every operation the Amazon connector
// calls, validate against Amazon's published models.
func TestAmazonAnswersValidateAgainstTheModels(t *testing.T) {
	specs := map[string]string{"/messaging/": "messaging.json", "/orders/2026-01-01/": "orders_2026-01-01.json",
		"/fba/outbound/": "fulfillmentOutbound_2020-07-01.json", "/reports/": "reports_2021-06-30.json"}
	contracttest.SpecsDir(t)
	env := simtest.Start(t, simulator.Options{})
	_, o, err := env.Sim.AddReview(simulator.NewReview{Platform: cases.Amazon, ShopID: "A1SELLER", Rating: 2, Text: "Broken on arrival",
		Item: "Desk lamp", Amount: 4599, ShippingFee: 499, Courier: "UPS", TrackingNumber: "1Z999",
		Tracking: simtest.Delivered(time.Now()), CreatedAt: time.Now().Add(-time.Hour)})
	require.NoError(t, err)
	sim := env.Sim.Handler()
	rec := contracttest.NewRecorder(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r2 := r.Clone(r.Context())
		r2.URL.Path = "/amazon" + r.URL.Path
		sim.ServeHTTP(w, r2)
	}))

	form := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {"Atzr|test"}, "client_id": {"sim-amazon"}, "client_secret": {"sim-amazon-secret"}}
	resp, err := http.PostForm(rec.URL+"/auth/o2/token", form)
	require.NoError(t, err)
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&tok))
	resp.Body.Close()

	call := func(method, path, accept string, body any) []byte {
		t.Helper()
		var rd io.Reader
		if body != nil {
			b, err := json.Marshal(body)
			require.NoError(t, err)
			rd = bytes.NewReader(b)
		}
		req, err := http.NewRequest(method, rec.URL+path, rd)
		require.NoError(t, err)
		req.Header.Set("x-amz-access-token", tok.AccessToken)
		req.Header.Set("Accept", accept)
		if body != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		out, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		return out
	}
	mkt := "?marketplaceIds=ATVPDKIKX0DER"
	call("GET", "/messaging/v1/orders/"+o.ID+mkt, "application/hal+json", nil)
	call("POST", "/messaging/v1/orders/"+o.ID+"/messages/unexpectedProblem"+mkt, "application/hal+json", map[string]string{"text": "Sorry, a replacement is coming."})
	call("GET", "/orders/2026-01-01/orders/"+o.ID+"?includedData=PROCEEDS,FULFILLMENT,PACKAGES", "application/json", nil)
	call("GET", "/orders/2026-01-01/orders/"+o.ID+"?includedData=RECIPIENT", "application/json", nil)
	call("GET", "/fba/outbound/2020-07-01/fulfillmentOrders/RD1", "application/json", nil)
	call("POST", "/fba/outbound/2020-07-01/fulfillmentOrders", "application/json", map[string]any{
		"sellerFulfillmentOrderId": "RD1", "displayableOrderId": o.ID, "displayableOrderDate": o.CreatedAt.Format(time.RFC3339),
		"displayableOrderComment": "Replacement", "marketplaceId": "ATVPDKIKX0DER", "shippingSpeedCategory": "Standard", "fulfillmentAction": "Ship",
		"destinationAddress": map[string]any{"name": "Buyer", "addressLine1": "1 Way", "city": "Seattle", "postalCode": "98109", "countryCode": "US"},
		"items":              []any{map[string]any{"sellerSku": "SIM-SKU-" + o.ID, "sellerFulfillmentOrderItemId": "1", "quantity": 1}}})
	call("GET", "/fba/outbound/2020-07-01/fulfillmentOrders/RD1", "application/json", nil)
	var created struct {
		ReportID string `json:"reportId"`
	}
	require.NoError(t, json.Unmarshal(call("POST", "/reports/2021-06-30/reports", "application/json", map[string]any{
		"reportType": "GET_SELLER_FEEDBACK_DATA", "marketplaceIds": []string{"ATVPDKIKX0DER"},
		"dataStartTime": time.Now().Add(-24 * time.Hour).UTC().Format(time.RFC3339), "dataEndTime": time.Now().UTC().Format(time.RFC3339)}), &created))
	call("GET", "/reports/2021-06-30/reports/"+created.ReportID, "application/json", nil)
	var done struct {
		ProcessingStatus string `json:"processingStatus"`
		ReportDocumentID string `json:"reportDocumentId"`
	}
	require.NoError(t, json.Unmarshal(call("GET", "/reports/2021-06-30/reports/"+created.ReportID, "application/json", nil), &done))
	require.Equal(t, "DONE", done.ProcessingStatus)
	var doc struct {
		URL                  string `json:"url"`
		CompressionAlgorithm string `json:"compressionAlgorithm"`
	}
	require.NoError(t, json.Unmarshal(call("GET", "/reports/2021-06-30/documents/"+done.ReportDocumentID, "application/json", nil), &doc))

	ops := map[string]bool{}
	for _, ex := range rec.Exchanges() {
		for prefix, file := range specs {
			if strings.HasPrefix(ex.Request.URL.Path, prefix) {
				spec := contracttest.Spec(t, "amazon", file)
				ops[spec.ValidateRequest(t, ex.Request, ex.Body)+" "+http.StatusText(ex.Status)] = true
				spec.ValidateResponse(t, ex.Request, ex.Body, ex.Status, ex.Header, ex.Reply)
			}
		}
	}
	assert.Equal(t, map[string]bool{"getMessagingActionsForOrder OK": true, "createUnexpectedProblem Created": true, "getOrder OK": true,
		"getFulfillmentOrder Not Found": true, "createFulfillmentOrder OK": true, "getFulfillmentOrder OK": true,
		"createReport Accepted": true, "getReport OK": true, "getReportDocument OK": true}, ops)

	// The report file: gzip, tab-separated, the feedback's order and rating.
	assert.Equal(t, "GZIP", doc.CompressionAlgorithm)
	u, err := url.Parse(doc.URL)
	require.NoError(t, err)
	resp, err = http.Get(env.Server.URL + u.RequestURI()) // the simulator itself, as a presigned URL is fetched
	require.NoError(t, err)
	defer resp.Body.Close()
	zr, err := gzip.NewReader(resp.Body)
	require.NoError(t, err)
	tsv, err := io.ReadAll(zr)
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSpace(string(tsv)), "\r\n")
	require.Len(t, lines, 2)
	assert.Equal(t, "Date\tRating\tComments\tResponse\tOrder ID\tRater Email", lines[0])
	assert.Contains(t, lines[1], "\t2\tBroken on arrival\t\t"+o.ID+"\t")
}
