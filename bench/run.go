package main

import (
	"context"
	"fmt"

	"log/slog"
	"os"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
)

// run executes the chosen phases in order. A phase that fails is recorded
// with its error and the others still run; results are written after every
// phase so an interrupted run keeps what it measured. The other server's
// results are always kept; with -only, so are this server's phases not rerun.
func run(ctx context.Context, cfg config, log *slog.Logger) error {
	if cfg.RenderOnly {
		res, ok := readResults(cfg.OutJSON)
		if !ok {
			return fmt.Errorf("no results to render in %s", cfg.OutJSON)
		}
		return writeFile(cfg.OutMarkdown, []byte(renderMarkdown(res)))
	}
	admin, err := sqlx.ConnectContext(ctx, "postgres", cfg.AdminDSN)
	if err != nil {
		return fmt.Errorf("postgres at %s is not reachable (start it with `pg_ctlcluster 15 main start`): %w", cfg.AdminDSN, err)
	}
	defer admin.Close()

	res := Results{StartedAt: time.Now().UTC(), Command: commandLine(), Config: cfg, Machine: describeMachine(ctx, admin)}
	var ran []Phase
	env := &environment{cfg: cfg, admin: admin, log: log}
	defer env.Close()

	phases := map[string]func(context.Context) (Phase, error){
		"P4": func(ctx context.Context) (Phase, error) { return runP4(ctx, cfg, admin, log) },
		"P3": env.runP3,
		"P1": env.runP1,
		"P2": env.runP2,
		"P5": env.runP5,
		"P6": env.runP6,
		"P7": func(ctx context.Context) (Phase, error) { return runP7(ctx, cfg, admin, log) },
	}
	for _, id := range phaseOrder {
		if !cfg.wants(id) {
			continue
		}
		if ctx.Err() != nil {
			break
		}
		log.Info("phase start", "phase", id, "temporal", cfg.Temporal)
		start, load := time.Now(), loadAverage()
		ph, err := phases[id](ctx)
		ph.ID, ph.Server = id, cfg.server()
		if ph.Title == "" {
			ph.Title = phaseTitles[id]
		}
		ph.Seconds = time.Since(start).Round(time.Second).Seconds()
		ph.RanAt, ph.Settings = start.UTC(), cfg.settings()
		ph.Load = load + " → " + loadAverage()
		if slices.Contains(temporalPhases, id) && env.temporal != nil {
			ph.Temporal = env.temporal.Describe()
		}
		if err != nil {
			ph.Error = err.Error()
			log.Error("phase failed", "phase", id, "err", err)
		} else {
			log.Info("phase done", "phase", id, "took", time.Since(start).Round(time.Second))
		}
		ran = append(ran, ph)
		// Read again before every write: a run on the other server may
		// have written its results meanwhile (P6 at 100,000 runs for hours).
		var earlier []Phase
		if prev, ok := readResults(cfg.OutJSON); ok {
			earlier = kept(prev.Phases, cfg)
		}
		res.Phases = merge(earlier, ran)
		res.FinishedAt = time.Now().UTC()
		if err := writeResults(cfg, res); err != nil {
			return err
		}
	}
	return nil
}

// kept are the earlier results a run leaves in place: every phase of the
// other server, and with -only this server's phases it does not rerun
// (merge replaces the ones it reruns).
func kept(earlier []Phase, cfg config) []Phase {
	var out []Phase
	for _, p := range earlier {
		if p.Server != cfg.server() || len(cfg.Only) > 0 {
			out = append(out, p)
		}
	}
	return out
}

var phaseTitles = map[string]string{
	"P1": "Intake: reviews accepted into durable cases",
	"P2": "End to end: complete happy-path cases",
	"P3": "Cost: Temporal history events and billable actions per case",
	"P4": "Inbox and case list",
	"P5": "Alert latency: review received → seller alert",
	"P6": "Open cases waiting on timers: memory",
}

func writeResults(cfg config, res Results) error {
	if err := writeJSON(cfg.OutJSON, res); err != nil {
		return err
	}
	return writeFile(cfg.OutMarkdown, []byte(renderMarkdown(res)))
}

// commandLine is how this run was started, for the reproduce section.
func commandLine() string {
	return "go run ./bench " + strings.Join(os.Args[1:], " ")
}

// loadAverage is the machine's 1, 5 and 15-minute load average: other
// users of a shared machine show there.
func loadAverage() string {
	f := strings.Fields(firstLine("/proc/loadavg"))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}

func (c config) cores() int { return runtime.NumCPU() }

func selfPID() []int { return []int{os.Getpid()} }

// quietLogger drops everything below warnings: the benchmark's own progress
// lines are what should show.
func quietLogger() *slog.Logger {
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
}
