package marketplace

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/redress-hq/redress/cases"
)

// Request is one HTTP call to a platform.
type Request struct {
	Op     string // e.g. send_buyer_message, for errors and logs
	ShopID string
	Bucket string // rate-limit bucket; empty is DefaultBucket
	Method string
	URL    string
	Header http.Header
	Body   []byte
	// Write marks calls with side effects: a lost response is then ambiguous.
	Write bool
}

// Response is a platform's answer, whatever its status.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// OK reports a 2xx status.
func (r *Response) OK() bool { return r.Status >= 200 && r.Status < 300 }

// HTTPCaller sends platform calls under client-side rate limits and turns
// transport failures into classified errors. Platform error bodies are left
// to each connector, which knows its envelope.
type HTTPCaller struct {
	Marketplace cases.Marketplace
	Client      *http.Client
	Limits      *RateLimits
}

// maxBody caps what we read from a platform, so a broken peer cannot exhaust memory.
const maxBody = 8 << 20

// Do sends the request and returns the response for any HTTP status. Only
// failures to get a response at all are errors: retryable for reads,
// ambiguous for writes, since the platform may have applied them.
func (c *HTTPCaller) Do(ctx context.Context, req Request) (*Response, error) {
	bucket := req.Bucket
	if bucket == "" {
		bucket = DefaultBucket
	}
	if err := c.Limits.Wait(ctx, bucket, req.ShopID); err != nil {
		return nil, c.Errorf(req.Op, cases.ErrRetryable, 0, "", "rate limiter: %v", err).wrap(err)
	}
	var body io.Reader
	if req.Body != nil {
		body = bytes.NewReader(req.Body)
	}
	hreq, err := http.NewRequestWithContext(ctx, req.Method, req.URL, body)
	if err != nil {
		return nil, c.Errorf(req.Op, cases.ErrPermanent, 0, "bad_request", "build request: %v", err).wrap(err)
	}
	for k, vs := range req.Header {
		hreq.Header[k] = vs
	}
	resp, err := c.Client.Do(hreq)
	if err != nil {
		return nil, c.lost(req, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return nil, c.lost(req, err)
	}
	return &Response{Status: resp.StatusCode, Header: resp.Header, Body: data}, nil
}

func (c *HTTPCaller) lost(req Request, err error) *Error {
	class := cases.ErrRetryable
	if req.Write {
		class = cases.ErrAmbiguous
	}
	return c.Errorf(req.Op, class, 0, "network", "%s %s: %v", req.Method, redactQuery(req.URL), err).wrap(err)
}

// Decode reads a 2xx JSON body into v. A body we cannot read means we do not
// know what happened: retryable for reads, ambiguous for writes.
func (c *HTTPCaller) Decode(req Request, resp *Response, v any) error {
	if err := json.Unmarshal(resp.Body, v); err != nil {
		class := cases.ErrRetryable
		if req.Write {
			class = cases.ErrAmbiguous
		}
		return c.Errorf(req.Op, class, resp.Status, "bad_response", "decode: %v", err).wrap(err)
	}
	return nil
}

// Errorf builds a classified error for this platform.
func (c *HTTPCaller) Errorf(op string, class cases.ErrorClass, status int, code, format string, args ...any) *Error {
	return &Error{Marketplace: c.Marketplace, Op: op, Class: class, Status: status, Code: code, Message: fmt.Sprintf(format, args...)}
}

func (e *Error) wrap(err error) *Error {
	e.Err = err
	return e
}

// ClassForStatus is the default class of an HTTP status without a more
// specific platform code.
func ClassForStatus(status int) cases.ErrorClass {
	switch {
	case status == http.StatusTooManyRequests:
		return cases.ErrRateLimited
	case status == http.StatusUnauthorized:
		return cases.ErrAuthExpired
	case status == http.StatusRequestTimeout || status >= 500:
		return cases.ErrRetryable
	default:
		return cases.ErrPermanent
	}
}

// RetryAfter reads a Retry-After header (seconds or HTTP date); 0 if absent.
func RetryAfter(h http.Header) time.Duration {
	v := h.Get("Retry-After")
	if v == "" {
		return 0
	}
	if secs, err := strconv.ParseFloat(v, 64); err == nil && secs >= 0 {
		return time.Duration(secs * float64(time.Second))
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := time.Until(t); d > 0 {
			return d
		}
	}
	return 0
}

// NotSupported is the permanent error for a call the platform has no API for.
func NotSupported(m cases.Marketplace, op, why string) *Error {
	return &Error{Marketplace: m, Op: op, Class: cases.ErrPermanent, Code: "not_supported", Message: why}
}

// Invalid is the permanent error for a request the platform would refuse,
// caught before spending a call on it.
func Invalid(m cases.Marketplace, op, code, format string, args ...any) *Error {
	return &Error{Marketplace: m, Op: op, Class: cases.ErrPermanent, Code: code, Message: fmt.Sprintf(format, args...)}
}

// AsError returns err as a marketplace error, if it is one.
func AsError(err error) (*Error, bool) {
	var me *Error
	ok := errors.As(err, &me)
	return me, ok
}

// redactQuery drops the query from a URL for error messages: it can carry
// ids and, on some platforms, credentials.
func redactQuery(u string) string {
	path, _, _ := strings.Cut(u, "?")
	return path
}
