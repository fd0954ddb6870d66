package testenv

import (
	"context"
	"fmt"
	"os"
	"testing"
)

// Tokens are one API token per role, created through the API as an admin would.
type Tokens struct {
	Agent, Manager, Automation string
}

// RunPackage starts a Temporal dev server and one Stack for a test package,
// creates a token per role, calls ready (when set) once they exist, runs
// the package's tests and stops everything. Use it from TestMain:
// os.Exit(testenv.RunPackage(m, name, opts, &stack, &tokens, nil)).
func RunPackage(m *testing.M, name string, opts Options, stack **Stack, tokens *Tokens, ready func()) int {
	ctx := context.Background()
	fail := func(err error) int {
		fmt.Fprintf(os.Stderr, "%s: %v\n", name, err)
		return 1
	}
	srv, err := StartTemporal(ctx)
	if err != nil {
		return fail(err)
	}
	defer srv.Stop()
	s, err := Start(ctx, srv.FrontendHostPort(), opts)
	if err != nil {
		return fail(err)
	}
	defer s.Close()
	*stack = s
	for _, t := range []struct {
		dst  *string
		role string
	}{{&tokens.Agent, "agent"}, {&tokens.Manager, "manager"}, {&tokens.Automation, "automation"}} {
		if *t.dst, err = s.Token(ctx, name+"-"+t.role, t.role); err != nil {
			return fail(err)
		}
	}
	if ready != nil {
		ready()
	}
	return m.Run()
}
