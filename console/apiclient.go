package console

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/redress-hq/redress/cases"
)

// apiClient calls the JSON API in-process as the signed-in person.
type apiClient struct{ h http.Handler }

// apiError is a problem+json answer of the API.
type apiError struct {
	Status int          `json:"status"`
	Code   string       `json:"code"`
	Detail string       `json:"detail"`
	Errors []fieldError `json:"errors"`
	// Details is what a workflow validator attached, e.g. guard violations.
	Details json.RawMessage `json:"details"`
}

type fieldError struct {
	Field   string `json:"field"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// Violations are the compliance guard's findings a refusal carries.
func (e *apiError) Violations() []cases.Violation {
	var vs []cases.Violation
	if json.Unmarshal(e.Details, &vs) != nil {
		return nil
	}
	return vs
}

func (e *apiError) Error() string { return fmt.Sprintf("api %d %s: %s", e.Status, e.Code, e.Detail) }

// call is one API request. The request id is passed on so logs of the page
// and of the API call it made line up.
type call struct {
	method, path string
	body         any
	// idempotencyKey makes a form submitted twice act once.
	idempotencyKey string
	accept         string
}

func (a apiClient) request(c echo.Context, k call) (*http.Request, error) {
	var body io.Reader
	if k.body != nil {
		raw, err := json.Marshal(k.body)
		if err != nil {
			return nil, err
		}
		body = bytes.NewReader(raw)
	}
	req, err := http.NewRequestWithContext(c.Request().Context(), k.method, k.path, body)
	if err != nil {
		return nil, err
	}
	if body != nil {
		req.Header.Set(echo.HeaderContentType, echo.MIMEApplicationJSON)
	}
	req.Header.Set(echo.HeaderAuthorization, "Bearer "+sessionOf(c).token)
	req.Header.Set(echo.HeaderXRequestID, c.Response().Header().Get(echo.HeaderXRequestID))
	if k.idempotencyKey != "" {
		req.Header.Set("Idempotency-Key", k.idempotencyKey)
	}
	if k.accept != "" {
		req.Header.Set(echo.HeaderAccept, k.accept)
	}
	return req, nil
}

// do runs the call and decodes a 2xx JSON answer into out (when not nil).
func (a apiClient) do(c echo.Context, k call, out any) error {
	req, err := a.request(c, k)
	if err != nil {
		return err
	}
	rec := &bufferedResponse{header: http.Header{}}
	a.h.ServeHTTP(rec, req)
	if rec.status >= 300 {
		e := &apiError{Status: rec.status}
		if json.Unmarshal(rec.body.Bytes(), e) != nil || e.Code == "" {
			e.Code, e.Detail = "internal", rec.body.String()
		}
		return e
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(rec.body.Bytes(), out); err != nil {
		return fmt.Errorf("decode %s %s: %w", k.method, k.path, err)
	}
	return nil
}

func (a apiClient) get(c echo.Context, path string, out any) error {
	return a.do(c, call{method: http.MethodGet, path: path}, out)
}

// stream passes the API's answer (e.g. a CSV export) straight to the browser.
func (a apiClient) stream(c echo.Context, k call) error {
	req, err := a.request(c, k)
	if err != nil {
		return err
	}
	a.h.ServeHTTP(c.Response(), req)
	return nil
}

// bufferedResponse collects an in-process answer.
type bufferedResponse struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *bufferedResponse) Header() http.Header { return r.header }

func (r *bufferedResponse) WriteHeader(status int) {
	if r.status == 0 {
		r.status = status
	}
}

func (r *bufferedResponse) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.body.Write(b)
}
