package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
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
	ID      string   `json:"id"`
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

// merge puts this run's phases in place of the earlier run's, keeping the
// earlier ones this run did not repeat, in phase order.
func merge(earlier, now []Phase) []Phase {
	byID := map[string]Phase{}
	for _, p := range earlier {
		byID[p.ID] = p
	}
	for _, p := range now {
		byID[p.ID] = p
	}
	var out []Phase
	for _, id := range phaseOrder {
		if p, ok := byID[id]; ok {
			out = append(out, p)
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
