package payloadcrypt

import (
	"go.temporal.io/sdk/client"

	"github.com/redress-hq/redress/internal/keyring"
)

// ClientOptions returns o with payloads and failures encrypted by keys; every
// Temporal client Redress dials goes through it, and workers built on the
// client inherit it.
func ClientOptions(o client.Options, keys *keyring.Ring) client.Options {
	o.DataConverter = DataConverter(keys)
	o.FailureConverter = FailureConverter(o.DataConverter)
	return o
}
