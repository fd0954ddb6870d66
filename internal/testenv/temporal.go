// Package testenv runs the whole Redress stack for end-to-end tests: a real
// Temporal dev server, a fresh PostgreSQL database, the marketplace
// simulator, the worker, and the API over real HTTP.
package testenv

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/testsuite"

	"github.com/redress-hq/redress/workflows"
)

// TemporalCLI is the pinned Temporal CLI that `make test` installs; the SDK
// would otherwise try to download one, which this machine cannot.
func TemporalCLI() (string, error) {
	if p := os.Getenv("TEMPORAL_CLI"); p != "" {
		return p, nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", err
	}
	cache := os.Getenv("REDRESS_CACHE")
	if cache == "" {
		cache = filepath.Join(home, ".cache", "redress")
	}
	p := filepath.Join(cache, "temporal-v1.5.1", "temporal")
	if _, err := os.Stat(p); err != nil {
		return "", fmt.Errorf("temporal CLI not found at %s: run `make temporal-cli` (or `make test`, which installs it)", p)
	}
	return p, nil
}

// SearchAttributeArgs register the workflows' search attributes at start.
func SearchAttributeArgs() []string {
	return []string{
		"--search-attribute", workflows.SearchAttrStage + "=Keyword",
		"--search-attribute", workflows.SearchAttrMarketplace + "=Keyword",
		"--search-attribute", workflows.SearchAttrIssue + "=Keyword",
		"--search-attribute", workflows.SearchAttrBreached + "=Bool",
	}
}

// StartTemporal starts a dev server (in-memory) for one test package.
func StartTemporal(ctx context.Context) (*testsuite.DevServer, error) {
	cli, err := TemporalCLI()
	if err != nil {
		return nil, err
	}
	return testsuite.StartDevServer(ctx, testsuite.DevServerOptions{
		ExistingPath:  cli,
		ClientOptions: &client.Options{Namespace: "default"},
		LogLevel:      "error",
		ExtraArgs:     SearchAttributeArgs(),
	})
}
