// Package e2e drives Redress only through its HTTP API, against the real
// stack: a Temporal dev server, PostgreSQL, the worker, and the marketplace
// simulator speaking each platform's wire format.
package e2e

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

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

func run(m *testing.M) int {
	ctx := context.Background()
	srv, err := testenv.StartTemporal(ctx)
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	defer srv.Stop()
	settings := testenv.DefaultSettings()
	settings.AutoContact = false            // agents contact buyers through tasks here
	settings.NoReplyAfter = 3 * time.Second // a silent buyer leads to the public reply quickly
	stack, err = testenv.Start(ctx, srv.FrontendHostPort(), testenv.Options{Settings: settings})
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	defer stack.Close()
	for _, t := range []struct {
		dst  *string
		role string
	}{{&agent, "agent"}, {&manager, "manager"}, {&robot, "automation"}} {
		if *t.dst, err = stack.Token(ctx, "e2e-"+t.role, t.role); err != nil {
			fmt.Fprintln(os.Stderr, "e2e:", err)
			return 1
		}
	}
	return m.Run()
}
