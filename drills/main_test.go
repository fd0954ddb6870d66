package drills

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// scale is how hard the drills push: the short form keeps `make test`
// quick on a small machine, the full form is issue 6's numbers.
type scale struct {
	name string

	r1Cases     int
	r1Kills     int
	r1KillEvery time.Duration
	r2Cases     int
	r3Cases     int
	deliveries  int // R4: concurrent deliveries of one review or webhook
	shops       int // per platform, so per-shop rate limits are not the bottleneck
	settle      time.Duration
	// R5 (cluster): cases, worker kills and how often.
	r5Cases     int
	r5Kills     int
	r5KillEvery time.Duration
	// r7CallsPerWorker: calls each of R7's ten workers makes on one shop.
	r7CallsPerWorker int
	// parallel runs the drills side by side (each has its own Temporal
	// server, database and simulator); the full form runs them one by one.
	parallel bool
}

var (
	short = scale{name: "short", r1Cases: 12, r1Kills: 2, r1KillEvery: 3 * time.Second,
		r2Cases: 12, r3Cases: 8, deliveries: 10, shops: 1, settle: 3 * time.Minute, parallel: true,
		r5Cases: 24, r5Kills: 3, r5KillEvery: 4 * time.Second, r7CallsPerWorker: 16}
	full = scale{name: "full", r1Cases: 1000, r1Kills: 20, r1KillEvery: 5 * time.Second,
		r2Cases: 200, r3Cases: 100, deliveries: 10, shops: 25, settle: 25 * time.Minute,
		r5Cases: 1000, r5Kills: 20, r5KillEvery: 5 * time.Second, r7CallsPerWorker: 100}
)

func parallel(t *testing.T) {
	if drillScale.parallel {
		t.Parallel()
	}
}

// drillScale is chosen by REDRESS_DRILL=full.
var drillScale = short

// redressBinary is the real binary, built once, that R1 runs and kills.
var redressBinary string

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	if os.Getenv("REDRESS_DRILL") == "full" {
		drillScale = full
	}
	dir, err := os.MkdirTemp("", "redress-drills-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "drills:", err)
		return 1
	}
	defer os.RemoveAll(dir)
	redressBinary = filepath.Join(dir, "redress")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	build := exec.CommandContext(ctx, "go", "build", "-o", redressBinary, "github.com/redress-hq/redress/cmd/redress")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "drills: build the redress binary:", err)
		return 1
	}
	rev := revision() // the code as it was when the run began
	code := m.Run()
	if err := writeResults(os.Getenv("REDRESS_DRILL_RESULTS"), os.Getenv("REDRESS_DRILL_COMMAND"), rev, code == 0); err != nil {
		fmt.Fprintln(os.Stderr, "drills: write results:", err)
		return 1
	}
	return code
}
