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
			MarketplaceID: map[cases.Marketplace]string{cases.EBay: "EBAY_US", cases.Amazon: "ATVPDKIKX0DER"}[m],
		}
	}
	cfg := marketplace.Config{
		MercadoLibre: platform(cases.MercadoLibre),
		Taobao:       platform(cases.Taobao),
		EBay:         platform(cases.EBay),
		Amazon:       platform(cases.Amazon),
	}
	cfg.EBay.PromotionImageURL = ebayPromotionImage
	cfg.Taobao.CouponTemplates = TaobaoCouponTemplates(shops...)
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

// ConnectorEnv is ConnectorConfig as the environment variables a separate
// redress process reads (see marketplace.ConfigFromEnv): the base URL, the
// simulator's app credentials and the shops' tokens.
func ConnectorEnv(baseURL string, apps map[cases.Marketplace]App, shops ...Shop) []string {
	if apps == nil {
		apps = DefaultApps()
	}
	meli, tb, eb, az := apps[cases.MercadoLibre], apps[cases.Taobao], apps[cases.EBay], apps[cases.Amazon]
	tokens := make([]string, len(shops))
	for i, s := range shops {
		tokens[i] = string(s.Platform) + ":" + s.ID + ":" + s.Token
	}
	var templates []string
	for _, t := range TaobaoCouponTemplates(shops...) {
		templates = append(templates, t.ShopID+":"+t.Denomination.String()+"="+t.CouponID)
	}
	return []string{
		"MARKETPLACE_BASE_URL=" + strings.TrimRight(baseURL, "/"),
		"MELI_CLIENT_ID=" + meli.ClientID, "MELI_CLIENT_SECRET=" + meli.ClientSecret,
		"TAOBAO_APP_KEY=" + tb.ClientID, "TAOBAO_APP_SECRET=" + tb.ClientSecret, "TAOBAO_COUPON_TEMPLATES=" + strings.Join(templates, ","),
		"EBAY_CLIENT_ID=" + eb.ClientID, "EBAY_CLIENT_SECRET=" + eb.ClientSecret, "EBAY_PROMOTION_IMAGE_URL=" + ebayPromotionImage,
		"AMAZON_LWA_CLIENT_ID=" + az.ClientID, "AMAZON_LWA_CLIENT_SECRET=" + az.ClientSecret,
		"MARKETPLACE_SHOP_TOKENS=" + strings.Join(tokens, ","),
	}
}
