package simulator

import (
	"net/http"
	"net/url"
	"time"

	"github.com/redress-hq/redress/cases"
)

// Authorization-code grants: a seller signs in on the platform, consents,
// and the platform sends the browser back to the app with a one-time code
// the app exchanges (with its client secret) for the seller's tokens.
//
//	Mercado Libre  GET /mercadolibre/authorization?response_type=code&client_id&redirect_uri&state
//	               → redirect_uri?code=TG-…&state   (POST /oauth/token grant_type=authorization_code)
//	eBay           GET /ebay/oauth2/authorize?client_id&redirect_uri=<RuName>&response_type=code&scope&state
//	               → accept URL?state&code=v^1.1#i^1#…&expires_in=299
//	               (POST /identity/v1/oauth2/token grant_type=authorization_code, Basic client auth)
//	Amazon (LWA)   GET /amazon/apps/authorize/consent?application_id&state[&version=beta][&redirect_uri]
//	               → redirect_uri?state&selling_partner_id&spapi_oauth_code=…  (POST /auth/o2/token)
//
// The simulator has no sign-in page: the seller who consents is named by
// the query parameter sim_login (a seeded shop of that platform). On eBay
// the redirect_uri is an RuName standing for the app's accept URL; here an
// http(s) URL stands for itself.

// codeTTL is how long an authorization code may be exchanged (eBay: 299 s).
const codeTTL = 5 * time.Minute

type codeGrant struct {
	shopID, clientID, redirectURI string
	expires                       time.Time
}

func (s *Simulator) authorize(m cases.Marketplace, codeParam, clientParam string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		app := s.opts.Apps[m]
		redirect := q.Get("redirect_uri")
		target, err := url.Parse(redirect)
		switch {
		case q.Get(clientParam) != app.ClientID:
			http.Error(w, "unknown application", http.StatusBadRequest)
			return
		case m != cases.Amazon && q.Get("response_type") != "code":
			http.Error(w, "response_type must be code", http.StatusBadRequest)
			return
		case err != nil || (target.Scheme != "http" && target.Scheme != "https"):
			http.Error(w, "redirect_uri is not the application's", http.StatusBadRequest)
			return
		}
		shopID := q.Get("sim_login")
		s.mu.Lock()
		_, known := s.shops[key(m, shopID)]
		code := ""
		if known {
			code = randomToken(codePrefix(m))
			st := s.auth[m]
			if st.codes == nil {
				st.codes = map[string]codeGrant{}
			}
			st.codes[code] = codeGrant{shopID: shopID, clientID: app.ClientID, redirectURI: redirect, expires: s.now().Add(codeTTL)}
		}
		s.mu.Unlock()
		back := target.Query()
		back.Set("state", q.Get("state"))
		if !known {
			back.Set("error", "access_denied") // the seller did not sign in or consent
		} else {
			back.Set(codeParam, code)
			switch m {
			case cases.EBay:
				back.Set("expires_in", "299")
			case cases.Amazon:
				back.Set("selling_partner_id", shopID)
			}
		}
		target.RawQuery = back.Encode()
		http.Redirect(w, r, target.String(), http.StatusFound)
	}
}

func codePrefix(m cases.Marketplace) string {
	switch m {
	case cases.MercadoLibre:
		return "TG-code-"
	case cases.EBay:
		return "v^1.1#i^1#code-"
	}
	return "ANsp-"
}

// exchangeCode spends an authorization code (once) for a new grant of its
// shop: a refresh token and an access token. Callers hold s.mu.
func (s *Simulator) exchangeCode(m cases.Marketplace, code, clientID, redirectURI string) (access, refresh, shopID string, ok bool) {
	st := s.auth[m]
	g, found := st.codes[code]
	delete(st.codes, code)
	if !found || !s.now().Before(g.expires) || g.clientID != clientID || (redirectURI != "" && g.redirectURI != redirectURI) {
		return "", "", "", false
	}
	refresh = randomToken("TG-")
	st.refresh[refresh] = g.shopID
	access, _, _, ok = s.issue(st, refresh, false)
	return access, refresh, g.shopID, ok
}
