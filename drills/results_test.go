package drills

import (
	"fmt"
	"os"
	"os/exec"
	"sort"
	"strings"
	"sync"
	"time"
)

// results are the drills' findings, written to REDRESS_DRILL_RESULTS (make
// drill: docs/drills.md) when the run ends, so every figure there comes from
// a run.
var results = struct {
	sync.Mutex
	rows map[string][2]string // drill id → title, summary
}{rows: map[string][2]string{}}

func recordResult(id, title, summary string) {
	results.Lock()
	defer results.Unlock()
	results.rows[id] = [2]string{title, summary}
}

// writeResults writes the recorded findings as markdown; passed says
// whether the run passed.
func writeResults(path, command, rev string, passed bool) error {
	results.Lock()
	defer results.Unlock()
	if path == "" || len(results.rows) == 0 {
		return nil
	}
	ids := make([]string, 0, len(results.rows))
	for id := range results.rows {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	verdict := "passed"
	if !passed {
		verdict = "FAILED"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "# Drills\n\nWritten by the drills themselves (drills/results_test.go); do not edit by hand.\n\n")
	fmt.Fprintf(&b, "- Run: %s, %s form, %s\n- Command: `%s`\n- Code: %s\n\n", time.Now().UTC().Format("2006-01-02 15:04 UTC"), drillScale.name, verdict, command, rev)
	fmt.Fprintf(&b, "| drill | what | found |\n| --- | --- | --- |\n")
	for _, id := range ids {
		r := results.rows[id]
		fmt.Fprintf(&b, "| %s | %s | %s |\n", id, r[0], strings.ReplaceAll(r[1], "|", "/"))
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}

// revision names the code the drills ran: the commit, and whether the
// working tree differed from it.
func revision() string {
	out, err := exec.Command("git", "rev-parse", "--short", "HEAD").Output()
	if err != nil {
		return "unknown"
	}
	rev := strings.TrimSpace(string(out))
	if diff, err := exec.Command("git", "status", "--porcelain", "--untracked-files=no", "--", "..").Output(); err == nil && len(diff) > 0 {
		rev += " (with uncommitted changes)"
	}
	return rev
}
