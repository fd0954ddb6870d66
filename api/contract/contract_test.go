package contract

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
)

const doc = `{"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
 "paths": {"/v1/cases/{id}": {"get": {"operationId": "getCase",
  "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
  "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": {
    "type": "object", "required": ["issue"], "properties": {"issue": {"type": "string", "enum": ["quality"]}}}}}}}}}}}`

func TestCheck(t *testing.T) {
	d, err := Load([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	json := http.Header{"Content-Type": {"application/json"}}
	req := httptest.NewRequest(http.MethodGet, "/v1/cases/c1", nil)
	for name, c := range map[string]struct {
		status int
		body   string
		broken bool
	}{
		"documented":          {200, `{"issue": "quality"}`, false},
		"outside the enum":    {200, `{"issue": ""}`, true},
		"missing field":       {200, `{}`, true},
		"undocumented status": {404, `{"code": "not_found"}`, true},
	} {
		err := d.Check(req, nil, c.status, json, []byte(c.body))
		if got := errors.Is(err, ErrBroken); got != c.broken {
			t.Errorf("%s: broken %v, want %v (%v)", name, got, c.broken, err)
		}
	}
	if err := d.Check(httptest.NewRequest(http.MethodGet, "/ui/inbox", nil), nil, 200, nil, []byte("<html>")); err != nil {
		t.Errorf("a path the document does not describe is not checked: %v", err)
	}
}
