package marketplace

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// FindFunc looks on the platform for a write already made; it returns the
// platform's id for it and whether it was found.
type FindFunc func(ctx context.Context) (id string, found bool, err error)

// WriteOnce makes a write at most once on platforms without idempotency
// keys: it reads back first and only writes when nothing is there. A retry
// after an ambiguous failure therefore finds the earlier write and reports
// Replayed instead of writing twice.
func WriteOnce(ctx context.Context, find FindFunc, write func(ctx context.Context) (string, error)) (WriteResult, error) {
	id, found, err := find(ctx)
	if err != nil {
		return WriteResult{}, err
	}
	if found {
		return WriteResult{ID: id, Replayed: true}, nil
	}
	id, err = write(ctx)
	if err != nil {
		return WriteResult{}, err
	}
	return WriteResult{ID: id}, nil
}

// ShortRef derives a short, platform-safe reference (letters and digits)
// from an idempotency key, for fields with tight length or charset limits
// such as coupon codes or seller order ids.
func ShortRef(prefix, key string, n int) string {
	sum := sha256.Sum256([]byte(key))
	s := strings.ToUpper(hex.EncodeToString(sum[:]))
	if n > len(s) {
		n = len(s)
	}
	return prefix + s[:n]
}

// JoinID and SplitID pack two platform ids into one opaque id, for results
// the platform can only address through their parent (a refund of an order).
func JoinID(parent, child string) string { return parent + ":" + child }

func SplitID(id string) (parent, child string, ok bool) {
	return strings.Cut(id, ":")
}
