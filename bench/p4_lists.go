package main

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/redress-hq/redress/api"
	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/store"
)

// Column lists exactly as store/cases.go and store/tasks.go select them.
// The first page of every query is compared between SQL and the API, so a
// drift from the store's SQL fails the run instead of skewing it.
const (
	benchCaseColumns = `id, workflow_id, marketplace, shop_id, review_id, order_id, item_id,
    buyer_id, buyer_name, rating, severity, text, language, issue, stage, status,
    responsibility, remedy, outcome, assignee, courier, breached,
    next_deadline, next_deadline_at, order_amount, shipping_fee, currency, remedy_cost,
    review_created_at, opened_at, first_contact_at, resolved_at, closed_at,
    updated_at, version`
	benchTaskColumns = `id, case_id, workflow_id, kind, status, role, assignee, priority,
    marketplace, shop_id, due_at, input, result,
    created_at, updated_at, completed_at, completed_by, version`
	firstPage = 50 // the API's default page; the store asks for one more row
)

// listQuery is one list endpoint call and the statement the store runs for it.
type listQuery struct {
	Name string
	Path string
	SQL  string
	Args []any
}

var listQueries = []listQuery{
	{
		Name: "open cases of a marketplace, newest first",
		Path: "/v1/cases?status=open&marketplace=ebay",
		SQL:  `SELECT ` + benchCaseColumns + ` FROM cases WHERE status = $1 AND marketplace = $2 ORDER BY opened_at DESC, id DESC LIMIT $3`,
		Args: []any{"open", "ebay", firstPage + 1},
	},
	{
		Name: "open cases, soonest deadline first",
		Path: "/v1/cases?status=open&sort=next_deadline",
		SQL:  `SELECT ` + benchCaseColumns + ` FROM cases WHERE status = $1 ORDER BY next_deadline_at ASC NULLS LAST, id ASC LIMIT $2`,
		Args: []any{"open", firstPage + 1},
	},
	{
		Name: "one shop's cases, newest first",
		Path: "/v1/cases?marketplace=mercadolibre&shop_id=shop-8",
		SQL:  `SELECT ` + benchCaseColumns + ` FROM cases WHERE marketplace = $1 AND shop_id = $2 ORDER BY opened_at DESC, id DESC LIMIT $3`,
		Args: []any{"mercadolibre", "shop-8", firstPage + 1},
	},
	{
		Name: "open breached cases of one issue",
		Path: "/v1/cases?status=open&issue=quality&breached=true",
		SQL:  `SELECT ` + benchCaseColumns + ` FROM cases WHERE status = $1 AND issue = $2 AND breached = $3 ORDER BY opened_at DESC, id DESC LIMIT $4`,
		Args: []any{"open", "quality", true, firstPage + 1},
	},
	{
		Name: "inbox (open and claimed tasks), soonest due first",
		Path: "/v1/tasks",
		SQL:  `SELECT ` + benchTaskColumns + ` FROM tasks WHERE status IN ('open', 'claimed') ORDER BY due_at ASC NULLS LAST, id ASC LIMIT $1`,
		Args: []any{firstPage + 1},
	},
	{
		Name: "open tasks of a marketplace",
		Path: "/v1/tasks?status=open&marketplace=ebay",
		SQL:  `SELECT ` + benchTaskColumns + ` FROM tasks WHERE status = $1 AND marketplace = $2 ORDER BY due_at ASC NULLS LAST, id ASC LIMIT $3`,
		Args: []any{"open", "ebay", firstPage + 1},
	},
	{
		Name: "one agent's inbox",
		Path: "/v1/tasks?assignee=agent-3",
		SQL:  `SELECT ` + benchTaskColumns + ` FROM tasks WHERE status IN ('open', 'claimed') AND assignee = $1 ORDER BY due_at ASC NULLS LAST, id ASC LIMIT $2`,
		Args: []any{"agent-3", firstPage + 1},
	},
}

// kind is "cases" or "tasks": which endpoint the query calls.
func (q listQuery) kind() string {
	if strings.HasPrefix(q.Path, "/v1/tasks") {
		return "tasks"
	}
	return "cases"
}

func queriesOf(kind string) int {
	n := 0
	for _, q := range listQueries {
		if q.kind() == kind {
			n++
		}
	}
	return n
}

// p4Warmup requests per query are run and thrown away first, so caches and
// connection pools are warm for both sides.
const p4Warmup = 20

func runP4(ctx context.Context, cfg config, admin *sqlx.DB, log *slog.Logger) (Phase, error) {
	ph := Phase{ID: "P4", Title: fmt.Sprintf("Inbox and case list over %d cases", cfg.P4Cases)}
	db, dsn, err := openBenchDatabase(ctx, admin, cfg.AdminDSN)
	if err != nil {
		return ph, err
	}
	defer db.Close()
	seed, err := ensureSeeded(ctx, db, cfg.P4Cases, log)
	if err != nil {
		return ph, err
	}
	if seed.Reused {
		ph.Notes = append(ph.Notes, fmt.Sprintf("Reused redress_bench as seeded at %s: %d cases, %d tasks.",
			seed.SeededAt.Format(time.RFC3339), seed.Cases, seed.Tasks))
	} else {
		ph.Notes = append(ph.Notes, fmt.Sprintf("Seeded redress_bench with %d cases and %d tasks in %s (INSERT … SELECT FROM generate_series, in chunks of %d).",
			seed.Cases, seed.Tasks, seed.Took.Round(time.Second), seedChunk))
	}

	st, err := store.Open(ctx, dsn)
	if err != nil {
		return ph, err
	}
	defer st.Close()
	plain, hash, err := api.GenerateToken()
	if err != nil {
		return ph, fmt.Errorf("generate token: %w", err)
	}
	if _, err := st.CreateToken(ctx, fmt.Sprintf("bench-agent-%d", time.Now().UnixNano()), cases.RoleAgent, hash); err != nil {
		return ph, err
	}
	srv := httptest.NewServer(api.New(api.Deps{Store: st, Logger: quietLogger(), Config: api.Config{}}).Handler())
	defer srv.Close()
	client := newAPIClient(srv.URL, plain, 1)

	groups := []procGroup{
		{Name: "bench process (API handler + clients)", PIDs: selfPID},
		{Name: "postgres (all backends, shared cluster)", PIDs: postgresPIDs},
	}
	before := takeCPU(groups)
	var table Table
	table.Title = "Latency per query (sequential requests, first page of 50)"
	table.Header = []string{"query", "API p50 ms", "API p99 ms", "SQL p50 ms", "SQL p99 ms", "p50 ratio", "p99 ratio"}
	apiBy := map[string]*latencies{"cases": {}, "tasks": {}}
	sqlBy := map[string]*latencies{"cases": {}, "tasks": {}}
	plans := map[string]string{}
	for _, q := range listQueries {
		if err := checkSameRows(ctx, db, client, q); err != nil {
			return ph, err
		}
		var apiLat, sqlLat latencies
		for i := range p4Warmup + cfg.P4Samples {
			d, err := timeSQL(ctx, db, q)
			if err != nil {
				return ph, err
			}
			h, err := timeHTTP(ctx, client, q)
			if err != nil {
				return ph, err
			}
			if i >= p4Warmup {
				sqlLat.add(d)
				apiLat.add(h)
				sqlBy[q.kind()].add(d)
				apiBy[q.kind()].add(h)
			}
		}
		a, s := apiLat.summary(), sqlLat.summary()
		log.Info("P4 query", "path", q.Path, "n", a.N, "api_p50_ms", a.P50, "api_p99_ms", a.P99, "sql_p50_ms", s.P50, "sql_p99_ms", s.P99)
		table.Rows = append(table.Rows, []string{"`GET " + q.Path + "` — " + q.Name,
			f3(a.P50), f3(a.P99), f3(s.P50), f3(s.P99), f2(a.P50 / s.P50), f2(a.P99 / s.P99)})
		plan, err := explain(ctx, db, q)
		if err != nil {
			return ph, err
		}
		plans[q.Path] = plan
		ph.Blocks = append(ph.Blocks, Block{Title: "EXPLAIN (ANALYZE, BUFFERS) for `GET " + q.Path + "`", Text: plan})
	}
	ph.CPU = cpuBetween(before, takeCPU(groups), groups, cfg.cores())
	base := "the same SELECT run directly over database/sql"
	for _, kind := range []string{"cases", "tasks"} {
		a, s := apiBy[kind].summary(), sqlBy[kind].summary()
		ph.Figures = append(ph.Figures,
			figure(fmt.Sprintf("GET /v1/%s p50 (%d filters pooled)", kind, queriesOf(kind)), "ms", a.P50, s.P50, base),
			figure(fmt.Sprintf("GET /v1/%s p99 (%d filters pooled)", kind, queriesOf(kind)), "ms", a.P99, s.P99, base))
	}
	ph.Tables = []Table{table}
	ph.Notes = append(ph.Notes,
		fmt.Sprintf("%d timed requests per query after %d warm-up ones; each iteration runs the SQL and then the HTTP request, so both see the same machine load.", cfg.P4Samples, p4Warmup),
		"The API side is the real handler (api.New over a real store) behind a real HTTP server on loopback, with a real agent token: every request also looks the token up in PostgreSQL, parses and validates the filters, scans rows into structs and encodes JSON.",
	)
	ph.LimitedBy = planLimits(plans)
	return ph, nil
}

// timeSQL runs the statement and reads every row, as a client would.
func timeSQL(ctx context.Context, db *sqlx.DB, q listQuery) (time.Duration, error) {
	start := time.Now()
	rows, err := db.QueryContext(ctx, q.SQL, q.Args...)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", q.Name, err)
	}
	cols, _ := rows.Columns()
	dest := make([]any, len(cols))
	for i := range dest {
		dest[i] = new(sql.RawBytes)
	}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			rows.Close()
			return 0, fmt.Errorf("%s: scan: %w", q.Name, err)
		}
	}
	if err := rows.Close(); err != nil {
		return 0, fmt.Errorf("%s: %w", q.Name, err)
	}
	return time.Since(start), rows.Err()
}

func timeHTTP(ctx context.Context, c *apiClient, q listQuery) (time.Duration, error) {
	start := time.Now()
	if _, err := c.do(ctx, http.MethodGet, q.Path, nil, nil); err != nil {
		return 0, err
	}
	return time.Since(start), nil
}

// checkSameRows proves the SQL baseline is the query the API runs: both
// return the same ids in the same order.
func checkSameRows(ctx context.Context, db *sqlx.DB, c *apiClient, q listQuery) error {
	var ids []string
	rows, err := db.QueryxContext(ctx, q.SQL, q.Args...)
	if err != nil {
		return fmt.Errorf("%s: %w", q.Name, err)
	}
	for rows.Next() {
		m := map[string]any{}
		if err := rows.MapScan(m); err != nil {
			rows.Close()
			return fmt.Errorf("%s: %w", q.Name, err)
		}
		ids = append(ids, fmt.Sprint(m["id"]))
	}
	rows.Close()
	if len(ids) > firstPage {
		ids = ids[:firstPage]
	}
	var page struct {
		Items []struct {
			ID string `json:"id"`
		} `json:"items"`
	}
	if _, err := c.do(ctx, http.MethodGet, q.Path, nil, &page); err != nil {
		return fmt.Errorf("%s: %w", q.Name, err)
	}
	got := make([]string, len(page.Items))
	for i, it := range page.Items {
		got[i] = it.ID
	}
	if len(ids) == 0 {
		return fmt.Errorf("%s: matches no seeded row, so it would measure nothing", q.Name)
	}
	if !slices.Equal(ids, got) {
		return fmt.Errorf("%s: SQL baseline and API disagree (%d vs %d rows); the store's query changed, update listQueries", q.Name, len(ids), len(got))
	}
	return nil
}

func explain(ctx context.Context, db *sqlx.DB, q listQuery) (string, error) {
	var lines []string
	if err := db.SelectContext(ctx, &lines, `EXPLAIN (ANALYZE, BUFFERS) `+q.SQL, q.Args...); err != nil {
		return "", fmt.Errorf("explain %s: %w", q.Name, err)
	}
	return strings.Join(lines, "\n"), nil
}

func f2(v float64) string { return fmt.Sprintf("%.2f", v) }
func f3(v float64) string { return fmt.Sprintf("%.3f", v) }
