package testenv

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"
)

// Response is an API answer with its decoded JSON body.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// JSON decodes the body into v.
func (r Response) JSON(v any) error { return json.Unmarshal(r.Body, v) }

// Map decodes the body as a JSON object.
func (r Response) Map() map[string]any {
	m := map[string]any{}
	_ = json.Unmarshal(r.Body, &m)
	return m
}

// Do sends a request to the API as the holder of token.
func (s *Stack) Do(ctx context.Context, method, path, token string, body any) (Response, error) {
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case []byte:
		rd = bytes.NewReader(b)
	case string:
		rd = bytes.NewReader([]byte(b))
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			return Response{}, err
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequestWithContext(ctx, method, s.URL+path, rd)
	if err != nil {
		return Response{}, err
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return Response{}, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return Response{}, err
	}
	out := Response{Status: resp.StatusCode, Header: resp.Header, Body: raw}
	var sent []byte
	if b, ok := rd.(*bytes.Reader); ok {
		sent = make([]byte, b.Size())
		_, _ = b.ReadAt(sent, 0)
	}
	return out, s.checkContract(req, sent, out)
}

// Token creates an API token with a role through the API, as an admin would.
func (s *Stack) Token(ctx context.Context, name, role string) (string, error) {
	r, err := s.Do(ctx, http.MethodPost, "/v1/tokens", AdminToken, map[string]string{"name": name, "role": role})
	if err != nil {
		return "", err
	}
	var out struct {
		Token string `json:"token"`
	}
	if r.Status != http.StatusCreated || r.JSON(&out) != nil || out.Token == "" {
		return "", fmt.Errorf("create %s token: %d %s", role, r.Status, r.Body)
	}
	return out.Token, nil
}

// Eventually polls fn until it returns true or the timeout passes.
func Eventually(ctx context.Context, timeout time.Duration, fn func() (bool, error)) error {
	deadline := time.Now().Add(timeout)
	var last error
	for time.Now().Before(deadline) {
		ok, err := fn()
		if ok {
			return nil
		}
		last = err
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
	if last != nil {
		return fmt.Errorf("condition not met within %s: %w", timeout, last)
	}
	return fmt.Errorf("condition not met within %s", timeout)
}
