package simulator

import (
	"crypto/rand"
	"encoding/hex"
	"time"
)

// oauthState is one platform's issued tokens.
type oauthState struct {
	refresh map[string]string    // refresh token → shop id
	access  map[string]grant     // access token → grant
	codes   map[string]codeGrant // authorization code → grant (oauth_code.go)
}

type grant struct {
	shopID  string
	expires time.Time
}

func newOAuthState() *oauthState {
	return &oauthState{refresh: map[string]string{}, access: map[string]grant{}}
}

func randomToken(prefix string) string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return prefix + hex.EncodeToString(b)
}

// issue trades a refresh token for an access token; rotate spends the
// refresh token and returns a new one (Mercado Libre). Callers hold s.mu.
func (s *Simulator) issue(st *oauthState, refreshToken string, rotate bool) (access, refresh, shopID string, ok bool) {
	shopID, ok = st.refresh[refreshToken]
	if !ok {
		return "", "", "", false
	}
	refresh = refreshToken
	if rotate {
		delete(st.refresh, refreshToken)
		refresh = randomToken("TG-")
		st.refresh[refresh] = shopID
	}
	access = randomToken("APP_USR-")
	st.access[access] = grant{shopID: shopID, expires: s.now().Add(s.opts.AccessTokenTTL)}
	return access, refresh, shopID, true
}

// shopFor returns the shop an access token belongs to, if it is valid now.
// Callers hold s.mu.
func (s *Simulator) shopFor(st *oauthState, access string) (string, bool) {
	g, ok := st.access[access]
	if !ok || !s.now().Before(g.expires) {
		return "", false
	}
	return g.shopID, true
}
