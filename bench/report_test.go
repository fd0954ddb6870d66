package main

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestRunsOnOneServerKeepTheOthersResults(t *testing.T) {
	earlier := []Phase{{ID: "P1"}, {ID: "P2"}, {ID: "P6"}, {ID: "P1", Server: serverCluster}, {ID: "P6", Server: serverCluster}}
	ids := func(ps []Phase) []string {
		var out []string
		for _, p := range ps {
			out = append(out, p.Name())
		}
		return out
	}

	// A full dev run replaces every dev phase and keeps the cluster's.
	dev, err := parseFlags(nil)
	require.NoError(t, err)
	now := []Phase{{ID: "P1", Figures: []Figure{{Name: "new"}}}}
	got := merge(kept(earlier, dev), now)
	require.Equal(t, []string{"P1", "P1 cluster", "P6 cluster"}, ids(got))
	require.Equal(t, "new", got[0].Figures[0].Name)

	// -temporal cluster -only P6 replaces the cluster's P6 only.
	cl, err := parseFlags([]string{"-temporal", "cluster", "-only", "P6"})
	require.NoError(t, err)
	got = merge(kept(earlier, cl), []Phase{{ID: "P6", Server: serverCluster, Figures: []Figure{{Name: "new"}}}})
	require.Equal(t, []string{"P1", "P1 cluster", "P2", "P6", "P6 cluster"}, ids(got))
	require.Equal(t, "new", got[4].Figures[0].Name)
	require.Empty(t, got[3].Figures, "the dev server's P6 is untouched")

	// A rerun that fails keeps the last figures measured, with a note.
	good := Phase{ID: "P6", Server: serverCluster, Figures: []Figure{{Name: "kept"}}}
	got = merge([]Phase{good}, []Phase{{ID: "P6", Server: serverCluster, Error: "open cases: context canceled"}})
	require.Len(t, got, 1)
	require.Equal(t, "kept", got[0].Figures[0].Name)
	require.Contains(t, got[0].Notes[0], "context canceled")
	require.Empty(t, good.Notes, "the earlier phase's notes are not shared")
}

func TestClusterRunsOnlyTemporalPhases(t *testing.T) {
	_, err := parseFlags([]string{"-temporal", "cluster", "-only", "P4"})
	require.Error(t, err)
	cl, err := parseFlags([]string{"-temporal", "cluster"})
	require.NoError(t, err)
	require.False(t, cl.wants("P7"))
	require.True(t, cl.wants("P2"))
	require.Equal(t, 2000, cl.P6Bare, "the baseline opens as many workflows as cases by default")
}

func TestSideBySidePairsFiguresOfBothServers(t *testing.T) {
	r := Results{Phases: []Phase{
		{ID: "P1", Figures: []Figure{{Name: "rate", Unit: "per s", Value: 100, Baseline: 110, Ratio: 100.0 / 110, BaselineName: "b"}}},
		{ID: "P1", Server: serverCluster, Figures: []Figure{{Name: "rate", Unit: "per s", Value: 50, Baseline: 60, Ratio: 50.0 / 60, BaselineName: "b"}}},
	}}
	rows := sideBySide(r)
	require.Len(t, rows, 1)
	require.Equal(t, []string{"P1", "rate", "100 per s", "0.91×", "50.0 per s", "0.83×", "0.50×"}, rows[0])
	require.Contains(t, renderMarkdown(r), "## P1 cluster — ")
}

func TestHeapTextComparesPaceBeforeAndAfterTheCacheFills(t *testing.T) {
	mib := int64(1 << 20)
	all := []memSample{
		{Waiting: 1000, GoHeap: 40 * mib},
		{Waiting: 2000, GoHeap: 80 * mib},
		{Waiting: 10000, GoHeap: 90 * mib},
	}
	require.Contains(t, heapText(all, all[2:], 0, 2000, 1024), "slowed once the cache was full")
	all[2].GoHeap = 400 * mib
	require.Contains(t, heapText(all, all[2:], 0, 2000, 1024), "kept growing")
	require.Contains(t, heapText(all[:1], all[:1], 0, 2000, 1024), "fewer than the sticky cache")
}
