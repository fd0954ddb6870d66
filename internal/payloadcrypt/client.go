package payloadcrypt

import (
	"go.temporal.io/sdk/client"

	"github.com/redress-hq/redress/internal/keyring"
)

// ClientOptions returns o with payloads and failures encrypted by keys and
// the organisation propagated (OrgPropagator); every Temporal client Redress
// dials goes through it, and workers built on the client inherit both.
func ClientOptions(o client.Options, keys *keyring.Ring) client.Options {
	o.DataConverter = DataConverter(keys)
	o.FailureConverter = FailureConverter(o.DataConverter)
	o.ContextPropagators = append(o.ContextPropagators, OrgPropagator{})
	return o
}
