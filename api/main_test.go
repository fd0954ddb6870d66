package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/testsuite"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/store"
	"github.com/redress-hq/redress/store/storetest"
	"github.com/redress-hq/redress/workflows"
)

const temporalCLI = "/root/.cache/redress/temporal-v1.5.1/temporal"

// devTemporal is a real Temporal dev server shared by the package's tests.
// No worker runs: started workflows stay at their first task, which is what
// the API's start, dedup and timeout paths need.
var devTemporal client.Client

func TestMain(m *testing.M) {
	os.Exit(runTests(m))
}

func runTests(m *testing.M) int {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	srv, err := testsuite.StartDevServer(ctx, testsuite.DevServerOptions{
		ExistingPath: temporalCLI,
		LogLevel:     "error",
		ExtraArgs: []string{
			"--search-attribute", workflows.SearchAttrStage + "=Keyword",
			"--search-attribute", workflows.SearchAttrMarketplace + "=Keyword",
			"--search-attribute", workflows.SearchAttrIssue + "=Keyword",
			"--search-attribute", workflows.SearchAttrBreached + "=Bool",
		},
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "start Temporal dev server: %v\n", err)
		return 1
	}
	defer func() { _ = srv.Stop() }()
	devTemporal = srv.Client()
	return m.Run()
}

// harness is a server on a fresh database with one token per role.
type harness struct {
	t      *testing.T
	srv    *Server
	store  *store.Store
	tokens map[cases.Role]string
}

const testBootstrap = "rdr_bootstrap_for_tests"

func newHarness(t *testing.T, opts ...func(*Deps)) *harness {
	t.Helper()
	st := storetest.New(t)
	deps := Deps{
		Store:    st,
		Temporal: devTemporal,
		Markets:  testRegistry{},
		Logger:   slog.New(slog.NewJSONHandler(io.Discard, nil)),
		Config: Config{
			BootstrapToken: testBootstrap,
			TemporalUIURL:  "http://localhost:8233",
			// Generous: a loaded CI machine answers an Update in seconds; the tests
			// that expect the 504 wait this long once.
			TemporalTimeout: 8 * time.Second,
		},
	}
	for _, o := range opts {
		o(&deps)
	}
	h := &harness{t: t, srv: New(deps), store: st, tokens: map[cases.Role]string{}}
	for _, role := range []cases.Role{cases.RoleAgent, cases.RoleManager, cases.RoleAutomation, cases.RoleAdmin} {
		plain, hash, err := GenerateToken()
		require.NoError(t, err)
		_, err = st.CreateToken(context.Background(), "test-"+string(role), role, hash)
		require.NoError(t, err)
		h.tokens[role] = plain
	}
	return h
}

// request is one call to the API.
type request struct {
	method, path string
	body         string
	role         cases.Role // empty: no Authorization header
	header       map[string]string
}

func (h *harness) do(r request) *httptest.ResponseRecorder {
	h.t.Helper()
	var body io.Reader
	if r.body != "" {
		body = bytes.NewBufferString(r.body)
	}
	req := httptest.NewRequest(r.method, r.path, body)
	if r.body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if r.role != "" {
		req.Header.Set("Authorization", "Bearer "+h.tokens[r.role])
	}
	for k, v := range r.header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.srv.Handler().ServeHTTP(rec, req)
	checkContract(h.t, req, []byte(r.body), rec)
	return rec
}

// problemOf decodes a problem response, checking its media type.
func problemOf(t *testing.T, rec *httptest.ResponseRecorder) Problem {
	t.Helper()
	require.Equal(t, "application/problem+json", rec.Header().Get("Content-Type"), "body: %s", rec.Body.String())
	var p Problem
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &p))
	require.Equal(t, rec.Code, p.Status)
	return p
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}

// seedCase writes a case, as its workflow would, straight into the index.
func (h *harness) seedCase(b cases.SyncBatch) {
	h.t.Helper()
	require.NoError(h.t, h.store.SyncCase(context.Background(), b))
}

func testCase(reviewID string, opened time.Time) cases.Case {
	id := cases.CaseIDFor(cases.MercadoLibre, "shop-1", reviewID)
	return cases.Case{
		ID: id, WorkflowID: cases.WorkflowIDFor(id), Marketplace: cases.MercadoLibre, ShopID: "shop-1",
		ReviewID: reviewID, OrderID: "order-" + reviewID, BuyerID: "buyer-1", BuyerName: "Ana", Rating: 2,
		Severity: cases.SeverityBad, Text: "llegó tarde", Language: "es", Issue: cases.IssueLogisticsDelay,
		Stage: cases.StageContact, Status: cases.StatusOpen, ReviewCreatedAt: opened.Add(-time.Hour),
		OpenedAt: opened, UpdatedAt: opened, Version: 1, Currency: "BRL",
	}
}
