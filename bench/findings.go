package main

import "fmt"

// target is issue 11's bound on a figure's ratio to its baseline, measured
// side by side in one run.
type target struct {
	Phase, Figure string
	Max           bool    // the ratio must be at most Ratio (else at least)
	Ratio         float64 // Redress ÷ baseline
}

var targets = []target{
	{"P3", "billable actions per case (estimate)", true, 1.2},
	{"P3", "history size per case", true, 1.5},
	{"P2", "complete cases", false, 0.8},
	{"P1", "reviews accepted into durable cases", false, 0.9},
	{"P5", "p99 review received → seller alert", true, 2},
}

// targetOf returns the target of a phase's figure, if it has one.
func targetOf(phase, figure string) (target, bool) {
	for _, t := range targets {
		if t.Phase == phase && t.Figure == figure {
			return t, true
		}
	}
	return target{}, false
}

func (t target) String() string {
	if t.Max {
		return fmt.Sprintf("≤ %.2f×", t.Ratio)
	}
	return fmt.Sprintf("≥ %.2f×", t.Ratio)
}

// met reports whether a measured figure meets its target.
func (t target) met(f Figure) bool {
	if f.Ratio == 0 {
		return false
	}
	if t.Max {
		return f.Ratio <= t.Ratio
	}
	return f.Ratio >= t.Ratio
}

// targetCell is the summary's target column: the bound and whether this run met it.
func targetCell(phase string, f Figure) string {
	t, ok := targetOf(phase, f.Name)
	if !ok {
		return ""
	}
	if t.met(f) {
		return t.String() + " met"
	}
	return t.String() + " **missed**"
}

// computedFindings are the findings of this run, from its figures: each
// target met or missed with the figures beside it (on the dev server, and
// on the cluster when measured there), then what limits the phases that
// missed one (their LimitedBy, itself computed from the run).
func computedFindings(r Results) []string {
	var out []string
	missed := map[string]bool{}
	for _, t := range targets {
		for _, server := range []string{"", serverCluster} {
			p, ok := phaseOf(r, t.Phase, server)
			if !ok || p.Error != "" {
				if server == "" {
					out = append(out, fmt.Sprintf("**%s %s** (target %s): not measured in this run.", t.Phase, t.Figure, t))
				}
				continue
			}
			for _, f := range p.Figures {
				if f.Name != t.Figure {
					continue
				}
				verdict := "met"
				if !t.met(f) {
					verdict, missed[p.key()] = "missed", true
				}
				out = append(out, fmt.Sprintf("**%s %s**: %s %s against %s %s for %s — %.2f×, target %s: **%s**.",
					p.Name(), f.Name, num(f.Value), f.Unit, num(f.Baseline), f.Unit, f.BaselineName, f.Ratio, t, verdict))
			}
		}
	}
	for _, p := range r.Phases {
		if missed[p.key()] && p.LimitedBy != "" {
			out = append(out, fmt.Sprintf("**%s** is limited by: %s", p.Name(), p.LimitedBy))
		}
	}
	return out
}

// phaseOf finds a phase's result on a server ("" is the dev server).
func phaseOf(r Results, id, server string) (Phase, bool) {
	for _, p := range r.Phases {
		if p.ID == id && p.Server == server {
			return p, true
		}
	}
	return Phase{}, false
}
