package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"
)

// Results is one run of the suite, as written to the JSON file.
type Results struct {
	StartedAt  time.Time `json:"started_at"`
	FinishedAt time.Time `json:"finished_at"`
	Command    string    `json:"command"`
	Config     config    `json:"config"`
	Machine    Machine   `json:"machine"`
	Phases     []Phase   `json:"phases"`
}

// Phase is one benchmark's outcome. Error is set (and Figures may be
// empty) when the phase could not run; nothing is ever filled in for it.
type Phase struct {
	ID string `json:"id"`
	// Server is "cluster" when it ran on the PostgreSQL-backed cluster;
	// empty for the dev server.
	Server  string   `json:"server,omitempty"`
	Title   string   `json:"title"`
	Figures []Figure `json:"figures,omitempty"`
	// LimitedBy says what bounds the figures, from what was measured.
	LimitedBy string   `json:"limited_by,omitempty"`
	CPU       []CPUUse `json:"cpu,omitempty"`
	Notes     []string `json:"notes,omitempty"`
	Tables    []Table  `json:"tables,omitempty"`
	Blocks    []Block  `json:"blocks,omitempty"`
	// Samples is raw time series (P6 memory), kept in full in the JSON.
	Samples any       `json:"samples,omitempty"`
	Error   string    `json:"error,omitempty"`
	Seconds float64   `json:"seconds"`
	RanAt   time.Time `json:"ran_at"`
	// Settings are the flags it ran with.
	Settings string `json:"settings"`
	// Load is the machine's load average when it started → when it ended.
	Load string `json:"load_average,omitempty"`
	// Temporal describes the server a Temporal phase ran on.
	Temporal string `json:"temporal,omitempty"`
}

// key tells one server's result of a phase from the other's.
func (p Phase) key() string { return p.ID + "/" + p.Server }

// Name is the phase as the report shows it: "P1", or "P1 cluster".
func (p Phase) Name() string {
	if p.Server == "" {
		return p.ID
	}
	return p.ID + " " + p.Server
}

// Figure is one measured number next to its baseline from the same run.
// Ratio is Value ÷ Baseline; zero when there is no baseline.
type Figure struct {
	Name     string  `json:"name"`
	Value    float64 `json:"value"`
	Baseline float64 `json:"baseline,omitempty"`
	Unit     string  `json:"unit"`
	Ratio    float64 `json:"ratio,omitempty"`
	// BaselineName says what the baseline is.
	BaselineName string `json:"baseline_name,omitempty"`
}

// Table is extra detail (event counts, memory samples).
type Table struct {
	Title  string     `json:"title"`
	Header []string   `json:"header"`
	Rows   [][]string `json:"rows"`
}

// Block is verbatim text, e.g. an EXPLAIN plan.
type Block struct {
	Title string `json:"title"`
	Text  string `json:"text"`
}

// readResults loads an earlier run, or nothing when there is none.
func readResults(path string) (Results, bool) {
	b, err := os.ReadFile(path)
	if err != nil {
		return Results{}, false
	}
	var r Results
	if json.Unmarshal(b, &r) != nil {
		return Results{}, false
	}
	return r, true
}

// merge puts this run's phases in place of the earlier run's (per phase
// and server), keeping the earlier ones this run did not repeat, in phase
// order, each cluster result after the dev server's.
func merge(earlier, now []Phase) []Phase {
	byKey := map[string]Phase{}
	for _, p := range earlier {
		byKey[p.key()] = p
	}
	for _, p := range now {
		// A rerun that failed (stopped, the database restarted) does not
		// erase the last figures measured; it is noted beside them.
		if old, ok := byKey[p.key()]; ok && p.Error != "" && old.Error == "" {
			old.Notes = append(slices.Clone(old.Notes), fmt.Sprintf("A rerun at %s failed (%s); these figures are from %s.",
				p.RanAt.Format(time.RFC3339), p.Error, old.RanAt.Format(time.RFC3339)))
			p = old
		}
		byKey[p.key()] = p
	}
	var out []Phase
	for _, id := range phaseOrder {
		for _, server := range []string{"", serverCluster} {
			if p, ok := byKey[Phase{ID: id, Server: server}.key()]; ok {
				out = append(out, p)
			}
		}
	}
	return out
}

func figure(name, unit string, value, baseline float64, baselineName string) Figure {
	f := Figure{Name: name, Unit: unit, Value: value, Baseline: baseline, BaselineName: baselineName}
	if baseline != 0 {
		f.Ratio = value / baseline
	}
	return f
}

// writeJSON writes r to path, creating its directory.
func writeJSON(path string, r Results) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return fmt.Errorf("encode results: %w", err)
	}
	return writeFile(path, append(b, '\n'))
}

func writeFile(path string, b []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("create %s: %w", filepath.Dir(path), err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
