package marketplace_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/redress-hq/redress/marketplace"
)

func TestAmazonEndpointFollowsTheMarketplaceRegion(t *testing.T) {
	for id, want := range map[string]string{
		"ATVPDKIKX0DER":  "https://sellingpartnerapi-na.amazon.com", // US
		"A2Q3Y263D00KWC": "https://sellingpartnerapi-na.amazon.com", // Brazil
		"A1PA6795UKMFR9": "https://sellingpartnerapi-eu.amazon.com", // Germany
		"A21TJRUUN4KGV":  "https://sellingpartnerapi-eu.amazon.com", // India
		"A1VC38T7YXB528": "https://sellingpartnerapi-fe.amazon.com", // Japan
	} {
		got, ok := marketplace.AmazonEndpoint(id)
		assert.True(t, ok, id)
		assert.Equal(t, want, got, id)
	}
	_, ok := marketplace.AmazonEndpoint("NOT-A-MARKETPLACE")
	assert.False(t, ok)
}

func TestAmazonBaseURLFromTheMarketplaceID(t *testing.T) {
	t.Setenv("MARKETPLACE_BASE_URL", "")
	t.Setenv("AMAZON_BASE_URL", "")
	t.Setenv("AMAZON_MARKETPLACE_ID", "A1F83G8C2ARO7P") // UK
	cfg, err := marketplace.ConfigFromEnv()
	require.NoError(t, err)
	assert.Equal(t, "https://sellingpartnerapi-eu.amazon.com", cfg.Amazon.BaseURL)
	assert.Equal(t, "https://api.amazon.com", cfg.Amazon.AuthURL)

	t.Setenv("AMAZON_MARKETPLACE_ID", "XX")
	_, err = marketplace.ConfigFromEnv()
	assert.ErrorContains(t, err, "AMAZON_MARKETPLACE_ID")

	t.Setenv("AMAZON_BASE_URL", "http://127.0.0.1:8090/amazon") // an explicit root wins
	cfg, err = marketplace.ConfigFromEnv()
	require.NoError(t, err)
	assert.Equal(t, "http://127.0.0.1:8090/amazon", cfg.Amazon.BaseURL)
}
