// Package contracttest checks connectors against the platforms' own published
// contracts in ../shared/specs (never copied into this repository): requests a
// connector builds are validated against the official OpenAPI/Swagger files
// with kin-openapi, and golden responses from the specs are decoded by the
// connector. Tests skip with a clear message where the folder is absent.
package contracttest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi2"
	"github.com/getkin/kin-openapi/openapi2conv"
	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
)

// SpecsEnv overrides where the specs are looked for.
const SpecsEnv = "REDRESS_SPECS_DIR"

// SpecsDir returns the folder of the platforms' published contracts: $REDRESS_SPECS_DIR,
// or shared/specs beside the repository root. It skips the test when neither exists.
func SpecsDir(t testing.TB) string {
	t.Helper()
	if dir := os.Getenv(SpecsEnv); dir != "" {
		if _, err := os.Stat(dir); err == nil {
			return dir
		}
		t.Skipf("contract test skipped: %s=%s does not exist", SpecsEnv, dir)
	}
	dir, ok := findSpecs()
	if !ok {
		t.Skip("contract test skipped: ../shared/specs (the platforms' published contracts) is not beside this repository; set " + SpecsEnv + " to run it")
	}
	return dir
}

func findSpecs() (string, bool) {
	wd, err := os.Getwd()
	if err != nil {
		return "", false
	}
	for dir := wd; ; dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			specs := filepath.Join(filepath.Dir(dir), "shared", "specs")
			if _, err := os.Stat(specs); err == nil {
				return specs, true
			}
			return "", false
		}
		if filepath.Dir(dir) == dir {
			return "", false
		}
	}
}

// File reads one file of the specs folder, e.g. File(t, "mercadolibre", "orders_get.response.json").
func File(t testing.TB, platform, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(SpecsDir(t), platform, name))
	if err != nil {
		t.Fatalf("read spec file: %v", err)
	}
	return b
}

// Doc is one platform API document, ready to validate requests and responses.
type Doc struct {
	Name   string
	T      *openapi3.T
	router routers.Router
	base   *url.URL // production server of the spec: requests are re-based onto it
}

var (
	docsMu sync.Mutex
	docs   = map[string]*Doc{}
)

// Spec loads (once per test binary) an OpenAPI 3 or Swagger 2 document from the specs folder.
func Spec(t testing.TB, platform, file string) *Doc {
	t.Helper()
	path := filepath.Join(SpecsDir(t), platform, file)
	docsMu.Lock()
	defer docsMu.Unlock()
	if d, ok := docs[path]; ok {
		return d
	}
	d, err := load(path)
	if err != nil {
		t.Fatalf("load %s: %v", path, err)
	}
	d.Name = platform + "/" + file
	docs[path] = d
	return d
}

func load(path string) (*Doc, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var probe struct {
		Swagger string `json:"swagger"`
	}
	_ = json.Unmarshal(raw, &probe)
	var doc *openapi3.T
	if probe.Swagger != "" {
		var v2 openapi2.T
		if err := json.Unmarshal(raw, &v2); err != nil {
			return nil, fmt.Errorf("swagger 2: %w", err)
		}
		applySwagger2Defaults(&v2)
		if doc, err = openapi2conv.ToV3(&v2); err != nil {
			return nil, fmt.Errorf("swagger 2 → 3: %w", err)
		}
	} else {
		loader := openapi3.NewLoader()
		if doc, err = loader.LoadFromData(raw); err != nil {
			return nil, err
		}
	}
	if len(doc.Servers) == 0 {
		return nil, fmt.Errorf("no servers in %s", path)
	}
	// Server URLs carry variables ({basePath}); resolve them to their defaults so
	// the router matches whole paths.
	base, err := resolveServer(doc.Servers[0])
	if err != nil {
		return nil, err
	}
	doc.Servers = openapi3.Servers{{URL: base.String()}}
	// The documents' own examples are not what is validated here (the
	// connector's requests and the answers are), and some contradict their
	// schema (solicitations.json: an _embedded action without _links.self).
	router, err := legacy.NewRouter(doc, openapi3.DisableExamplesValidation())
	if err != nil {
		return nil, fmt.Errorf("router: %w", err)
	}
	return &Doc{T: doc, router: router, base: base}, nil
}

// applySwagger2Defaults writes out what Swagger 2 leaves to defaults and the
// converter would otherwise replace with OpenAPI 3's: an operation produces
// and consumes the document's media types (SP-API messaging: application/hal+json,
// not application/json), and array query parameters are csv (a,b), not
// exploded (a&a).
func applySwagger2Defaults(v2 *openapi2.T) {
	for _, item := range v2.Paths {
		for _, op := range item.Operations() {
			if len(op.Produces) == 0 {
				op.Produces = v2.Produces
			}
			if len(op.Consumes) == 0 {
				op.Consumes = v2.Consumes
			}
			for _, p := range append(append(openapi2.Parameters{}, item.Parameters...), op.Parameters...) {
				if p != nil && p.In == "query" && p.Type.Is("array") && p.CollectionFormat == "" {
					p.CollectionFormat = "csv"
				}
			}
		}
	}
}

func resolveServer(s *openapi3.Server) (*url.URL, error) {
	u := s.URL
	for name, v := range s.Variables {
		u = strings.ReplaceAll(u, "{"+name+"}", v.Default)
	}
	return url.Parse(u)
}

// Base is the spec's production server (scheme, host and base path).
func (d *Doc) Base() *url.URL { u := *d.base; return &u }

// rebase moves a recorded request onto the spec's host, keeping path and query.
func (d *Doc) rebase(r *http.Request, body []byte) *http.Request {
	u := *r.URL
	u.Scheme, u.Host = d.base.Scheme, d.base.Host
	req := r.Clone(context.Background())
	req.URL = &u
	req.Host = d.base.Host
	req.RequestURI = ""
	req.Body = io.NopCloser(bytes.NewReader(body))
	return req
}

// CheckRequest validates one request (path, method, parameters, body) against the spec
// and returns the operation id it matched.
func (d *Doc) CheckRequest(r *http.Request, body []byte) (string, error) {
	req := d.rebase(r, body)
	route, params, err := d.router.FindRoute(req)
	if err != nil {
		return "", fmt.Errorf("%s %s: not an operation of %s: %w", r.Method, r.URL.Path, d.Name, err)
	}
	in := &openapi3filter.RequestValidationInput{
		Request: req, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, MultiError: true},
	}
	if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
		return route.Operation.OperationID, fmt.Errorf("%s %s (%s): %w", r.Method, r.URL.String(), route.Operation.OperationID, err)
	}
	return route.Operation.OperationID, nil
}

// ValidateRequest fails the test when the request is not one the spec allows.
func (d *Doc) ValidateRequest(t testing.TB, r *http.Request, body []byte) string {
	t.Helper()
	op, err := d.CheckRequest(r, body)
	if err != nil {
		t.Errorf("request against %s: %v", d.Name, err)
	}
	return op
}

// CheckResponse validates a response to a request against the spec.
func (d *Doc) CheckResponse(r *http.Request, reqBody []byte, status int, header http.Header, body []byte) error {
	req := d.rebase(r, reqBody)
	route, params, err := d.router.FindRoute(req)
	if err != nil {
		return fmt.Errorf("%s %s: not an operation of %s: %w", r.Method, r.URL.Path, d.Name, err)
	}
	if header == nil {
		header = http.Header{}
	}
	if header.Get("Content-Type") == "" {
		header = header.Clone()
		header.Set("Content-Type", "application/json")
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{
			Request: req, PathParams: params, Route: route,
			Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc},
		},
		Status: status, Header: header,
		Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	}
	in.SetBodyBytes(body)
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		return fmt.Errorf("%s %s (%s) → %d: %w", r.Method, r.URL.Path, route.Operation.OperationID, status, err)
	}
	return nil
}

// ValidateResponse fails the test when the response is not one the spec allows.
func (d *Doc) ValidateResponse(t testing.TB, r *http.Request, reqBody []byte, status int, header http.Header, body []byte) {
	t.Helper()
	if err := d.CheckResponse(r, reqBody, status, header, body); err != nil {
		t.Errorf("response against %s: %v", d.Name, err)
	}
}

// Exchange is one request a connector made and the answer it got.
type Exchange struct {
	Request *http.Request
	Body    []byte
	Status  int
	Header  http.Header
	Reply   []byte
}

// Recorder is an HTTP server that records every request and answers it with a handler
// (a canned golden response, or a proxy to the simulator).
type Recorder struct {
	*httptest.Server
	mu        sync.Mutex
	exchanges []Exchange
}

// NewRecorder serves h and records every exchange.
func NewRecorder(t testing.TB, h http.Handler) *Recorder {
	t.Helper()
	rec := &Recorder{}
	rec.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		cw := httptest.NewRecorder()
		h.ServeHTTP(cw, r)
		for k, v := range cw.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(cw.Code)
		_, _ = w.Write(cw.Body.Bytes())
		rec.mu.Lock()
		rec.exchanges = append(rec.exchanges, Exchange{Request: r.Clone(context.Background()), Body: body, Status: cw.Code, Header: cw.Header().Clone(), Reply: cw.Body.Bytes()})
		rec.mu.Unlock()
	}))
	t.Cleanup(rec.Close)
	return rec
}

// Exchanges returns what was recorded so far.
func (r *Recorder) Exchanges() []Exchange {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Exchange(nil), r.exchanges...)
}

// Reset forgets the recorded exchanges.
func (r *Recorder) Reset() {
	r.mu.Lock()
	r.exchanges = nil
	r.mu.Unlock()
}
