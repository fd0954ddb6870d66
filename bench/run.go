package main

import (
	"context"
	"fmt"

	"log/slog"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
)

// run executes the chosen phases in order. A phase that fails is recorded
// with its error and the others still run; results are written after every
// phase so an interrupted run keeps what it measured. With -only, phases not
// rerun keep their results from the existing JSON file.
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
	// With -only, the other phases keep their numbers from the last run.
	var earlier []Phase
	if prev, ok := readResults(cfg.OutJSON); ok && len(cfg.Only) > 0 {
		earlier = prev.Phases
	}
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
		log.Info("phase start", "phase", id)
		start := time.Now()
		ph, err := phases[id](ctx)
		ph.ID = id
		if ph.Title == "" {
			ph.Title = phaseTitles[id]
		}
		ph.Seconds = time.Since(start).Round(time.Second).Seconds()
		ph.RanAt, ph.Settings = start.UTC(), cfg.settings()
		if err != nil {
			ph.Error = err.Error()
			log.Error("phase failed", "phase", id, "err", err)
		} else {
			log.Info("phase done", "phase", id, "took", time.Since(start).Round(time.Second))
		}
		ran = append(ran, ph)
		res.Phases = merge(earlier, ran)
		res.FinishedAt = time.Now().UTC()
		if err := writeResults(cfg, res); err != nil {
			return err
		}
	}
	return nil
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

func (c config) cores() int { return runtime.NumCPU() }

func selfPID() []int { return []int{os.Getpid()} }

// quietLogger drops everything below warnings: the benchmark's own progress
// lines are what should show.
func quietLogger() *slog.Logger {
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
}
