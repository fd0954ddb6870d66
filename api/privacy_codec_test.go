package api

import (
	"bytes"
	"context"
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
	"google.golang.org/protobuf/proto"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/internal/keyring"
	"github.com/redress-hq/redress/internal/payloadcrypt"
	"github.com/redress-hq/redress/store"
)

const uiOrigin = "http://localhost:8233"

// The Temporal UI's path: a manager's token decrypts a history's payload,
// an agent's or no token is refused, and only the UI's origin gets CORS.
func TestCodecServerDecryptsForManagersOnly(t *testing.T) {
	h := newHarness(t)
	keys := keyring.Generate("k1")
	srv := httptest.NewServer(NewCodecServer(CodecDeps{
		Store: h.store, Keys: keys, UIOrigin: uiOrigin,
		BootstrapToken: testBootstrap, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	}))
	defer srv.Close()

	p := sealFor(t, keys, store.DefaultOrg, map[string]string{"buyer": "Mariana Souza"})
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
		Store: h.store, Keys: keys, UIOrigin: uiOrigin,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	}))
	defer srv.Close()
	p := sealFor(t, keys, store.DefaultOrg, "Mariana Souza")
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

// sealFor encodes v as a worker acting for org does.
func sealFor(t *testing.T, keys *keyring.Ring, org string, v any) *commonpb.Payload {
	t.Helper()
	dc := payloadcrypt.DataConverter(keys).(converter.ContextAware).WithContext(payloadcrypt.WithOrg(context.Background(), org))
	p, err := dc.ToPayload(v)
	require.NoError(t, err)
	return p
}

// A caller decodes only their organisation's payloads; the others stay
// sealed in the answer (the UI shows them encoded) and the refusal is logged.
// Payloads that name no organisation are the deployment admin's alone.
func TestCodecServerDecodesOnlyTheCallersOrganisation(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	_, err := h.store.CreateOrganisation(ctx, "acme", "Acme")
	require.NoError(t, err)
	token := func(role cases.Role, org string, shops ...string) string {
		plain, hash, err := GenerateToken()
		require.NoError(t, err)
		_, err = h.store.CreateTokenFor(ctx, store.TokenSpec{Name: org + "-" + string(role), Role: role, OrgID: org, Shops: shops}, hash)
		require.NoError(t, err)
		return plain
	}
	acmeManager, acmeAdmin := token(cases.RoleManager, "acme"), token(cases.RoleAdmin, "acme")

	keys := keyring.Generate("k1")
	var logs bytes.Buffer
	srv := httptest.NewServer(NewCodecServer(CodecDeps{
		Store: h.store, Keys: keys, UIOrigin: uiOrigin, BootstrapToken: testBootstrap,
		Logger: slog.New(slog.NewTextHandler(&logs, nil)),
	}))
	defer srv.Close()

	plainDC := converter.GetDefaultDataConverter()
	payloads := []*commonpb.Payload{
		sealFor(t, keys, store.DefaultOrg, "default's buyer"),
		sealFor(t, keys, "acme", "acme's buyer"),
		sealFor(t, keys, "", "nobody's buyer"),
	}
	plain, _ := plainDC.ToPayload("recorded in clear")
	payloads = append(payloads, plain)
	body, err := protojson.Marshal(&commonpb.Payloads{Payloads: payloads})
	require.NoError(t, err)

	decode := func(token string) []string {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/decode", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		require.Equal(t, http.StatusOK, resp.StatusCode, string(raw))
		var out commonpb.Payloads
		require.NoError(t, protojson.Unmarshal(raw, &out), string(raw))
		require.Len(t, out.Payloads, len(payloads))
		got := make([]string, len(out.Payloads))
		for i, p := range out.Payloads {
			if _, sealed := payloadcrypt.Sealed(p); sealed {
				got[i] = "sealed"
				continue
			}
			require.NoError(t, plainDC.FromPayload(p, &got[i]))
		}
		return got
	}

	assert.Equal(t, []string{"default's buyer", "sealed", "sealed", "recorded in clear"}, decode(h.tokens[cases.RoleManager]))
	assert.Equal(t, []string{"default's buyer", "sealed", "sealed", "recorded in clear"}, decode(h.tokens[cases.RoleAdmin]), "an organisation's admin")
	assert.Equal(t, []string{"sealed", "acme's buyer", "sealed", "recorded in clear"}, decode(acmeManager))
	assert.Equal(t, []string{"sealed", "acme's buyer", "sealed", "recorded in clear"}, decode(acmeAdmin))
	assert.Equal(t, []string{"default's buyer", "acme's buyer", "nobody's buyer", "recorded in clear"}, decode(testBootstrap), "the deployment's admin")
	assert.Contains(t, logs.String(), `msg="codec server refused" reason="not the caller's organisation"`)
	assert.Contains(t, logs.String(), `caller=acme-manager role=manager org=acme payloads=2`)

	// A payload whose organisation was rewritten does not open.
	forged := proto.Clone(payloads[1]).(*commonpb.Payload)
	forged.Metadata[payloadcrypt.MetadataOrg] = []byte(store.DefaultOrg)
	_, err = payloadcrypt.Codec{Keys: keys}.Decode([]*commonpb.Payload{forged})
	require.Error(t, err)

	// The UI encodes (e.g. a signal's input) for the caller's organisation.
	in, _ := plainDC.ToPayload("typed in the UI")
	encBody, _ := protojson.Marshal(&commonpb.Payloads{Payloads: []*commonpb.Payload{in}})
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/encode", bytes.NewReader(encBody))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+acmeManager)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var enc commonpb.Payloads
	require.NoError(t, protojson.Unmarshal(raw, &enc), string(raw))
	org, sealed := payloadcrypt.Sealed(enc.Payloads[0])
	assert.True(t, sealed)
	assert.Equal(t, "acme", org)
}
