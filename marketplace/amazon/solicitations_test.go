package amazon_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace"
)

// The solicitation calls validate against solicitations.json, answered with
// the model's own sandbox examples.
func TestContractSolicitation(t *testing.T) {
	spec := specJSON(t, "solicitations.json")
	c, g, rec := goldenClient(t, "ATVPDKIKX0DER")
	offered := sandbox(t, spec, "/solicitations/v1/orders/{amazonOrderId}", "get", "200")
	g.add("GET /solicitations/v1/orders/", 200, offered, "application/hal+json")
	g.add("POST /solicitations/v1/orders/", 201, sandbox(t, spec, "/solicitations/v1/orders/{amazonOrderId}/solicitations/productReviewAndSellerFeedback", "post", "201"), "application/hal+json")
	ctx := context.Background()

	avail, err := c.SolicitationAvailable(ctx, shop, "123-1234567-1234567")
	require.NoError(t, err)
	assert.True(t, avail, "the sandbox offers productReviewAndSellerFeedback")
	g.add("GET /solicitations/v1/orders/", 200, offered, "application/hal+json")
	res, err := c.RequestReviewSolicitation(ctx, shop, "123-1234567-1234567", "oc:k")
	require.NoError(t, err)
	assert.False(t, res.Replayed)

	// Once sent Amazon no longer offers it: a second request is refused before any POST.
	g.add("GET /solicitations/v1/orders/", 200, []byte(`{"_links":{"actions":[],"self":{"href":"/solicitations/v1/orders/123-1234567-1234567?marketplaceIds=ATVPDKIKX0DER"}}}`), "application/hal+json")
	_, err = c.RequestReviewSolicitation(ctx, shop, "123-1234567-1234567", "oc:k")
	me, ok := marketplace.AsError(err)
	require.True(t, ok, "%v", err)
	assert.Equal(t, cases.ErrPermanent, me.Class)
	assert.Equal(t, "solicitation_unavailable", me.Code)

	ops := checkExchanges(t, rec)
	assert.Equal(t, map[string]bool{"solicitations.json getSolicitationActionsForOrder": true,
		"solicitations.json createProductReviewAndSellerFeedbackSolicitation": true}, ops)
}
