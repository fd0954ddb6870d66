package marketplace

import (
	"fmt"
	"os"
	"strings"

	"github.com/redress-hq/redress/cases"
)

// PlatformConfig is how to reach one platform and who Redress is there.
type PlatformConfig struct {
	// BaseURL is the API root, e.g. https://api.mercadolibre.com or, against
	// the simulator, http://127.0.0.1:8099/mercadolibre.
	BaseURL string
	// AuthURL is the token endpoint's root when it differs from BaseURL
	// (Amazon LWA lives on api.amazon.com); empty means BaseURL.
	AuthURL string
	// PaymentsURL is Mercado Pago's root for refunds; empty means BaseURL.
	PaymentsURL  string
	ClientID     string // ML client id, Taobao app key, eBay/Amazon LWA client id
	ClientSecret string // also signs Taobao TOP calls (the app secret)
	// MarketplaceID is the Amazon marketplaceIds value or the eBay marketplace (EBAY_US).
	MarketplaceID string
	// CouponTemplates are the shops' prepared coupons (Taobao, TAOBAO_COUPON_TEMPLATES).
	CouponTemplates []CouponTemplate
	// eBay notifications: endpoint validation answers SHA-256(challenge code +
	// VerificationToken + EndpointURL) (EBAY_VERIFICATION_TOKEN, EBAY_ENDPOINT_URL).
	VerificationToken string
	EndpointURL       string
	// PromotionImageURL is the image eBay requires on a coded coupon (EBAY_PROMOTION_IMAGE_URL).
	PromotionImageURL string
}

// AuthBase returns where the token endpoint lives.
func (p PlatformConfig) AuthBase() string {
	if p.AuthURL != "" {
		return p.AuthURL
	}
	return p.BaseURL
}

// Config configures every connector.
type Config struct {
	MercadoLibre PlatformConfig
	Taobao       PlatformConfig
	EBay         PlatformConfig
	Amazon       PlatformConfig
	// ShopTokens are initial per-shop credentials (refresh tokens, Taobao
	// session keys) to load into a TokenStore at start.
	ShopTokens []ShopToken
	// TokenFile, if set, keeps tokens across restarts (MARKETPLACE_TOKEN_FILE).
	TokenFile string
}

// TokenStore returns the store the configuration asks for: a file when
// TokenFile is set, else memory (tokens rotated in memory die with the process).
func (c Config) TokenStore() TokenStore {
	if c.TokenFile != "" {
		return NewFileTokenStore(c.TokenFile)
	}
	return NewMemoryTokenStore()
}

// Platform returns the configuration of one marketplace.
func (c Config) Platform(m cases.Marketplace) PlatformConfig {
	switch m {
	case cases.MercadoLibre:
		return c.MercadoLibre
	case cases.Taobao:
		return c.Taobao
	case cases.EBay:
		return c.EBay
	case cases.Amazon:
		return c.Amazon
	}
	return PlatformConfig{}
}

// Production API roots, used when neither MARKETPLACE_BASE_URL nor a
// per-platform override is set.
var productionURLs = map[cases.Marketplace]struct{ base, auth, payments string }{
	cases.MercadoLibre: {"https://api.mercadolibre.com", "", "https://api.mercadopago.com"},
	cases.Taobao:       {"https://eco.taobao.com", "", ""},
	cases.EBay:         {"https://api.ebay.com", "", ""},
	cases.Amazon:       {"", "https://api.amazon.com", ""}, // base: the region of AMAZON_MARKETPLACE_ID (AmazonEndpoint)
}

var urlEnv = map[cases.Marketplace]string{
	cases.MercadoLibre: "MELI_BASE_URL",
	cases.Taobao:       "TAOBAO_BASE_URL",
	cases.EBay:         "EBAY_BASE_URL",
	cases.Amazon:       "AMAZON_BASE_URL",
}

// ConfigFromEnv reads the connector configuration.
//
// MARKETPLACE_BASE_URL points every platform at one host (the simulator),
// each under its own prefix (/mercadolibre, /taobao, /ebay, /amazon), and
// the platform's auth and payment endpoints with it. MELI_BASE_URL,
// TAOBAO_BASE_URL, EBAY_BASE_URL and AMAZON_BASE_URL override one platform.
// Credentials: MELI_CLIENT_ID/MELI_CLIENT_SECRET, TAOBAO_APP_KEY/
// TAOBAO_APP_SECRET/TAOBAO_COUPON_TEMPLATES, EBAY_CLIENT_ID/EBAY_CLIENT_SECRET/
// EBAY_MARKETPLACE_ID/EBAY_VERIFICATION_TOKEN/EBAY_ENDPOINT_URL/EBAY_PROMOTION_IMAGE_URL, AMAZON_LWA_CLIENT_ID/AMAZON_LWA_CLIENT_SECRET/
// AMAZON_MARKETPLACE_ID, AMAZON_LWA_URL. Shop credentials come from
// MARKETPLACE_SHOP_TOKENS (see ParseShopTokens); MARKETPLACE_TOKEN_FILE keeps
// rotated tokens across restarts.
func ConfigFromEnv() (Config, error) {
	shared := strings.TrimRight(os.Getenv("MARKETPLACE_BASE_URL"), "/")
	platform := func(m cases.Marketplace) PlatformConfig {
		p := PlatformConfig{}
		prod := productionURLs[m]
		switch {
		case os.Getenv(urlEnv[m]) != "":
			p.BaseURL = strings.TrimRight(os.Getenv(urlEnv[m]), "/")
		case shared != "":
			p.BaseURL = shared + "/" + string(m)
		default:
			p.BaseURL, p.AuthURL, p.PaymentsURL = prod.base, prod.auth, prod.payments
		}
		return p
	}
	cfg := Config{
		MercadoLibre: platform(cases.MercadoLibre),
		Taobao:       platform(cases.Taobao),
		EBay:         platform(cases.EBay),
		Amazon:       platform(cases.Amazon),
	}
	cfg.MercadoLibre.ClientID = os.Getenv("MELI_CLIENT_ID")
	cfg.MercadoLibre.ClientSecret = os.Getenv("MELI_CLIENT_SECRET")
	if v := os.Getenv("MELI_PAYMENTS_BASE_URL"); v != "" {
		cfg.MercadoLibre.PaymentsURL = strings.TrimRight(v, "/")
	}
	cfg.Taobao.ClientID = os.Getenv("TAOBAO_APP_KEY")
	cfg.Taobao.ClientSecret = os.Getenv("TAOBAO_APP_SECRET")
	templates, err := ParseCouponTemplates(os.Getenv("TAOBAO_COUPON_TEMPLATES"))
	if err != nil {
		return Config{}, err
	}
	cfg.Taobao.CouponTemplates = templates
	cfg.EBay.ClientID = os.Getenv("EBAY_CLIENT_ID")
	cfg.EBay.ClientSecret = os.Getenv("EBAY_CLIENT_SECRET")
	cfg.EBay.MarketplaceID = envOr("EBAY_MARKETPLACE_ID", "EBAY_US")
	cfg.EBay.VerificationToken = os.Getenv("EBAY_VERIFICATION_TOKEN")
	cfg.EBay.EndpointURL = os.Getenv("EBAY_ENDPOINT_URL")
	cfg.EBay.PromotionImageURL = os.Getenv("EBAY_PROMOTION_IMAGE_URL")
	cfg.Amazon.ClientID = os.Getenv("AMAZON_LWA_CLIENT_ID")
	cfg.Amazon.ClientSecret = os.Getenv("AMAZON_LWA_CLIENT_SECRET")
	cfg.Amazon.MarketplaceID = envOr("AMAZON_MARKETPLACE_ID", "ATVPDKIKX0DER")
	if cfg.Amazon.BaseURL == "" {
		base, ok := AmazonEndpoint(cfg.Amazon.MarketplaceID)
		if !ok {
			return Config{}, fmt.Errorf("AMAZON_MARKETPLACE_ID %q is not an Amazon marketplace id", cfg.Amazon.MarketplaceID)
		}
		cfg.Amazon.BaseURL = base
	}
	if v := os.Getenv("AMAZON_LWA_URL"); v != "" {
		cfg.Amazon.AuthURL = strings.TrimRight(v, "/")
	}
	tokens, err := ParseShopTokens(os.Getenv("MARKETPLACE_SHOP_TOKENS"))
	if err != nil {
		return Config{}, err
	}
	cfg.ShopTokens = tokens
	cfg.TokenFile = os.Getenv("MARKETPLACE_TOKEN_FILE")
	return cfg, nil
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

// ParseShopTokens reads "marketplace:shop:token" entries separated by commas.
// The token is the shop's OAuth refresh token (Mercado Libre, eBay, Amazon)
// or its TOP session key (Taobao).
func ParseShopTokens(s string) ([]ShopToken, error) {
	var out []ShopToken
	for _, entry := range strings.Split(s, ",") {
		entry = strings.TrimSpace(entry)
		if entry == "" {
			continue
		}
		parts := strings.SplitN(entry, ":", 3)
		if len(parts) != 3 || parts[1] == "" || parts[2] == "" {
			return nil, fmt.Errorf("shop token %q: want marketplace:shop:token", entry)
		}
		m := cases.Marketplace(parts[0])
		if !m.Valid() {
			return nil, fmt.Errorf("shop token %q: unknown marketplace %q", entry, parts[0])
		}
		tok := ShopToken{Marketplace: m, ShopID: parts[1]}
		if m == cases.Taobao {
			tok.AccessToken = parts[2]
		} else {
			tok.RefreshToken = parts[2]
		}
		out = append(out, tok)
	}
	return out, nil
}
