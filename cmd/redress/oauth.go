package main

import (
	"strings"

	"github.com/redress-hq/redress/api"
	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace"
)

// Where each platform's seller consents, in production.
var consentPages = map[cases.Marketplace]struct{ production, api, path string }{
	cases.MercadoLibre: {"https://auth.mercadolibre.com.ar/authorization", "https://api.mercadolibre.com", "/authorization"},
	cases.EBay:         {"https://auth.ebay.com/oauth2/authorize", "https://api.ebay.com", "/oauth2/authorize"},
	cases.Amazon:       {"https://sellercentral.amazon.com/apps/authorize/consent", "https://sellingpartnerapi", "/apps/authorize/consent"},
}

// oauthApps are the applications the API connects shops with, from the
// marketplace configuration: production consent pages against production
// APIs, the simulator's own under MARKETPLACE_BASE_URL. None without
// REDRESS_PUBLIC_URL (the platforms must be able to send sellers back).
func oauthApps(mcfg marketplace.Config, publicURL, ebayRuName string, amazonDraft bool) map[cases.Marketplace]api.OAuthApp {
	if publicURL == "" {
		return nil
	}
	out := map[cases.Marketplace]api.OAuthApp{}
	for m, page := range consentPages {
		p := mcfg.Platform(m)
		if p.ClientID == "" || p.BaseURL == "" {
			continue
		}
		authorize := p.BaseURL + page.path
		if strings.HasPrefix(p.BaseURL, page.api) {
			authorize = page.production
		}
		app := api.OAuthApp{AuthorizeURL: authorize, ClientID: p.ClientID, ClientSecret: p.ClientSecret,
			RedirectURI: strings.TrimSuffix(publicURL, "/") + "/v1/oauth/" + string(m) + "/callback"}
		switch m {
		case cases.MercadoLibre:
			app.TokenURL = p.BaseURL + "/oauth/token"
		case cases.EBay:
			app.TokenURL = p.BaseURL + "/identity/v1/oauth2/token"
			app.Scopes = []string{"https://api.ebay.com/oauth/api_scope/sell.fulfillment",
				"https://api.ebay.com/oauth/api_scope/commerce.feedback", "https://api.ebay.com/oauth/api_scope/sell.marketing"}
			if ebayRuName != "" {
				app.RedirectURI = ebayRuName // eBay sends sellers to the accept URL the RuName stands for
			}
		case cases.Amazon:
			app.TokenURL = p.AuthBase() + "/auth/o2/token"
			app.Draft = amazonDraft
		}
		out[m] = app
	}
	return out
}
