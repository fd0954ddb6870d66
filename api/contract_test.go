package api

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
)

// The API's own contract: every response a test of this package receives
// through harness.do is validated against openapi.json (kin-openapi), so
// the document cannot drift from what the server answers.
var contract struct {
	once   sync.Once
	doc    *openapi3.T
	router routers.Router
	err    error
}

func loadContract() (*openapi3.T, routers.Router, error) {
	contract.once.Do(func() {
		raw, err := os.ReadFile("openapi.json")
		if err != nil {
			contract.err = err
			return
		}
		loader := openapi3.NewLoader()
		doc, err := loader.LoadFromData(raw)
		if err != nil {
			contract.err = err
			return
		}
		if err := doc.Validate(context.Background()); err != nil {
			contract.err = err
			return
		}
		// Routes match on path alone, whatever host the test used.
		doc.Servers = nil
		contract.doc = doc
		contract.router, contract.err = legacy.NewRouter(doc)
	})
	return contract.doc, contract.router, contract.err
}

// checkContract fails the test when the response to req breaks the
// document: an undocumented status, a body that does not match its schema,
// or a documented route answered with an undocumented media type.
// Responses to routes the document does not describe (the console, unknown
// paths a test probes) are not checked here; TestOpenAPICoversEveryRoute
// keeps the route list honest.
func checkContract(t *testing.T, req *http.Request, body []byte, rec *httptest.ResponseRecorder) {
	t.Helper()
	_, router, err := loadContract()
	if err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	probe := req.Clone(context.Background())
	probe.Body = io.NopCloser(bytes.NewReader(body))
	route, params, err := router.FindRoute(probe)
	if err != nil {
		return
	}
	if rec.Code == http.StatusMethodNotAllowed || strings.HasPrefix(req.URL.Path, "/metrics") {
		return
	}
	in := &openapi3filter.RequestValidationInput{
		Request: probe, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc},
	}
	out := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in,
		Status:                 rec.Code,
		Header:                 rec.Header(),
		Body:                   io.NopCloser(bytes.NewReader(rec.Body.Bytes())),
		Options:                &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	}
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		// The validator's first lines name the field and the rule; the schema dump after them is noise here.
		why := strings.SplitN(err.Error(), "\nSchema:", 2)[0]
		t.Errorf("response to %s %s breaks openapi.json (%s): %s\nbody: %.600s", req.Method, req.URL.Path, route.Operation.OperationID, why, rec.Body.String())
	}
}

// TestEveryOperationHasAnOperationID: generated clients name their methods
// after operationIds, so each operation has one, unique, and it is the name
// of the handler that serves it (routes.go), so the two never drift apart.
func TestEveryOperationHasAnOperationID(t *testing.T) {
	doc, _, err := loadContract()
	if err != nil {
		t.Fatal(err)
	}
	handlers := map[string]string{} // "GET /v1/cases/{id}" -> "getCase"
	for _, r := range newHarness(t).srv.echo.Routes() {
		name := r.Name[strings.LastIndex(r.Name, ".")+1:]
		if !strings.HasSuffix(name, "-fm") {
			continue // a wrapped handler (metrics), not a method of the server
		}
		handlers[r.Method+" "+echoParam.ReplaceAllString(r.Path, "{$1}")] = strings.TrimSuffix(name, "-fm")
	}
	if len(handlers) < 40 {
		t.Fatalf("found %d handler names among the routes; Echo's route names changed?", len(handlers))
	}
	seen := map[string]string{}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			where := method + " " + path
			if op.OperationID == "" {
				t.Errorf("%s has no operationId", where)
				continue
			}
			if other, dup := seen[op.OperationID]; dup {
				t.Errorf("operationId %s names both %s and %s", op.OperationID, other, where)
			}
			seen[op.OperationID] = where
			if h, ok := handlers[where]; ok && h != op.OperationID {
				t.Errorf("%s: operationId %s, served by %s", where, op.OperationID, h)
			}
		}
	}
}
