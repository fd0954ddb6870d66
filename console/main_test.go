package console_test

import (
	"os"
	"testing"

	"github.com/redress-hq/redress/internal/testenv"
)

var (
	stack *testenv.Stack
	// tokens per role, created through the API
	agent, manager, robot string
)

// TestMain runs the console over the real stack: PostgreSQL, a Temporal dev
// server, the worker, the simulator and the API that serves /ui. First
// messages go out by themselves (AutoContact), so cases reach verification
// as soon as the buyer answers.
func TestMain(m *testing.M) {
	var tokens testenv.Tokens
	os.Exit(testenv.RunPackage(m, "console", testenv.Options{Settings: testenv.DefaultSettings()}, &stack, &tokens, func() {
		agent, manager, robot = tokens.Agent, tokens.Manager, tokens.Automation
	}))
}
