package main

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"

	"github.com/jmoiron/sqlx"
)

// Machine is what the numbers were measured on.
type Machine struct {
	CPUs        int    `json:"cpus"`
	CPUModel    string `json:"cpu_model"`
	MemoryTotal string `json:"memory_total"`
	Kernel      string `json:"kernel"`
	GoVersion   string `json:"go_version"`
	Temporal    string `json:"temporal_cli"`
	Postgres    string `json:"postgres"`
	LoadAvg     string `json:"load_average_at_start"`
}

func describeMachine(ctx context.Context, admin *sqlx.DB) Machine {
	m := Machine{
		CPUs:        runtime.NumCPU(),
		CPUModel:    procField("/proc/cpuinfo", "model name"),
		MemoryTotal: memTotal(),
		GoVersion:   runtime.Version(),
		Kernel:      firstLine("/proc/sys/kernel/osrelease"),
		LoadAvg:     firstLine("/proc/loadavg"),
		Temporal:    temporalVersion(ctx),
	}
	if admin != nil {
		_ = admin.GetContext(ctx, &m.Postgres, `SHOW server_version`)
	}
	return m
}

// procField returns the value of the first "key: value" line of a /proc file.
func procField(path, key string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	for _, line := range strings.Split(string(b), "\n") {
		k, v, ok := strings.Cut(line, ":")
		if ok && strings.TrimSpace(k) == key {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

func firstLine(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	line, _, _ := strings.Cut(string(b), "\n")
	return strings.TrimSpace(line)
}

// memTotal is MemTotal from /proc/meminfo in GiB.
func memTotal() string {
	kb, err := strconv.ParseFloat(strings.TrimSuffix(procField("/proc/meminfo", "MemTotal"), " kB"), 64)
	if err != nil {
		return ""
	}
	return fmt.Sprintf("%.1f GiB", kb/(1<<20))
}
