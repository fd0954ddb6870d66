package market

import (
	"os"
	"testing"

	"github.com/redress-hq/redress/internal/testenv"
)

var (
	stack   *testenv.Stack
	agent   string // tokens per role, created through the API
	manager string
	robot   string
)

// TestMain starts one Stack for the package. AutoContact stays on (the shop
// default), so first messages go out by themselves; the tests get contact
// tasks where a platform refuses the message, and drive every other step
// through the API. The simulator delivers webhooks to the API.
//
// Tests that need the simulator to themselves (fault injection on every
// write, polls counting what they start) run first, one at a time; the
// rest run in parallel afterwards, each on its own orders.
func TestMain(m *testing.M) {
	var tokens testenv.Tokens
	opts := testenv.Options{Settings: testenv.DefaultSettings(), Webhooks: true}
	os.Exit(testenv.RunPackage(m, "market", opts, &stack, &tokens, func() {
		agent, manager, robot = tokens.Agent, tokens.Manager, tokens.Automation
	}))
}
