package connectors_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace"
	"github.com/redress-hq/redress/marketplace/connectors"
)

func TestRegistryFromEnv(t *testing.T) {
	t.Setenv("MARKETPLACE_BASE_URL", "http://127.0.0.1:8099/")
	t.Setenv("EBAY_BASE_URL", "https://api.sandbox.ebay.com")
	t.Setenv("MARKETPLACE_SHOP_TOKENS", "mercadolibre:1001:TG-x, taobao:shop:sess")
	cfg, err := marketplace.ConfigFromEnv()
	require.NoError(t, err)
	assert.Equal(t, "http://127.0.0.1:8099/mercadolibre", cfg.MercadoLibre.BaseURL)
	assert.Equal(t, "http://127.0.0.1:8099/amazon", cfg.Amazon.AuthBase(), "LWA follows the simulator")
	assert.Equal(t, "https://api.sandbox.ebay.com", cfg.EBay.BaseURL)
	require.Len(t, cfg.ShopTokens, 2)
	assert.Equal(t, "TG-x", cfg.ShopTokens[0].RefreshToken)
	assert.Equal(t, "sess", cfg.ShopTokens[1].AccessToken, "a Taobao credential is the session key")

	store := marketplace.NewMemoryTokenStore()
	reg, err := connectors.NewRegistry(cfg, http.DefaultClient, store)
	require.NoError(t, err)
	for _, m := range cases.Marketplaces {
		c, err := reg.Get(m)
		require.NoError(t, err)
		assert.Equal(t, m, c.Marketplace())
		assert.Equal(t, cases.RulesFor(m), c.Caps())
	}
	_, err = reg.Get("etsy")
	assert.Error(t, err)
	tok, err := store.Get(t.Context(), cases.MercadoLibre, "1001")
	require.NoError(t, err)
	assert.Equal(t, "TG-x", tok.RefreshToken)
}

func TestConfigDefaultsToProduction(t *testing.T) {
	for _, k := range []string{"MARKETPLACE_BASE_URL", "MELI_BASE_URL", "TAOBAO_BASE_URL", "EBAY_BASE_URL", "AMAZON_BASE_URL", "MARKETPLACE_SHOP_TOKENS"} {
		t.Setenv(k, "")
	}
	cfg, err := marketplace.ConfigFromEnv()
	require.NoError(t, err)
	assert.Equal(t, "https://api.mercadolibre.com", cfg.MercadoLibre.BaseURL)
	assert.Equal(t, "https://api.mercadopago.com", cfg.MercadoLibre.PaymentsURL)
	assert.Equal(t, "https://api.amazon.com", cfg.Amazon.AuthBase())

	_, err = marketplace.ParseShopTokens("etsy:1:x")
	assert.Error(t, err)
	_, err = marketplace.ParseShopTokens("mercadolibre:1")
	assert.Error(t, err)
}
