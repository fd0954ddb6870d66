package api

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/redress-hq/redress/store"
	"github.com/redress-hq/redress/workflows"
)

// handleError is Echo's one error handler: every error leaves as problem+json.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	p := s.toProblem(err)
	p.Instance = c.Request().URL.Path
	p.RequestID = requestID(c)
	if p.Status >= 500 {
		s.log.ErrorContext(c.Request().Context(), "request failed",
			"request_id", p.RequestID, "method", c.Request().Method, "path", p.Instance,
			"status", p.Status, "code", p.Code, "error", err)
	}
	body, merr := json.Marshal(p)
	if merr != nil {
		body = []byte(`{"code":"internal","status":500}`)
	}
	if c.Request().Method == http.MethodHead {
		err = c.NoContent(p.Status)
	} else {
		err = c.Blob(p.Status, "application/problem+json", body)
	}
	if err != nil {
		s.log.WarnContext(c.Request().Context(), "writing error response", "error", err)
	}
}

func (s *Server) toProblem(err error) *Problem {
	var p *Problem
	if errors.As(err, &p) {
		cp := *p
		return &cp
	}
	var he *echo.HTTPError
	if errors.As(err, &he) {
		return httpErrorProblem(he)
	}
	if p := temporalProblem(err); p != nil {
		return p
	}
	switch {
	case errors.Is(err, store.ErrNoCredentialKey):
		return newProblem(http.StatusServiceUnavailable, "credentials_key_missing", "this deployment has no key to seal shop credentials")
	case errors.Is(err, store.ErrNotFound):
		return newProblem(http.StatusNotFound, codeNotFound, "resource not found")
	case errors.Is(err, store.ErrConflict):
		return newProblem(http.StatusConflict, codeConflict, "the resource changed or already exists")
	case errors.Is(err, store.ErrInvalid):
		return newProblem(http.StatusBadRequest, codeValidationFailed, invalidReason(err))
	case errors.Is(err, context.DeadlineExceeded):
		return newProblem(http.StatusGatewayTimeout, codeTimeout, "the operation did not finish in time")
	}
	return newProblem(http.StatusInternalServerError, codeInternal, "internal error; quote the request id when reporting it")
}

// invalidReason is what the store found wrong, without the chain of
// operations wrapped around it (those are for logs).
func invalidReason(err error) string {
	msg := err.Error()
	marker := store.ErrInvalid.Error() + ": "
	if i := strings.LastIndex(msg, marker); i >= 0 {
		return msg[i+len(marker):]
	}
	return "the request has an invalid parameter"
}

func httpErrorProblem(he *echo.HTTPError) *Problem {
	detail, _ := he.Message.(string)
	switch he.Code {
	case http.StatusNotFound:
		return newProblem(he.Code, codeNotFound, "no such route")
	case http.StatusMethodNotAllowed:
		return newProblem(he.Code, codeMethodNotAllowed, "method not allowed on this route")
	case http.StatusRequestEntityTooLarge:
		return newProblem(he.Code, codePayloadTooLarge, "the request body is too large")
	case http.StatusUnsupportedMediaType:
		return newProblem(he.Code, codeUnsupportedMediaType, "send application/json")
	case http.StatusUnauthorized:
		return newProblem(he.Code, codeUnauthenticated, detail)
	case http.StatusForbidden:
		return newProblem(he.Code, codeForbidden, detail)
	}
	if he.Code >= 500 {
		return newProblem(http.StatusInternalServerError, codeInternal, "internal error")
	}
	return newProblem(he.Code, strings.ReplaceAll(strings.ToLower(http.StatusText(he.Code)), " ", "_"), detail)
}

// rejectionStatus maps a workflow validator's rejection code to HTTP: state
// conflicts are 409, missing things 404, wrong content 422.
var rejectionStatus = map[string]int{
	workflows.CodeTaskNotFound:          http.StatusNotFound,
	workflows.CodeIncidentNotFound:      http.StatusNotFound,
	workflows.CodeTaskNotOpen:           http.StatusConflict,
	workflows.CodeTaskClaimedByOther:    http.StatusConflict,
	workflows.CodeCaseClosed:            http.StatusConflict,
	workflows.CodeDuplicate:             http.StatusConflict,
	workflows.CodeWrongRole:             http.StatusForbidden,
	workflows.CodeNotManager:            http.StatusForbidden,
	workflows.CodeWrongPayload:          http.StatusUnprocessableEntity,
	workflows.CodeMissingResponsibility: http.StatusUnprocessableEntity,
	workflows.CodeRemedyNotAllowed:      http.StatusUnprocessableEntity,
	workflows.CodeAmountOutOfRange:      http.StatusUnprocessableEntity,
	workflows.CodeGuardRejected:         http.StatusUnprocessableEntity,
}

// temporalProblem maps errors from the Temporal client; nil when err is not one.
func temporalProblem(err error) *Problem {
	var appErr *temporal.ApplicationError
	if errors.As(err, &appErr) {
		code := appErr.Type()
		status, known := rejectionStatus[code]
		if !known {
			// A rejection we have no mapping for is still the caller's content, not our crash.
			status, code = http.StatusUnprocessableEntity, "update_rejected"
		}
		p := newProblem(status, code, appErr.Message())
		// Details carry what the validator found (e.g. compliance guard violations).
		var details any
		if appErr.HasDetails() && appErr.Details(&details) == nil {
			p.Details = details
		}
		return p
	}
	var (
		notFound    *serviceerror.NotFound
		unavailable *serviceerror.Unavailable
		exhausted   *serviceerror.ResourceExhausted
		deadline    *serviceerror.DeadlineExceeded
		canceled    *serviceerror.Canceled
		updTimeout  *client.WorkflowUpdateServiceTimeoutOrCanceledError
	)
	switch {
	case errors.As(err, &notFound):
		// Updates and signals to a finished workflow come back as NotFound.
		if strings.Contains(notFound.Error(), "already completed") {
			return newProblem(http.StatusConflict, workflows.CodeCaseClosed, "the case is closed")
		}
		return newProblem(http.StatusNotFound, codeNotFound, "case not found")
	case errors.As(err, &updTimeout), errors.As(err, &deadline), errors.As(err, &canceled):
		return newProblem(http.StatusGatewayTimeout, codeTimeout, "the case did not answer in time; retry with the same Idempotency-Key")
	case errors.As(err, &unavailable), errors.As(err, &exhausted):
		return newProblem(http.StatusServiceUnavailable, codeTemporalUnavailable, "the workflow service is unavailable")
	}
	return nil
}
