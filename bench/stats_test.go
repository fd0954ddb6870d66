package main

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestPercentileNearestRank(t *testing.T) {
	var ds []time.Duration
	for i := 1; i <= 100; i++ {
		ds = append(ds, time.Duration(i)*time.Millisecond)
	}
	require.Equal(t, 50*time.Millisecond, percentile(ds, 50))
	require.Equal(t, 99*time.Millisecond, percentile(ds, 99))
	require.Equal(t, 100*time.Millisecond, percentile(ds, 100))
	require.Equal(t, 1*time.Millisecond, percentile(ds, 0))
	require.Equal(t, time.Duration(0), percentile(nil, 50))
}

func TestSummarizeDoesNotReorderInput(t *testing.T) {
	in := []time.Duration{3 * time.Millisecond, time.Millisecond, 2 * time.Millisecond}
	s := summarize(in)
	require.Equal(t, 3, s.N)
	require.Equal(t, 2.0, s.P50)
	require.Equal(t, 3.0, s.Max)
	require.Equal(t, 2.0, s.Mean)
	require.Equal(t, 3*time.Millisecond, in[0], "input kept its order")
}

func TestFigureRatio(t *testing.T) {
	require.InDelta(t, 0.5, figure("x", "per s", 50, 100, "bare").Ratio, 1e-9)
	require.Zero(t, figure("x", "%", 3, 0, "").Ratio, "no baseline, no ratio")
}

func TestLimitTextNamesContention(t *testing.T) {
	busy := limitText([]CPUUse{
		{Name: "temporal dev server (SQLite)", Percent: 60},
		{Name: "bench process", Percent: 40},
		{Name: otherProcesses, Percent: 90},
		{Name: wholeMachine, Percent: 190},
	}, 2, "SQLite")
	require.Contains(t, busy, "CPU: the machine's 2 cores were 190% busy")
	require.Contains(t, busy, "temporal dev server (SQLite) at 60%")
	require.Contains(t, busy, "outside the benchmark took 90%")

	idle := limitText([]CPUUse{{Name: "bench process", Percent: 20}, {Name: otherProcesses, Percent: 5}, {Name: wholeMachine, Percent: 25}}, 2, "SQLite")
	require.Contains(t, idle, "Not CPU")
	require.Contains(t, limitText(nil, 2, "PostgreSQL"), "PostgreSQL commit")
}

func TestThinKeepsEndsAndSpacing(t *testing.T) {
	s := []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}
	require.Equal(t, []int{0, 3, 6, 9}, thin(s, 4))
	require.Equal(t, s, thin(s, 20), "short series are kept whole")
}

func TestTicksBetweenSurvivesProcessesComingAndGoing(t *testing.T) {
	before := map[int]uint64{1: 100, 2: 50, 3: 70}
	after := map[int]uint64{1: 130, 3: 75, 4: 20} // 2 exited, 4 started
	require.Equal(t, uint64(30+5+20), ticksBetween(before, after))
	require.Equal(t, uint64(0), ticksBetween(map[int]uint64{7: 90}, map[int]uint64{7: 10}), "a reused pid never goes negative")
}

func TestServerMemoryTextSeesALevelledRSS(t *testing.T) {
	mib := int64(1 << 20)
	all := []memSample{
		{Step: "before", ServerRSS: 100 * mib},
		{Waiting: 300, ServerRSS: 370 * mib},
		{Waiting: 1000, ServerRSS: 380 * mib},
		{Waiting: 1000, ServerRSS: 375 * mib},
	}
	require.Contains(t, serverMemoryText("dev server", all[2:], all, 1000, 125*mib), "levelled off")

	growing := []memSample{{Waiting: 250, ServerRSS: 200 * mib}, {Waiting: 1000, ServerRSS: 400 * mib}}
	require.Contains(t, serverMemoryText("dev server", growing[1:], growing, 1000, 200*mib), "100,000 would add")
}
