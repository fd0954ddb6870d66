// Package orgs runs two organisations side by side on the real stack
// (issue 12): their own shops, registered through the API and polled
// without a restart, their own settings, and no sight of each other's cases.
package orgs

import (
	"os"
	"testing"
	"time"

	"github.com/redress-hq/redress/internal/testenv"
)

var stack *testenv.Stack

// TestMain starts a Stack of its own: the tests register the simulator's
// demo shops to organisations, which other packages' stacks leave in
// 'default'. No webhooks: only the shops' poll schedules open cases.
func TestMain(m *testing.M) {
	var tokens testenv.Tokens
	opts := testenv.Options{Settings: testenv.DefaultSettings(), PollInterval: time.Second}
	os.Exit(testenv.RunPackage(m, "orgs", opts, &stack, &tokens, nil))
}
