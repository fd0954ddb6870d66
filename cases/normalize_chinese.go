package cases

import (
	"sync"

	"github.com/longbridgeapp/opencc"
)

// traditionalToSimplified converts Traditional Chinese to Simplified with
// OpenCC's t2s dictionaries, embedded in the binary (no files at run time).
// They are built once, on first use (about 40 ms); conversion is a pure
// function of the text, so the guard stays deterministic in workflow code.
var traditionalToSimplified = sync.OnceValue(func() *opencc.OpenCC {
	cc, err := opencc.New("t2s")
	if err != nil {
		panic("opencc t2s: " + err.Error()) // embedded data: cannot fail at run time
	}
	return cc
})

// toSimplified converts the Chinese in s to Simplified; text without Chinese
// characters is returned as is, without loading the dictionaries. Some
// characters convert in steps (薴 → 苧 → 苎), so it converts until the
// text no longer changes, as Normalize must be idempotent (fuzzed).
func toSimplified(s string) string {
	if !hasHan(s) {
		return s
	}
	for range 4 {
		out, err := traditionalToSimplified().Convert(s)
		if err != nil || out == s {
			break
		}
		s = out
	}
	return s
}
