package main

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestPlanLimitsTellsGrowingPlansFromPagedOnes(t *testing.T) {
	paged := `Limit  (actual time=0.015..0.095 rows=51 loops=1)
  ->  Index Scan using cases_status_opened_idx on cases  (actual time=0.014..0.089 rows=51 loops=1)
        Rows Removed by Filter: 153
Execution Time: 0.120 ms`
	sorted := `Limit  (actual time=80.1..80.2 rows=51 loops=1)
  ->  Sort  (actual time=80.1..80.1 rows=51 loops=1)
        Sort Method: top-N heapsort  Memory: 51kB
        ->  Seq Scan on tasks  (actual time=0.01..60.0 rows=200000 loops=1)
              Rows Removed by Filter: 800000
Execution Time: 80.500 ms`

	onlyPaged := planLimits(map[string]string{"/v1/cases?status=open": paged})
	require.Contains(t, onlyPaged, "stop after one page")

	both := planLimits(map[string]string{"/v1/cases?status=open": paged, "/v1/tasks": sorted})
	require.Contains(t, both, "`/v1/tasks` scans the whole table (80.500 ms)")
	require.Contains(t, both, "`/v1/tasks` (Rows Removed by Filter: 800000")
	require.NotContains(t, both, "`/v1/cases?status=open` (Rows Removed", "a few filtered rows are not worth naming")
}
