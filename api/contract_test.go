package api

import (
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/redress-hq/redress/api/contract"
)

// The API's own contract: every response a test of this package receives
// (through harness.do, harness.call, the route walk and the fuzzers) is
// validated against openapi.json (api/contract), so the document cannot
// drift from what the server answers.
var contractDoc struct {
	once sync.Once
	doc  *contract.Doc
	err  error
}

func loadContract() (*contract.Doc, error) {
	contractDoc.once.Do(func() {
		raw, err := os.ReadFile("openapi.json")
		if err != nil {
			contractDoc.err = err
			return
		}
		contractDoc.doc, contractDoc.err = contract.Load(raw)
	})
	return contractDoc.doc, contractDoc.err
}

// checkContract fails the test when the response to req breaks the document.
func checkContract(t *testing.T, req *http.Request, body []byte, rec *httptest.ResponseRecorder) {
	t.Helper()
	doc, err := loadContract()
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Check(req, body, rec.Code, rec.Header(), rec.Body.Bytes()); err != nil {
		t.Error(err)
	}
}

// TestEveryOperationHasAnOperationID: generated clients name their methods
// after operationIds, so each operation has one, unique, and it is the name
// of the handler that serves it (routes.go), so the two never drift apart.
func TestEveryOperationHasAnOperationID(t *testing.T) {
	doc, err := loadContract()
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
	for path, item := range doc.T.Paths.Map() {
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
