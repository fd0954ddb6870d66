package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Linux reports process CPU time in clock ticks; USER_HZ is 100 on every
// architecture Go supports on Linux.
const clockTicks = 100

// procGroup is a named set of processes whose CPU use is summed.
type procGroup struct {
	Name string
	PIDs func() []int
}

// cpuSnapshot is the CPU time consumed so far by each process of each
// group, and by the machine.
type cpuSnapshot struct {
	At        time.Time
	Groups    map[string]map[int]uint64 // group → pid → ticks
	MachBusy  uint64
	MachTotal uint64
}

// Names of the two derived CPU figures.
const (
	otherProcesses = "other processes on the machine"
	wholeMachine   = "whole machine"
)

// CPUUse is a group's CPU over a measurement window, in percent of one core
// (200% is both cores of a 2-core machine).
type CPUUse struct {
	Name    string  `json:"name"`
	Percent float64 `json:"percent_of_one_core"`
}

func takeCPU(groups []procGroup) cpuSnapshot {
	s := cpuSnapshot{At: time.Now(), Groups: map[string]map[int]uint64{}}
	for _, g := range groups {
		ticks := map[int]uint64{}
		for _, pid := range g.PIDs() {
			ticks[pid] = procTicks(pid)
		}
		s.Groups[g.Name] = ticks
	}
	s.MachBusy, s.MachTotal = machineTicks()
	return s
}

// cpuBetween turns two snapshots into per-group percentages, the machine
// total last.
func cpuBetween(a, b cpuSnapshot, groups []procGroup, cores int) []CPUUse {
	secs := b.At.Sub(a.At).Seconds()
	if secs <= 0 {
		return nil
	}
	var out []CPUUse
	var ours float64
	for _, g := range groups {
		d := float64(ticksBetween(a.Groups[g.Name], b.Groups[g.Name])) / clockTicks / secs * 100
		ours += d
		out = append(out, CPUUse{Name: g.Name, Percent: round1(d)})
	}
	if total := float64(b.MachTotal - a.MachTotal); total > 0 {
		busy := float64(b.MachBusy-a.MachBusy) / total * 100 * float64(cores)
		out = append(out,
			CPUUse{Name: otherProcesses, Percent: round1(max(busy-ours, 0))},
			CPUUse{Name: wholeMachine, Percent: round1(busy)})
	}
	return out
}

// ticksBetween sums what each process used between two snapshots. A
// process that started in between counts whole; one that exited is lost
// (short-lived PostgreSQL backends may be undercounted).
func ticksBetween(a, b map[int]uint64) uint64 {
	var sum uint64
	for pid, t := range b {
		if t >= a[pid] {
			sum += t - a[pid]
		}
	}
	return sum
}

// procTicks is utime+stime of pid, 0 when it is gone.
func procTicks(pid int) uint64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// The command name may contain spaces; fields restart after its ')'.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 13 {
		return 0
	}
	ut, _ := strconv.ParseUint(f[11], 10, 64)
	st, _ := strconv.ParseUint(f[12], 10, 64)
	return ut + st
}

// machineTicks reads the aggregate cpu line of /proc/stat.
func machineTicks() (busy, total uint64) {
	f, err := os.Open("/proc/stat")
	if err != nil {
		return 0, 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	if !sc.Scan() {
		return 0, 0
	}
	fields := strings.Fields(sc.Text())
	for i, v := range fields[1:] {
		n, _ := strconv.ParseUint(v, 10, 64)
		total += n
		if i != 3 && i != 4 { // idle and iowait
			busy += n
		}
	}
	return busy, total
}

// rssBytes is VmRSS of pid from /proc/<pid>/status.
func rssBytes(pid int) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, fmt.Errorf("read status of %d: %w", pid, err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			if err != nil {
				return 0, fmt.Errorf("parse VmRSS of %d: %w", pid, err)
			}
			return kb * 1024, nil
		}
	}
	return 0, fmt.Errorf("no VmRSS for %d", pid)
}

// writeBytes is how much pid has written to storage (/proc/<pid>/io).
func writeBytes(pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/io", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "write_bytes:"); ok {
			n, _ := strconv.ParseInt(strings.TrimSpace(rest), 10, 64)
			return n
		}
	}
	return 0
}

// pidsWhere lists processes whose command line satisfies match.
func pidsWhere(match func(comm, cmdline string) bool) []int {
	dirs, _ := filepath.Glob("/proc/[0-9]*")
	var pids []int
	for _, d := range dirs {
		pid, err := strconv.Atoi(filepath.Base(d))
		if err != nil {
			continue
		}
		comm, _ := os.ReadFile(d + "/comm")
		cmd, _ := os.ReadFile(d + "/cmdline")
		if match(strings.TrimSpace(string(comm)), string(bytes.ReplaceAll(cmd, []byte{0}, []byte{' '}))) {
			pids = append(pids, pid)
		}
	}
	sort.Ints(pids)
	return pids
}

// postgresPIDs are every PostgreSQL server process on the machine (other
// users of the shared cluster included).
func postgresPIDs() []int {
	return pidsWhere(func(comm, _ string) bool { return comm == "postgres" })
}

func round1(v float64) float64 { return float64(int64(v*10+0.5)) / 10 }
