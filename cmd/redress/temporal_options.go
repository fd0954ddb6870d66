package main

import (
	"go.temporal.io/sdk/client"
	tlog "go.temporal.io/sdk/log"

	"github.com/redress-hq/redress/internal/payloadcrypt"
)

// temporalOptions dial Temporal with every payload encrypted by the
// configured key ring (REDRESS_PAYLOAD_KEYS, validated in config.Load).
func (a *app) temporalOptions() client.Options {
	keys, _ := a.cfg.PayloadRing()
	return payloadcrypt.ClientOptions(client.Options{
		HostPort:       a.cfg.TemporalAddress,
		Namespace:      a.cfg.TemporalNamespace,
		Logger:         tlog.NewStructuredLogger(a.log),
		MetricsHandler: temporalMetrics(),
	}, keys)
}
