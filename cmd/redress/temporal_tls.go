package main

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"

	"go.temporal.io/sdk/client"

	"github.com/redress-hq/redress/config"
)

// withClusterAuth adds TLS (mTLS with a client certificate, or server-only
// TLS) and a Temporal Cloud API key to opts, as c asks.
func withClusterAuth(opts client.Options, c config.Cluster) (client.Options, error) {
	if !c.UsesTLS() {
		return opts, nil
	}
	tc := &tls.Config{MinVersion: tls.VersionTLS12, ServerName: c.TLSServerName}
	if tc.ServerName == "" {
		if host, _, err := net.SplitHostPort(opts.HostPort); err == nil {
			tc.ServerName = host
		}
	}
	if c.TLSCert != "" {
		cert, err := tls.X509KeyPair([]byte(c.TLSCert), []byte(c.TLSKey))
		if err != nil {
			return opts, errors.New("TEMPORAL_TLS_CERT / TEMPORAL_TLS_KEY: " + err.Error())
		}
		tc.Certificates = []tls.Certificate{cert}
	}
	if c.TLSCA != "" {
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM([]byte(c.TLSCA)) {
			return opts, errors.New("TEMPORAL_TLS_CA holds no PEM certificate")
		}
		tc.RootCAs = pool
	}
	opts.ConnectionOptions.TLS = tc
	if c.APIKey != "" {
		opts.Credentials = client.NewAPIKeyStaticCredentials(c.APIKey)
	}
	return opts, nil
}
