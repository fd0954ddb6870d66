package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	sdklog "go.temporal.io/sdk/log"
	"go.temporal.io/sdk/worker"

	rworker "github.com/redress-hq/redress/worker"
	"github.com/redress-hq/redress/workflows"
)

// environment starts what the Temporal phases share, once, on first use:
// the Temporal server (dev or cluster), the Redress stack, the alert receiver and the baseline
// worker.
type environment struct {
	cfg   config
	admin *sqlx.DB
	log   *slog.Logger

	temporal temporalBackend
	stack    *stack
	alerts   *alertReceiver
	baseline *baselineWorker
	// shape is what a happy case does in Temporal, measured by P3 for P2.
	shape  shape
	tmpDir string
	// started is set once ensure ran; err is what it returned.
	started bool
	err     error
}

// ensure starts the shared pieces on first use; a failure is remembered so
// later phases report it instead of starting a second server.
func (e *environment) ensure(ctx context.Context) error {
	if !e.started {
		e.started = true
		e.err = e.start(ctx)
	}
	return e.err
}

func (e *environment) start(ctx context.Context) error {
	dir := e.cfg.WorkDir
	if dir == "" {
		d, err := os.MkdirTemp("", "redress-bench-")
		if err != nil {
			return fmt.Errorf("temp dir: %w", err)
		}
		e.tmpDir, dir = d, d
	}
	var err error
	if e.cfg.Temporal == serverCluster {
		e.log.Info("starting the temporal cluster (scripts/temporal-cluster.sh, PostgreSQL)", "dir", dir)
		e.temporal, err = startCluster(ctx, e.admin, e.cfg.AdminDSN, dir)
	} else {
		e.log.Info("starting temporal dev server on SQLite (WAL, synchronous=NORMAL)", "dir", dir)
		e.temporal, err = startTemporal(ctx, dir)
	}
	if err != nil {
		return err
	}
	e.log.Info("temporal up", "addr", e.temporal.Address(), "pids", e.temporal.PIDs(), "server", e.temporal.Describe())
	// Process-wide, before any worker starts: the cache bounds the worker's
	// memory however many cases are open.
	worker.SetStickyWorkflowCacheSize(e.cfg.StickyCache)

	if e.alerts, err = startAlertReceiver(); err != nil {
		return err
	}
	e.stack, err = startStack(ctx, stackOptions{
		HostPort: e.temporal.Address(), AdminDSN: e.cfg.AdminDSN, Admin: e.admin,
		Settings: benchSettings(e.cfg), AlertURL: e.alerts.URL, Logger: quietLogger(), Progress: e.log,
	})
	if err != nil {
		return fmt.Errorf("start redress stack: %w", err)
	}
	if e.baseline, err = startBaselineWorker(e.stack.Temporal, rworker.Options(), e.stack.Store); err != nil {
		return err
	}
	e.log.Info("redress stack up", "api", e.stack.URL)
	return nil
}

// benchSettings are the shop settings every bench case starts with: the
// two waits of a happy case (follow-up, review check) are -p2-delay.
func benchSettings(cfg config) workflows.CaseSettings {
	return workflows.CaseSettings{
		AutoContact:      true,
		ApprovalLimit:    5000, // 50.00: a usual remedy needs no manager
		FollowUpDelay:    cfg.P2Delay,
		ReviewCheckDelay: cfg.P2Delay,
		TimeZone:         "UTC",
	}
}

// processes whose CPU the Temporal phases report.
func (e *environment) cpuGroups() []procGroup {
	return []procGroup{
		{Name: e.temporal.Label(), PIDs: e.temporal.PIDs},
		{Name: "bench process (worker + API + simulator + clients)", PIDs: selfPID},
		{Name: "postgres (all backends, shared cluster)", PIDs: postgresPIDs},
	}
}

// usage is what a measurement cost the machine.
type usage struct {
	CPU []CPUUse
	// Writes is what the server stored (the dev server's SQLite writes, the
	// cluster's database growth: temporalBackend.WritesName).
	Writes int64
	// StoreErrors counts persistence errors the server logged (on the dev
	// server, SQLite writes that timed out under load).
	StoreErrors int64
}

// measure runs fn while sampling CPU, the server's writes and its
// persistence errors.
func (e *environment) measure(fn func() error) (usage, error) {
	ctx := context.Background()
	groups := e.cpuGroups()
	w0, s0 := e.temporal.Writes(ctx), e.temporal.StoreErrors()
	before := takeCPU(groups)
	err := fn()
	return usage{
		CPU:         cpuBetween(before, takeCPU(groups), groups, e.cfg.cores()),
		Writes:      e.temporal.Writes(ctx) - w0,
		StoreErrors: e.temporal.StoreErrors() - s0,
	}, err
}

// persistence names where the server commits, for the limits text.
func (e *environment) persistence() string {
	if e.cfg.Temporal == serverCluster {
		return "PostgreSQL"
	}
	return "SQLite"
}

// limits is limitText for this server, with its persistence errors.
func (e *environment) limits(use []CPUUse, storeErrors int64) string {
	return limitText(use, e.cfg.cores(), e.persistence()) + storeErrorsText(storeErrors, e.cfg.Temporal == serverCluster)
}

func (e *environment) Close() {
	if e.baseline != nil {
		e.baseline.Stop()
	}
	if e.stack != nil {
		e.stack.Close()
	}
	if e.alerts != nil {
		e.alerts.Close()
	}
	if e.temporal != nil {
		e.temporal.Close()
	}
	if e.tmpDir != "" {
		_ = os.RemoveAll(e.tmpDir)
	}
}

// sdkLogger hands the SDK a logger that only speaks up for warnings.
func sdkLogger(l *slog.Logger) sdklog.Logger { return sdklog.NewStructuredLogger(l) }

func dbName(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return ""
	}
	return strings.TrimPrefix(u.Path, "/")
}

// waitFor polls cond every interval until it holds or timeout passes.
func waitFor(ctx context.Context, timeout, interval time.Duration, cond func() (bool, error)) error {
	deadline := time.Now().Add(timeout)
	for {
		ok, err := cond()
		if err != nil {
			return err
		}
		if ok {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("not done after %s", timeout)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(interval):
		}
	}
}
