package simulator

import (
	"strings"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace"
)

// ConnectorConfig points every real connector at a simulator served at
// baseURL, with the simulator's app credentials and the given shops'
// tokens — the same wire formats as production, only the host differs.
func ConnectorConfig(baseURL string, apps map[cases.Marketplace]App, shops ...Shop) marketplace.Config {
	if apps == nil {
		apps = DefaultApps()
	}
	baseURL = strings.TrimRight(baseURL, "/")
	platform := func(m cases.Marketplace) marketplace.PlatformConfig {
		a := apps[m]
		return marketplace.PlatformConfig{
			BaseURL:       baseURL + "/" + string(m),
			ClientID:      a.ClientID,
			ClientSecret:  a.ClientSecret,
			WebhookSecret: a.WebhookSecret,
			MarketplaceID: map[cases.Marketplace]string{cases.EBay: "EBAY_US", cases.Amazon: "ATVPDKIKX0DER"}[m],
		}
	}
	cfg := marketplace.Config{
		MercadoLibre: platform(cases.MercadoLibre),
		Taobao:       platform(cases.Taobao),
		EBay:         platform(cases.EBay),
		Amazon:       platform(cases.Amazon),
	}
	for _, s := range shops {
		tok := marketplace.ShopToken{Marketplace: s.Platform, ShopID: s.ID, RefreshToken: s.Token}
		if s.Platform == cases.Taobao {
			tok = marketplace.ShopToken{Marketplace: s.Platform, ShopID: s.ID, AccessToken: s.Token}
		}
		cfg.ShopTokens = append(cfg.ShopTokens, tok)
	}
	return cfg
}

// DemoShops are the shops SeedDemo creates.
func DemoShops() []Shop {
	return []Shop{
		{Platform: cases.MercadoLibre, ID: "1001", Token: "TG-demo-meli"},
		{Platform: cases.Taobao, ID: "demo-shop", Token: "demo-session"},
		{Platform: cases.EBay, ID: "demo-seller", Token: "demo-ebay-refresh"},
		{Platform: cases.Amazon, ID: "A1DEMOSELLER", Token: "Atzr|demo"},
	}
}
