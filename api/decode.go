package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
)

// decodeJSON reads the body strictly into dst (unknown fields are an error)
// and validates it. An empty body is accepted only when optional.
func (s *Server) decodeJSON(c echo.Context, dst any, optional bool) error {
	body, err := io.ReadAll(c.Request().Body)
	if err != nil {
		var he *echo.HTTPError
		if errors.As(err, &he) {
			return he
		}
		return newProblem(http.StatusBadRequest, codeInvalidJSON, "the request body could not be read")
	}
	if len(bytes.TrimSpace(body)) == 0 {
		if optional {
			return nil
		}
		return newProblem(http.StatusBadRequest, codeInvalidJSON, "the request body is empty; send a JSON object")
	}
	if !isJSONContentType(c.Request().Header.Get(echo.HeaderContentType)) {
		return newProblem(http.StatusUnsupportedMediaType, codeUnsupportedMediaType, "send the body as application/json")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return jsonProblem(err)
	}
	if dec.More() {
		return newProblem(http.StatusBadRequest, codeInvalidJSON, "the body holds more than one JSON value")
	}
	return validateStruct(dst)
}

func isJSONContentType(ct string) bool {
	if ct == "" {
		return false
	}
	mt, _, err := mime.ParseMediaType(ct)
	return err == nil && (mt == echo.MIMEApplicationJSON || strings.HasSuffix(mt, "+json"))
}

// jsonProblem explains a decoding error precisely enough to fix the request.
func jsonProblem(err error) *Problem {
	var (
		syntaxErr *json.SyntaxError
		typeErr   *json.UnmarshalTypeError
	)
	p := newProblem(http.StatusBadRequest, codeInvalidJSON, "")
	switch {
	case errors.As(err, &syntaxErr):
		p.Detail = fmt.Sprintf("malformed JSON at byte %d: %s", syntaxErr.Offset, syntaxErr.Error())
	case errors.Is(err, io.ErrUnexpectedEOF):
		p.Detail = "malformed JSON: the body ends early"
	case errors.As(err, &typeErr):
		field := typeErr.Field
		if field == "" {
			field = "(body)"
		}
		p.Detail = fmt.Sprintf("field %s must be a JSON %s", field, jsonTypeName(typeErr.Type.Kind().String()))
		p.Errors = []FieldError{{Field: field, Code: "invalid_type", Message: "must be a JSON " + jsonTypeName(typeErr.Type.Kind().String())}}
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		p.Detail = fmt.Sprintf("unknown field %q", field)
		p.Errors = []FieldError{{Field: field, Code: "unknown_field", Message: "is not a field of this request"}}
	default:
		p.Detail = "malformed JSON: " + err.Error()
	}
	return p
}

func jsonTypeName(kind string) string {
	switch kind {
	case "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64", "float32", "float64":
		return "number"
	case "bool":
		return "boolean"
	case "slice", "array":
		return "array"
	case "struct", "map":
		return "object"
	}
	return kind
}
