package api

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/sdk/converter"
	"google.golang.org/protobuf/encoding/protojson"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/internal/keyring"
	"github.com/redress-hq/redress/internal/payloadcrypt"
)

const uiOrigin = "http://localhost:8233"

// The Temporal UI's path: a manager's token decrypts a history's payload,
// an agent's or no token is refused, and only the UI's origin gets CORS.
func TestCodecServerDecryptsForManagersOnly(t *testing.T) {
	h := newHarness(t)
	keys := keyring.Generate("k1")
	srv := httptest.NewServer(NewCodecServer(CodecDeps{
		Store: h.store, Codec: payloadcrypt.Codec{Keys: keys}, UIOrigin: uiOrigin,
		BootstrapToken: testBootstrap, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	}))
	defer srv.Close()

	p, err := payloadcrypt.DataConverter(keys).ToPayload(map[string]string{"buyer": "Mariana Souza"})
	require.NoError(t, err)
	body, err := protojson.Marshal(&commonpb.Payloads{Payloads: []*commonpb.Payload{p}})
	require.NoError(t, err)
	require.NotContains(t, string(body), "Mariana")

	post := func(token, origin string) *http.Response {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/decode", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Origin", origin)
		req.Header.Set("X-Namespace", "default")
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		t.Cleanup(func() { resp.Body.Close() })
		return resp
	}

	resp := post(h.tokens[cases.RoleManager], uiOrigin)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, uiOrigin, resp.Header.Get("Access-Control-Allow-Origin"))
	var out commonpb.Payloads
	raw, _ := io.ReadAll(resp.Body)
	require.NoError(t, protojson.Unmarshal(raw, &out), string(raw))
	var decoded map[string]string
	require.NoError(t, converter.GetDefaultDataConverter().FromPayload(out.Payloads[0], &decoded))
	require.Equal(t, "Mariana Souza", decoded["buyer"])

	require.Equal(t, http.StatusOK, post(testBootstrap, uiOrigin).StatusCode, "the bootstrap admin")
	require.Equal(t, http.StatusForbidden, post(h.tokens[cases.RoleAgent], uiOrigin).StatusCode)
	require.Equal(t, http.StatusForbidden, post(h.tokens[cases.RoleAutomation], uiOrigin).StatusCode)
	require.Equal(t, http.StatusUnauthorized, post("", uiOrigin).StatusCode)
	require.Equal(t, http.StatusUnauthorized, post("rdr_not_a_token", uiOrigin).StatusCode)
	refused := post(h.tokens[cases.RoleAgent], uiOrigin)
	rb, _ := io.ReadAll(refused.Body)
	require.NotContains(t, string(rb), "Mariana")

	// A page from another origin: the browser's preflight gets no allowance.
	for origin, allowed := range map[string]bool{uiOrigin: true, "https://evil.example": false, "http://localhost:8080": false} {
		req, _ := http.NewRequest(http.MethodOptions, srv.URL+"/decode", nil)
		req.Header.Set("Origin", origin)
		req.Header.Set("Access-Control-Request-Method", "POST")
		req.Header.Set("Access-Control-Request-Headers", "authorization,content-type,x-namespace")
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		got := resp.Header.Get("Access-Control-Allow-Origin")
		if allowed {
			require.Equal(t, origin, got)
			require.True(t, strings.Contains(strings.ToLower(resp.Header.Get("Access-Control-Allow-Headers")), "authorization"))
		} else {
			require.Empty(t, got, "origin %s", origin)
		}
	}
	// Nor does its actual request carry one, whatever the token.
	require.Empty(t, post(h.tokens[cases.RoleManager], "https://evil.example").Header.Get("Access-Control-Allow-Origin"))
}

// The Web UI sends cookies, not a bearer token: a manager signs in at
// /session once, and the UI's decode calls carry the session cookie.
func TestCodecServerSessionForTheWebUI(t *testing.T) {
	h := newHarness(t)
	keys := keyring.Generate("k1")
	srv := httptest.NewServer(NewCodecServer(CodecDeps{
		Store: h.store, Codec: payloadcrypt.Codec{Keys: keys}, UIOrigin: uiOrigin,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	}))
	defer srv.Close()
	p, err := payloadcrypt.DataConverter(keys).ToPayload("Mariana Souza")
	require.NoError(t, err)
	body, err := protojson.Marshal(&commonpb.Payloads{Payloads: []*commonpb.Payload{p}})
	require.NoError(t, err)

	signIn := func(token string) (*http.Response, *http.Cookie) {
		resp, err := http.PostForm(srv.URL+"/session", url.Values{"token": {token}})
		require.NoError(t, err)
		resp.Body.Close()
		for _, ck := range resp.Cookies() {
			if ck.Name == codecCookie {
				return resp, ck
			}
		}
		return resp, nil
	}
	decode := func(ck *http.Cookie) int {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/decode", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Origin", uiOrigin)
		if ck != nil {
			req.AddCookie(ck)
		}
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		return resp.StatusCode
	}

	resp, ck := signIn(h.tokens[cases.RoleAgent])
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	assert.Nil(t, ck, "an agent gets no session")
	assert.Equal(t, http.StatusUnauthorized, decode(&http.Cookie{Name: codecCookie, Value: "rdr_forged"}))
	assert.Equal(t, http.StatusForbidden, decode(&http.Cookie{Name: codecCookie, Value: h.tokens[cases.RoleAgent]}))

	resp, ck = signIn(h.tokens[cases.RoleManager])
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.NotNil(t, ck)
	assert.True(t, ck.HttpOnly)
	assert.Equal(t, http.StatusOK, decode(ck))
	assert.Equal(t, http.StatusUnauthorized, decode(nil))
}
