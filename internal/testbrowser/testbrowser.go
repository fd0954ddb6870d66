// Package testbrowser starts headless Chromium for the project's browser
// tests (the console; the Temporal Web UI through the codec server): a
// fresh profile each (no cookies, no local storage), the flags this
// machine's closed network needs, screenshots of every failed step.
package testbrowser

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Options shape one browser.
type Options struct {
	// Prefix starts every screenshot's file name ("codec-ui-manager-").
	Prefix string
	// Width and Height of the window (default 1280×900).
	Width, Height int
	// Timeout bounds the whole test's use of the browser (default 4 min).
	Timeout time.Duration
}

// Browser is one headless Chromium tab.
type Browser struct {
	T   *testing.T
	Ctx context.Context
	// Shots is the folder screenshots go to (git-ignored .data/screenshots,
	// or REDRESS_SCREENSHOTS).
	Shots  string
	prefix string
}

// New starts Chromium for t; it stops when t ends.
func New(t *testing.T, o Options) *Browser {
	t.Helper()
	path, err := ChromiumPath()
	if err != nil {
		t.Fatalf("browser tests need Chromium (scripts/test.sh installs Debian's chromium): %v", err)
	}
	if o.Width == 0 || o.Height == 0 {
		o.Width, o.Height = 1280, 900
	}
	if o.Timeout == 0 {
		o.Timeout = 4 * time.Minute
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		// Without these Chromium keeps calling out, and this network refuses it.
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(o.Width, o.Height))
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(allocCtx)
	ctx, cancelTimeout := context.WithTimeout(ctx, o.Timeout)
	t.Cleanup(func() { cancelTimeout(); cancelTab(); cancelAlloc() })
	shots, err := screenshotDir()
	if err != nil {
		t.Fatal(err)
	}
	return &Browser{T: t, Ctx: ctx, Shots: shots, prefix: o.Prefix}
}

// screenshotDir is REDRESS_SCREENSHOTS, else the repository's .data/screenshots.
func screenshotDir() (string, error) {
	dir := os.Getenv("REDRESS_SCREENSHOTS")
	if dir == "" {
		_, file, _, _ := runtime.Caller(0)
		dir = filepath.Join(filepath.Dir(file), "..", "..", ".data", "screenshots")
	}
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	return dir, os.MkdirAll(dir, 0o755)
}

// ChromiumPath is CHROMIUM, else the first Chromium on PATH.
func ChromiumPath() (string, error) {
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

// Do runs steps and fails the test, with a screenshot, when one fails.
func (b *Browser) Do(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.T.Helper()
	if err := chromedp.Do(b.Ctx, steps...); err != nil {
		b.Shot("failed-" + strings.ReplaceAll(what, " ", "-"))
		b.T.Fatalf("%s%s: %v", b.prefix, what, err)
	}
}

// BodyText is what the page shows now.
func (b *Browser) BodyText() string {
	b.T.Helper()
	s, err := chromedp.Run(b.Ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText : ""`))
	if err != nil {
		b.T.Fatalf("%spage text: %v", b.prefix, err)
	}
	return s
}

// Shot saves a full-page screenshot named for the step.
func (b *Browser) Shot(step string) {
	png, err := chromedp.Run(b.Ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.T.Logf("screenshot %s: %v", step, err)
		return
	}
	if err := os.WriteFile(filepath.Join(b.Shots, b.prefix+step+".png"), png, 0o644); err != nil {
		b.T.Logf("screenshot %s: %v", step, err)
	}
}
