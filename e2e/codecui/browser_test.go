package codecui

import (
	"strings"
	"testing"
	"time"

	"github.com/redress-hq/redress/internal/testbrowser"
)

// browser is one headless Chromium with a fresh profile (no cookies, no
// local storage), as the console's browser tests drive it.
type browser struct {
	*testbrowser.Browser
	name string
}

func newBrowser(t *testing.T, name string) *browser {
	t.Helper()
	return &browser{testbrowser.New(t, testbrowser.Options{Prefix: "codec-ui-" + name + "-", Width: 1440, Height: 1000, Timeout: 3 * time.Minute}), name}
}

// waitText waits until the page shows one of want and returns which.
func (b *browser) waitText(timeout time.Duration, want ...string) string {
	b.T.Helper()
	deadline := time.Now().Add(timeout)
	for {
		body := b.BodyText()
		for _, w := range want {
			if strings.Contains(body, w) {
				return w
			}
		}
		if time.Now().After(deadline) {
			b.Shot("failed-wait")
			b.T.Fatalf("%s: the page never showed any of %q; it shows:\n%s", b.name, want, body)
		}
		time.Sleep(300 * time.Millisecond)
	}
}
