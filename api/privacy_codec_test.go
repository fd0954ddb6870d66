package api

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

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
