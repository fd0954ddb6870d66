// Package keyring holds named AES-256-GCM keys read from configuration: the
// first key seals, every key opens. Rotation is adding a new key in front and
// keeping the old ones for as long as anything sealed with them is kept.
//
// It is used twice: for Temporal payloads (REDRESS_PAYLOAD_KEYS) and as the
// deployment key that wraps each buyer's data key in PostgreSQL
// (REDRESS_DATA_KEYS). See docs/privacy.md.
package keyring

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
)

// KeySize is the size of every key: AES-256.
const KeySize = 32

// ErrUnknownKey: the sealed value names a key the ring does not hold (it was
// retired, or the value comes from another deployment).
var ErrUnknownKey = errors.New("keyring: unknown key id")

// Ring is an ordered set of named keys; the first one is active.
type Ring struct {
	active string
	aeads  map[string]cipher.AEAD
}

// Parse reads "kid1:base64key,kid2:base64key" (standard or URL base64 of 32
// bytes); the first entry is the active key.
func Parse(spec string) (*Ring, error) {
	r := &Ring{aeads: map[string]cipher.AEAD{}}
	for entry := range strings.SplitSeq(spec, ",") {
		entry = strings.TrimSpace(entry)
		if entry == "" {
			continue
		}
		kid, b64, ok := strings.Cut(entry, ":")
		if !ok || kid == "" || strings.ContainsAny(kid, " \t") {
			return nil, fmt.Errorf("keyring: entry must be kid:base64key, got %q", redact(entry))
		}
		key, err := decodeKey(b64)
		if err != nil {
			return nil, fmt.Errorf("keyring: key %q: %w", kid, err)
		}
		if _, dup := r.aeads[kid]; dup {
			return nil, fmt.Errorf("keyring: key id %q given twice", kid)
		}
		if err := r.add(kid, key); err != nil {
			return nil, err
		}
	}
	if r.active == "" {
		return nil, errors.New("keyring: no keys")
	}
	return r, nil
}

// Derived is a ring of one key derived from a fixed phrase: for development
// and tests only, where anyone who reads the source holds the key.
func Derived(kid, phrase string) *Ring {
	sum := sha256.Sum256([]byte(phrase))
	r := &Ring{aeads: map[string]cipher.AEAD{}}
	_ = r.add(kid, sum[:]) // 32 bytes: cannot fail
	return r
}

// Generate is a ring of one fresh random key, for tests.
func Generate(kid string) *Ring {
	r := &Ring{aeads: map[string]cipher.AEAD{}}
	_ = r.add(kid, NewKey())
	return r
}

// NewKey is a fresh random key.
func NewKey() []byte {
	k := make([]byte, KeySize)
	_, _ = rand.Read(k) // crypto/rand never fails on supported platforms
	return k
}

// Spec renders a key as one entry of a ring's configuration.
func Spec(kid string, key []byte) string {
	return kid + ":" + base64.StdEncoding.EncodeToString(key)
}

// ActiveID is the id of the key that seals.
func (r *Ring) ActiveID() string { return r.active }

// Seal encrypts plaintext with the active key; aad binds the ciphertext to
// its context (it must be given again to open). The result is nonce||ciphertext.
func (r *Ring) Seal(plaintext, aad []byte) (kid string, sealed []byte) {
	return r.active, SealWith(r.aeads[r.active], plaintext, aad)
}

// Open decrypts what Seal returned with key kid.
func (r *Ring) Open(kid string, sealed, aad []byte) ([]byte, error) {
	a, ok := r.aeads[kid]
	if !ok {
		return nil, fmt.Errorf("%w %q", ErrUnknownKey, kid)
	}
	return OpenWith(a, sealed, aad)
}

// AEAD is AES-256-GCM over a raw key (a buyer's data key).
func AEAD(key []byte) (cipher.AEAD, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("keyring: key must be %d bytes, got %d", KeySize, len(key))
	}
	b, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(b)
}

// SealWith encrypts with a random nonce, returning nonce||ciphertext.
func SealWith(a cipher.AEAD, plaintext, aad []byte) []byte {
	nonce := make([]byte, a.NonceSize(), a.NonceSize()+len(plaintext)+a.Overhead())
	_, _ = rand.Read(nonce)
	return a.Seal(nonce, nonce, plaintext, aad)
}

// OpenWith decrypts nonce||ciphertext.
func OpenWith(a cipher.AEAD, sealed, aad []byte) ([]byte, error) {
	if len(sealed) < a.NonceSize()+a.Overhead() {
		return nil, errors.New("keyring: sealed value too short")
	}
	n := a.NonceSize()
	out, err := a.Open(nil, sealed[:n], sealed[n:], aad)
	if err != nil {
		return nil, fmt.Errorf("keyring: %w", err)
	}
	return out, nil
}

func (r *Ring) add(kid string, key []byte) error {
	a, err := AEAD(key)
	if err != nil {
		return fmt.Errorf("keyring: key %q: %w", kid, err)
	}
	r.aeads[kid] = a
	if r.active == "" {
		r.active = kid
	}
	return nil
}

func decodeKey(s string) ([]byte, error) {
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding, base64.RawStdEncoding, base64.RawURLEncoding} {
		if k, err := enc.DecodeString(s); err == nil {
			if len(k) != KeySize {
				return nil, fmt.Errorf("must be %d bytes, got %d", KeySize, len(k))
			}
			return k, nil
		}
	}
	return nil, errors.New("not base64")
}

// redact keeps a malformed entry's shape out of logs without its key.
func redact(entry string) string {
	if kid, _, ok := strings.Cut(entry, ":"); ok {
		return kid + ":…"
	}
	if len(entry) > 4 {
		return entry[:4] + "…"
	}
	return "…"
}
