// Package contract checks the API's answers against its own document,
// api/openapi.json, with kin-openapi: an undocumented status, or a body
// that breaks its schema, is an error. The api tests check every answer
// they receive with it, and so does the end-to-end stack (testenv) when
// asked to.
package contract

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
)

// Doc is the loaded document, safe for concurrent use.
type Doc struct {
	T      *openapi3.T
	router routers.Router
}

// Load parses and validates the document.
func Load(raw []byte) (*Doc, error) {
	doc, err := openapi3.NewLoader().LoadFromData(raw)
	if err != nil {
		return nil, fmt.Errorf("openapi.json: %w", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("openapi.json: %w", err)
	}
	doc.Servers = nil // routes match on the path alone, whatever host served it
	router, err := legacy.NewRouter(doc)
	if err != nil {
		return nil, fmt.Errorf("openapi.json: %w", err)
	}
	return &Doc{T: doc, router: router}, nil
}

// ErrBroken wraps every answer that breaks the document.
var ErrBroken = errors.New("answer breaks openapi.json")

// Check validates one answer to req (whose body was reqBody). Answers to
// paths the document does not describe (the console's pages, unknown
// paths), 405s and /metrics are not checked: the route list is kept
// honest by the api tests.
func (d *Doc) Check(req *http.Request, reqBody []byte, status int, header http.Header, body []byte) error {
	probe := req.Clone(context.Background())
	probe.Body = io.NopCloser(bytes.NewReader(reqBody))
	route, params, err := d.router.FindRoute(probe)
	if err != nil || status == http.StatusMethodNotAllowed || strings.HasPrefix(req.URL.Path, "/metrics") {
		return nil
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{
			Request: probe, PathParams: params, Route: route,
			Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc},
		},
		Status:  status,
		Header:  header,
		Body:    io.NopCloser(bytes.NewReader(body)),
		Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	}
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		// The validator's first lines name the field and the rule; the schema dump after them is noise here.
		why := strings.SplitN(err.Error(), "\nSchema:", 2)[0]
		return fmt.Errorf("%w: %d to %s %s (%s): %s\nbody: %.600s", ErrBroken, status, req.Method, req.URL.Path,
			route.Operation.OperationID, why, body)
	}
	return nil
}
