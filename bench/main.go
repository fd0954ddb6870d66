// Command bench measures Redress side by side with the bare engine it runs
// on (Temporal on SQLite, PostgreSQL) on this machine, and writes the
// results as JSON and as the Markdown report docs/benchmarks.md.
//
//	go run ./bench -out docs/benchmarks.md -json docs/bench-results.json
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"time"
)

// config is what the flags choose.
type config struct {
	OutMarkdown string          `json:"-"`
	OutJSON     string          `json:"-"`
	Only        map[string]bool `json:"only,omitempty"`
	Duration    time.Duration   `json:"duration_ns"`
	P1Rounds    int             `json:"p1_rounds"`
	Concurrency int             `json:"concurrency"`
	P2Duration  time.Duration   `json:"p2_duration_ns"`
	P2Delay     time.Duration   `json:"p2_delay_ns"`
	P4Cases     int             `json:"p4_cases"`
	P4Samples   int             `json:"p4_samples"`
	P5Cases     int             `json:"p5_cases"`
	P6Cases     int             `json:"p6_cases"`
	P6Sample    time.Duration   `json:"p6_sample_ns"`
	P6Hold      time.Duration   `json:"p6_hold_ns"`
	P6Bare      int             `json:"p6_bare"`
	P6Window    int             `json:"p6_window"`
	P6OpenFor   time.Duration   `json:"p6_open_for_ns,omitempty"`
	P6Progress  time.Duration   `json:"p6_progress_ns"`
	// Temporal is the server the Temporal phases run against: "dev" or "cluster".
	Temporal    string `json:"temporal"`
	StickyCache int    `json:"sticky_cache"`
	AdminDSN    string `json:"-"`
	WorkDir     string `json:"-"`
	RenderOnly  bool   `json:"-"`
}

// Servers -temporal chooses.
const (
	serverDev     = "dev"
	serverCluster = "cluster"
)

// temporalPhases are the phases that run on Temporal, so on either server.
var temporalPhases = []string{"P3", "P1", "P2", "P5", "P6"}

// phases in the order they run: P4 needs no Temporal; P6 leaves many
// workflows open, so it runs last.
var phaseOrder = []string{"P4", "P7", "P3", "P1", "P2", "P5", "P6"}

func parseFlags(args []string) (config, error) {
	var c config
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.StringVar(&c.OutMarkdown, "out", "docs/benchmarks.md", "Markdown report to write")
	fs.StringVar(&c.OutJSON, "json", "docs/bench-results.json", "JSON results to write")
	only := fs.String("only", "", "comma-separated phases to run (P1..P6); all when empty")
	fs.DurationVar(&c.Duration, "duration", 15*time.Second, "how long each side of each P1 round runs")
	fs.IntVar(&c.P1Rounds, "p1-rounds", 4, "P1 rounds; the side that goes first alternates (ABBA)")
	fs.DurationVar(&c.P2Duration, "p2-duration", time.Minute, "how long each side of P2 runs (cases take seconds, so longer than P1)")
	fs.IntVar(&c.Concurrency, "concurrency", 16, "concurrent clients (P1) and cases in flight (P2)")
	fs.DurationVar(&c.P2Delay, "p2-delay", time.Second, "follow-up and review-check delay of P2 cases (the two waits a happy case sleeps)")
	fs.IntVar(&c.P4Cases, "p4-cases", 1_000_000, "cases seeded into redress_bench for P4")
	fs.IntVar(&c.P4Samples, "p4-samples", 300, "requests per query in P4 (after warm-up)")
	fs.IntVar(&c.P5Cases, "p5-cases", 200, "cases whose alert latency P5 measures")
	fs.IntVar(&c.P6Cases, "p6-cases", 2000, "open cases waiting on timers in P6 (the issue asks for 100000)")
	fs.DurationVar(&c.P6Sample, "p6-sample", 5*time.Second, "memory sampling interval in P6")
	fs.DurationVar(&c.P6Hold, "p6-hold", time.Minute, "how long P6 watches memory after the cases are open")
	fs.IntVar(&c.P6Bare, "p6-bare", 0, "bare workflows opened as P6's baseline (default: as many as -p6-cases)")
	fs.IntVar(&c.P6Window, "p6-window", 200, "P6 opens a case only while fewer than this many are opened but not yet waiting, so opening never outruns the worker")
	fs.DurationVar(&c.P6OpenFor, "p6-open-for", 0, "stop opening P6 cases after this long and measure the ones opened (0: open them all)")
	fs.DurationVar(&c.P6Progress, "p6-progress", 30*time.Second, "interval of P6's progress lines and memory samples while cases open")
	fs.StringVar(&c.Temporal, "temporal", serverDev, "Temporal server of P1, P2, P3, P5, P6: dev (the dev server on SQLite) or cluster (scripts/temporal-cluster.sh on PostgreSQL, started and dropped by the run)")
	// The production default (WORKER_STICKY_CACHE_SIZE, config/cluster.go).
	fs.IntVar(&c.StickyCache, "sticky-cache", 2000, "workflows the worker keeps cached between tasks")
	fs.StringVar(&c.AdminDSN, "postgres", adminDSNDefault(), "PostgreSQL server DSN (databases are created on it)")
	fs.StringVar(&c.WorkDir, "workdir", "", "directory for the Temporal SQLite file (a temporary one when empty)")
	fs.BoolVar(&c.RenderOnly, "render", false, "only rewrite the Markdown from the JSON results, measuring nothing")
	if err := fs.Parse(args); err != nil {
		return config{}, err
	}
	if c.Temporal != serverDev && c.Temporal != serverCluster {
		return config{}, fmt.Errorf("-temporal %q: want dev or cluster", c.Temporal)
	}
	c.Only = map[string]bool{}
	for _, p := range strings.Split(*only, ",") {
		if p = strings.ToUpper(strings.TrimSpace(p)); p != "" {
			if !slices.Contains(phaseOrder, p) {
				return config{}, fmt.Errorf("unknown phase %q (want P1..P7)", p)
			}
			if c.Temporal == serverCluster && !slices.Contains(temporalPhases, p) {
				return config{}, fmt.Errorf("%s does not run on Temporal: run it without -temporal cluster", p)
			}
			c.Only[p] = true
		}
	}
	if c.P6Bare == 0 {
		c.P6Bare = c.P6Cases
	}
	if c.Concurrency < 1 || c.P1Rounds < 1 || c.P4Cases < 1 || c.P4Samples < 1 || c.P5Cases < 1 || c.P6Cases < 1 || c.P6Bare < 1 || c.P6Window < 1 {
		return config{}, errors.New("counts and concurrency must be at least 1")
	}
	if c.StickyCache < 0 {
		return config{}, errors.New("-sticky-cache must not be negative")
	}
	if c.Duration <= 0 || c.P2Duration <= 0 || c.P2Delay < 0 || c.P6Sample <= 0 || c.P6Hold < 0 || c.P6OpenFor < 0 || c.P6Progress <= 0 {
		return config{}, errors.New("durations must be positive")
	}
	return c, nil
}

// wants reports whether phase runs: chosen by -only (or all), and on the
// cluster only the phases that run on Temporal.
func (c config) wants(phase string) bool {
	if c.Temporal == serverCluster && !slices.Contains(temporalPhases, phase) {
		return false
	}
	return len(c.Only) == 0 || c.Only[phase]
}

// server is the tag a phase's results carry: empty for the dev server (as
// results written before -temporal existed), "cluster" for the cluster.
func (c config) server() string {
	if c.Temporal == serverCluster {
		return serverCluster
	}
	return ""
}

func adminDSNDefault() string {
	if v := os.Getenv("TEST_DATABASE_URL"); v != "" {
		return v
	}
	return "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
}

func main() {
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	// Libraries that log to the default logger (connectors, SDK) only speak
	// up for warnings, so the progress lines stay readable.
	slog.SetDefault(quietLogger())
	cfg, err := parseFlags(os.Args[1:])
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return
		}
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, cfg, log); err != nil {
		log.Error("bench failed", "err", err)
		os.Exit(1)
	}
}
