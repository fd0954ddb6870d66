package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/testsuite"

	"github.com/redress-hq/redress/internal/testenv"
)

// temporalBackend is the Temporal server the phases run against: the dev
// server on SQLite (the default) or the PostgreSQL-backed cluster
// (-temporal cluster).
type temporalBackend interface {
	Address() string
	// Label names its processes in CPU figures, Name in a sentence;
	// Describe is a sentence.
	Label() string
	Name() string
	Describe() string
	PIDs() []int
	// Storage is what it persists to now; StorageName says what that is.
	Storage(ctx context.Context) (storage, error)
	StorageName() string
	// Writes is a running count of what it stored (WritesName says which).
	Writes(ctx context.Context) int64
	WritesName() string
	StoreErrors() int64
	Close()
}

// storage is the size of a server's persistence: the dev server's SQLite
// file, or the cluster's two PostgreSQL databases.
type storage struct {
	SQLite     int64
	Temporal   int64
	Visibility int64
}

func (s storage) total() int64 { return s.SQLite + s.Temporal + s.Visibility }

// temporalServer is a dev server persisting to a SQLite file in WAL mode:
// the realistic single-node configuration, not the in-memory one tests use.
type temporalServer struct {
	*testsuite.DevServer
	PID     int
	DBFile  string
	Version string
	// storeErrors counts persistence errors in the server's log.
	storeErrors *atomic.Int64
}

// errorCounter forwards the server's log and counts the lines that report
// a failed persistence (store) operation.
type errorCounter struct {
	out io.Writer
	n   *atomic.Int64
}

func (c errorCounter) Write(p []byte) (int, error) {
	c.n.Add(int64(bytes.Count(p, []byte("store-operation="))))
	return c.out.Write(p)
}

// sqlitePragmas make SQLite commit through its write-ahead log and sync
// only at checkpoints, as a production single-node setup would.
var sqlitePragmas = []string{
	"--sqlite-pragma", "journal_mode=WAL",
	"--sqlite-pragma", "synchronous=NORMAL",
}

func startTemporal(ctx context.Context, dir string) (*temporalServer, error) {
	cli, err := testenv.TemporalCLI()
	if err != nil {
		return nil, err
	}
	storeErrors := new(atomic.Int64)
	dbFile := filepath.Join(dir, fmt.Sprintf("temporal-bench-%d.db", time.Now().UnixNano()))
	srv, err := testsuite.StartDevServer(ctx, testsuite.DevServerOptions{
		ExistingPath:  cli,
		ClientOptions: &client.Options{Namespace: "default", Logger: sdkLogger(quietLogger())},
		Stdout:        io.Discard, // the server's banner; errors still reach stderr
		Stderr:        errorCounter{out: os.Stderr, n: storeErrors},
		DBFilename:    dbFile,
		LogLevel:      "error",
		ExtraArgs:     append(append([]string{}, sqlitePragmas...), testenv.SearchAttributeArgs()...),
	})
	if err != nil {
		return nil, fmt.Errorf("start temporal dev server on %s: %w", dbFile, err)
	}
	// The SDK keeps the process to itself; the unique database file names it.
	pids := pidsWhere(func(_, cmdline string) bool { return strings.Contains(cmdline, dbFile) })
	if len(pids) == 0 {
		_ = srv.Stop()
		return nil, fmt.Errorf("temporal dev server on %s started but its process was not found", dbFile)
	}
	return &temporalServer{DevServer: srv, PID: pids[0], DBFile: dbFile, Version: temporalVersion(ctx), storeErrors: storeErrors}, nil
}

// temporalVersion describes the pinned CLI. One built with `go install`
// reports 0.0.0-DEV; the pinned version is in its cache directory's name.
func temporalVersion(ctx context.Context) string {
	cli, err := testenv.TemporalCLI()
	if err != nil {
		return ""
	}
	out, _ := exec.CommandContext(ctx, cli, "--version").Output()
	return fmt.Sprintf("%s (%s)", filepath.Base(filepath.Dir(cli)), strings.TrimSpace(string(out)))
}

// Close stops the server and removes its database.
func (t *temporalServer) Close() {
	_ = t.Stop()
	for _, suffix := range []string{"", "-wal", "-shm"} {
		_ = os.Remove(t.DBFile + suffix)
	}
}

// dbBytes is the size of the SQLite database and its write-ahead log.
func (t *temporalServer) dbBytes() int64 {
	var n int64
	for _, suffix := range []string{"", "-wal"} {
		if fi, err := os.Stat(t.DBFile + suffix); err == nil {
			n += fi.Size()
		}
	}
	return n
}

func (t *temporalServer) Address() string { return t.FrontendHostPort() }
func (t *temporalServer) Label() string   { return "temporal dev server (SQLite)" }
func (t *temporalServer) Name() string    { return "dev server" }
func (t *temporalServer) Describe() string {
	return "the Temporal dev server " + t.Version + " on a SQLite file (WAL, synchronous=NORMAL)"
}
func (t *temporalServer) PIDs() []int { return []int{t.PID} }
func (t *temporalServer) Storage(context.Context) (storage, error) {
	return storage{SQLite: t.dbBytes()}, nil
}
func (t *temporalServer) StorageName() string          { return "the dev server's SQLite file and WAL" }
func (t *temporalServer) Writes(context.Context) int64 { return writeBytes(t.PID) }
func (t *temporalServer) WritesName() string           { return "dev server SQLite writes" }
func (t *temporalServer) StoreErrors() int64           { return t.storeErrors.Load() }
