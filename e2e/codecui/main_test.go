// Package codecui reads a case's history in the Temporal Web UI through
// `redress codec-server` (issue 16): a dev server whose UI points at the
// codec server's handler over real HTTP, the whole stack, and headless
// Chromium as the people who may and may not read buyers' data.
package codecui

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/testsuite"

	"github.com/redress-hq/redress/api"
	"github.com/redress-hq/redress/internal/testenv"
)

var (
	stack *testenv.Stack
	// uiURL is the Temporal Web UI, codecURL the codec server; both on
	// localhost (one site, so the codec server's session cookie goes with
	// the UI's cross-origin calls).
	uiURL, codecURL string
	// codecLog is what the codec server logged.
	codecLog = &syncBuffer{}
)

func TestMain(m *testing.M) { os.Exit(run(m)) }

func run(m *testing.M) int {
	ctx := context.Background()
	fail := func(err error) int {
		fmt.Fprintf(os.Stderr, "codecui: %v\n", err)
		return 1
	}
	cli, err := testenv.TemporalCLI()
	if err != nil {
		return fail(err)
	}
	// The codec server's address must be known before the UI starts.
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fail(err)
	}
	codecURL = "http://localhost:" + strconv.Itoa(lis.Addr().(*net.TCPAddr).Port)
	uiPort, err := freePort()
	if err != nil {
		return fail(err)
	}
	uiURL = "http://localhost:" + uiPort

	srv, err := testsuite.StartDevServer(ctx, testsuite.DevServerOptions{
		ExistingPath:  cli,
		ClientOptions: &client.Options{Namespace: "default"},
		LogLevel:      "error",
		EnableUI:      true,
		UIPort:        uiPort,
		// What `temporal server start-dev` offers for a codec: the endpoint.
		ExtraArgs: append(testenv.SearchAttributeArgs(), "--ui-codec-endpoint", codecURL),
	})
	if err != nil {
		return fail(err)
	}
	defer srv.Stop()
	s, err := testenv.Start(ctx, srv.FrontendHostPort(), testenv.Options{Settings: testenv.DefaultSettings(),
		// Shops registered through the API are polled at once (no webhooks here).
		PollInterval: time.Second})
	if err != nil {
		return fail(err)
	}
	defer s.Close()
	stack = s

	// The handler `redress codec-server` serves, with the stack's keys and store.
	codec := &httptest.Server{Listener: lis, Config: &http.Server{Handler: api.NewCodecServer(api.CodecDeps{
		Store: s.Store, Keys: s.PayloadKeys, BootstrapToken: testenv.AdminToken, UIOrigin: uiURL,
		Logger: slog.New(slog.NewTextHandler(io.MultiWriter(codecLog, os.Stderr), nil)),
	})}}
	codec.Start()
	defer codec.Close()
	return m.Run()
}

func freePort() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return strconv.Itoa(l.Addr().(*net.TCPAddr).Port), nil
}

// syncBuffer is a log sink the test reads while the server writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
