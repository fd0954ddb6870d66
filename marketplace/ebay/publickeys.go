package ebay

import (
	"context"
	"crypto/ecdsa"
	"crypto/x509"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace"
)

// publicKey is a Notification API key (getPublicKey), parsed.
type publicKey struct {
	key       *ecdsa.PublicKey
	algorithm string // ECDSA
	digest    string // SHA1
}

// publicKeys fetches eBay's notification keys by kid with an application
// token and keeps them: a kid names one key for good, so each is fetched once.
type publicKeys struct {
	client *Client

	mu       sync.Mutex
	byKid    map[string]publicKey
	appToken string
	expires  time.Time
}

func (p *publicKeys) get(ctx context.Context, kid string) (publicKey, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if k, ok := p.byKid[kid]; ok {
		return k, nil
	}
	k, err := p.fetch(ctx, kid)
	if err != nil {
		return publicKey{}, err
	}
	p.byKid[kid] = k
	return k, nil
}

// fetch calls getPublicKey; callers hold p.mu.
func (p *publicKeys) fetch(ctx context.Context, kid string) (publicKey, error) {
	const op = "get_public_key"
	c := p.client
	if p.appToken == "" || time.Now().Add(time.Minute).After(p.expires) {
		tok, err := c.grant(ctx, "application_token", url.Values{"grant_type": {"client_credentials"}, "scope": {appScope}})
		if err != nil {
			return publicKey{}, err
		}
		p.appToken, p.expires = tok.AccessToken, time.Now().Add(time.Duration(tok.ExpiresIn)*time.Second)
	}
	req := marketplace.Request{Op: op, Method: http.MethodGet, URL: c.url("/commerce/notification/v1/public_key/%s", kid),
		Header: http.Header{"Authorization": {"Bearer " + p.appToken}, "Accept": {"application/json"}}}
	resp, err := c.http.Do(ctx, req)
	if err != nil {
		return publicKey{}, err
	}
	if !resp.OK() {
		if resp.Status == http.StatusUnauthorized {
			p.appToken = "" // the next delivery asks for a new one
		}
		return publicKey{}, c.fail(req, resp)
	}
	var body struct {
		Key       string `json:"key"`
		Algorithm string `json:"algorithm"`
		Digest    string `json:"digest"`
	}
	if err := c.http.Decode(req, resp, &body); err != nil {
		return publicKey{}, err
	}
	key, err := parsePEMKey(body.Key)
	if err != nil {
		return publicKey{}, marketplace.Invalid(cases.EBay, op, "bad_public_key", "public key %s: %v", kid, err)
	}
	return publicKey{key: key, algorithm: body.Algorithm, digest: body.Digest}, nil
}

// parsePEMKey reads eBay's key format: a PKIX key in base64 between the PEM
// markers, on one line (as getPublicKey returns it) or wrapped.
func parsePEMKey(s string) (*ecdsa.PublicKey, error) {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(s, "-----BEGIN PUBLIC KEY-----")
	s = strings.TrimSuffix(s, "-----END PUBLIC KEY-----")
	der, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(s), ""))
	if err != nil {
		return nil, err
	}
	pub, err := x509.ParsePKIXPublicKey(der)
	if err != nil {
		return nil, err
	}
	ec, ok := pub.(*ecdsa.PublicKey)
	if !ok {
		return nil, errNotEC
	}
	return ec, nil
}
