package api

import (
	"fmt"
	"net/http"
)

// Problem is an RFC 9457 problem document with Redress's stable code and,
// for validation failures, every offending field.
type Problem struct {
	Type      string       `json:"type"`
	Title     string       `json:"title"`
	Status    int          `json:"status"`
	Detail    string       `json:"detail,omitempty"`
	Instance  string       `json:"instance,omitempty"`
	Code      string       `json:"code"`
	RequestID string       `json:"request_id,omitempty"`
	Errors    []FieldError `json:"errors,omitempty"`
	// Details is what a workflow attached to a rejection, passed through.
	Details any `json:"details,omitempty"`
}

// FieldError names one invalid field (a JSON path or query parameter).
type FieldError struct {
	Field   string `json:"field"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

func (p *Problem) Error() string {
	if p.Detail != "" {
		return fmt.Sprintf("%s: %s", p.Code, p.Detail)
	}
	return p.Code
}

// Stable problem codes; clients branch on these, never on titles or details.
const (
	codeInvalidJSON          = "invalid_json"
	codeValidationFailed     = "validation_failed"
	codeUnknownMarketplace   = "unknown_marketplace"
	codeNotFound             = "not_found"
	codeMethodNotAllowed     = "method_not_allowed"
	codeConflict             = "conflict"
	codeUnauthenticated      = "unauthenticated"
	codeForbidden            = "forbidden"
	codePayloadTooLarge      = "payload_too_large"
	codeUnsupportedMediaType = "unsupported_media_type"
	codeInvalidWebhook       = "invalid_webhook"
	codeTemporalUnavailable  = "temporal_unavailable"
	codeTimeout              = "timeout"
	codeInternal             = "internal"
)

func newProblem(status int, code, detail string) *Problem {
	return &Problem{
		Type:   "urn:redress:problem:" + code,
		Title:  http.StatusText(status),
		Status: status,
		Detail: detail,
		Code:   code,
	}
}

// invalidBody is a 400 for a body whose fields are missing or out of range;
// 422 is kept for a well-formed request the case refuses (workflow validators).
func invalidBody(errs ...FieldError) *Problem {
	p := newProblem(http.StatusBadRequest, codeValidationFailed, "the request has invalid fields")
	p.Errors = errs
	return p
}

// invalidQuery is a 400 for bad query or path parameters.
func invalidQuery(errs ...FieldError) *Problem {
	p := newProblem(http.StatusBadRequest, codeValidationFailed, "the request has invalid parameters")
	p.Errors = errs
	return p
}

func notFound(what string) *Problem {
	return newProblem(http.StatusNotFound, codeNotFound, what+" not found")
}
