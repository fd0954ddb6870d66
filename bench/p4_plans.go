package main

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

var (
	rowsRemoved = regexp.MustCompile(`Rows Removed by Filter: (\d+)`)
	sortMethod  = regexp.MustCompile(`Sort Method: (\S+)`)
	execTime    = regexp.MustCompile(`Execution Time: ([\d.]+) ms`)
)

// planLimits says, from the EXPLAIN ANALYZE output of each query, what
// bounds it: a sort of every matching row or a sequential scan grows with
// the table; an index scan that stops at the page size does not.
func planLimits(plans map[string]string) string {
	paths := make([]string, 0, len(plans))
	for p := range plans {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	var grows, filtered []string
	for _, p := range paths {
		plan := plans[p]
		exec := ""
		if m := execTime.FindStringSubmatch(plan); m != nil {
			exec = m[1] + " ms"
		}
		switch {
		case strings.Contains(plan, "Seq Scan"):
			grows = append(grows, fmt.Sprintf("`%s` scans the whole table (%s)", p, exec))
		case strings.Contains(plan, "Sort Method: top-N"):
			grows = append(grows, fmt.Sprintf("`%s` reads every matching row to keep the first 51 (%s)", p, exec))
		case sortMethod.MatchString(plan):
			grows = append(grows, fmt.Sprintf("`%s` sorts every matching row (%s, %s)", p, sortMethod.FindStringSubmatch(plan)[1], exec))
		}
		removed := 0
		for _, m := range rowsRemoved.FindAllStringSubmatch(plan, -1) {
			n, _ := strconv.Atoi(m[1])
			removed += n
		}
		if removed > 1000 {
			filtered = append(filtered, fmt.Sprintf("`%s` (Rows Removed by Filter: %d, per process of the plan)", p, removed))
		}
	}
	var b strings.Builder
	if len(grows) == 0 {
		b.WriteString("PostgreSQL index scans that stop after one page (51 rows) for every query, so table size barely matters; the API adds a fixed cost per request (token lookup = a second query, filter parsing, scanning into structs, JSON encoding).")
	} else {
		b.WriteString("PostgreSQL plans that grow with the data: " + strings.Join(grows, "; ") + ". The other queries are index scans that stop after one page. The API adds a fixed cost per request (token lookup = a second query, filter parsing, scanning into structs, JSON encoding).")
	}
	if len(filtered) > 0 {
		b.WriteString(" Index scans that discard many rows: " + strings.Join(filtered, "; ") + ".")
	}
	return b.String()
}
