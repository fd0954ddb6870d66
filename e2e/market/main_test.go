package market

import (
	"context"
	"fmt"
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

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

// run starts one Stack for the package. AutoContact stays on (the shop
// default), so first messages go out by themselves; the tests get contact
// tasks where a platform refuses the message, and drive every other step
// through the API. The simulator delivers webhooks to the API.
//
// Tests that need the simulator to themselves (fault injection on every
// write, polls counting what they start) run first, one at a time; the
// rest run in parallel afterwards, each on its own orders.
func run(m *testing.M) int {
	ctx := context.Background()
	srv, err := testenv.StartTemporal(ctx)
	if err != nil {
		fmt.Fprintln(os.Stderr, "market e2e:", err)
		return 1
	}
	defer srv.Stop()
	stack, err = testenv.Start(ctx, srv.FrontendHostPort(), testenv.Options{Settings: testenv.DefaultSettings(), Webhooks: true})
	if err != nil {
		fmt.Fprintln(os.Stderr, "market e2e:", err)
		return 1
	}
	defer stack.Close()
	for _, t := range []struct {
		dst  *string
		role string
	}{{&agent, "agent"}, {&manager, "manager"}, {&robot, "automation"}} {
		if *t.dst, err = stack.Token(ctx, "market-"+t.role, t.role); err != nil {
			fmt.Fprintln(os.Stderr, "market e2e:", err)
			return 1
		}
	}
	return m.Run()
}
