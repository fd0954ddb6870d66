package codecui

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// browser is one headless Chromium with a fresh profile (no cookies, no
// local storage), as the console's browser tests drive it.
type browser struct {
	t     *testing.T
	ctx   context.Context
	shots string
	name  string
}

func newBrowser(t *testing.T, name string) *browser {
	t.Helper()
	path, err := chromiumPath()
	if err != nil {
		t.Fatalf("the codec UI test needs Chromium (scripts/test.sh installs Debian's chromium): %v", err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1440, 1000))
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(allocCtx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 3*time.Minute)
	t.Cleanup(func() { cancelTimeout(); cancelTab(); cancelAlloc() })
	shots := os.Getenv("REDRESS_SCREENSHOTS")
	if shots == "" {
		shots = filepath.Join("..", "..", ".data", "screenshots")
	}
	if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}
	abs, _ := filepath.Abs(shots)
	return &browser{t: t, ctx: ctx, shots: abs, name: name}
}

func chromiumPath() (string, error) {
	if p := os.Getenv("CHROMIUM"); p != "" {
		return p, nil
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("no chromium, chromium-browser or google-chrome in PATH")
}

// do runs steps and fails the test, with a screenshot, when one fails.
func (b *browser) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, steps...); err != nil {
		b.shot("failed-" + strings.ReplaceAll(what, " ", "-"))
		b.t.Fatalf("%s (%s): %v", what, b.name, err)
	}
}

// bodyText is what the page shows now.
func (b *browser) bodyText() string {
	b.t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText : ""`))
	if err != nil {
		b.t.Fatalf("page text (%s): %v", b.name, err)
	}
	return s
}

// waitText waits until the page shows one of want and returns which.
func (b *browser) waitText(timeout time.Duration, want ...string) string {
	b.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		body := b.bodyText()
		for _, w := range want {
			if strings.Contains(body, w) {
				return w
			}
		}
		if time.Now().After(deadline) {
			b.shot("failed-wait")
			b.t.Fatalf("%s: the page never showed any of %q; it shows:\n%s", b.name, want, body)
		}
		time.Sleep(300 * time.Millisecond)
	}
}

// shot saves a full-page screenshot named for the browser and the step.
func (b *browser) shot(step string) {
	png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Logf("screenshot %s: %v", step, err)
		return
	}
	path := filepath.Join(b.shots, "codec-ui-"+b.name+"-"+step+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		b.t.Logf("screenshot %s: %v", step, err)
	}
}
