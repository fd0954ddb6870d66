package api

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
)

// tokenPrefix makes Redress tokens recognisable to people and secret scanners.
const tokenPrefix = "rdr_"

// GenerateToken returns a new API token and the hash the store keeps. The
// plain token is shown once; only its hash is ever stored.
func GenerateToken() (plain, hash string, err error) {
	buf := make([]byte, 32)
	if _, err := rand.Read(buf); err != nil {
		return "", "", fmt.Errorf("generate token: %w", err)
	}
	plain = tokenPrefix + base64.RawURLEncoding.EncodeToString(buf)
	return plain, HashToken(plain), nil
}

// HashToken is the stored form of a token. SHA-256 without salt is enough:
// tokens carry 256 random bits, so there is nothing to brute-force.
func HashToken(plain string) string {
	sum := sha256.Sum256([]byte(plain))
	return hex.EncodeToString(sum[:])
}
