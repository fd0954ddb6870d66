package main

import (
	"fmt"
	"sort"
	"strings"
)

// busyShare is the machine load above which a figure is called CPU-bound.
const busyShare = 0.85

// limitText names what bounded a measurement, from the CPU it used: the
// machine's cores when they were (nearly) saturated, and which process
// took the most; otherwise waiting (round trips and commits to persist,
// the server's store), not CPU.
func limitText(use []CPUUse, cores int, persist string) string {
	var machine, others float64
	var procs []CPUUse
	for _, u := range use {
		switch u.Name {
		case wholeMachine:
			machine = u.Percent
		case otherProcesses:
			others = u.Percent
		default:
			procs = append(procs, u)
		}
	}
	sort.Slice(procs, func(i, j int) bool { return procs[i].Percent > procs[j].Percent })
	top := ""
	if len(procs) > 0 {
		top = fmt.Sprintf("%s at %.0f%%", procs[0].Name, procs[0].Percent)
		if len(procs) > 1 {
			top += fmt.Sprintf(", then %s at %.0f%%", procs[1].Name, procs[1].Percent)
		}
	}
	capacity := float64(cores * 100)
	if machine >= busyShare*capacity {
		s := fmt.Sprintf("CPU: the machine's %d cores were %.0f%% busy (of %.0f%%); the biggest users were %s.", cores, machine, capacity, top)
		if others >= 0.25*capacity {
			s += fmt.Sprintf(" Processes outside the benchmark took %.0f%% of it, so the figures are lower than on an idle machine.", others)
		}
		return s
	}
	return fmt.Sprintf("Not CPU (machine %.0f%% of %.0f%% busy; %s): latency of the round trips — API → Temporal → %s commit → worker → PostgreSQL — bounds each client.", machine, capacity, top, persist)
}

// cpuText is a one-cell summary of CPU use.
func cpuText(use []CPUUse) string {
	parts := make([]string, 0, len(use))
	for _, u := range use {
		name, _, _ := strings.Cut(u.Name, " (")
		parts = append(parts, fmt.Sprintf("%s %.0f", name, u.Percent))
	}
	return strings.Join(parts, "; ")
}

// storeErrorsText adds the server's persistence errors, when there were any.
func storeErrorsText(n int64, cluster bool) string {
	switch {
	case n == 0:
		return ""
	case cluster:
		return fmt.Sprintf(" The cluster's services logged %d persistence errors (PostgreSQL operations that failed or timed out).", n)
	}
	return fmt.Sprintf(" The dev server logged %d persistence errors (SQLite writes past their deadline): its single SQLite file is saturated.", n)
}
