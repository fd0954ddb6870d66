package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/redress-hq/redress/migrations"
)

// benchDatabase holds the seeded cases P4 queries; it is kept between runs
// because seeding a million cases takes minutes.
const benchDatabase = "redress_bench"

// seedChunk is how many cases one INSERT writes, so progress shows.
const seedChunk = 100_000

// openBenchDatabase creates (if needed) and migrates redress_bench.
func openBenchDatabase(ctx context.Context, admin *sqlx.DB, adminDSN string) (*sqlx.DB, string, error) {
	var exists bool
	if err := admin.GetContext(ctx, &exists, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, benchDatabase); err != nil {
		return nil, "", fmt.Errorf("look for %s: %w", benchDatabase, err)
	}
	if !exists {
		if _, err := admin.ExecContext(ctx, `CREATE DATABASE `+benchDatabase); err != nil {
			return nil, "", fmt.Errorf("create %s: %w", benchDatabase, err)
		}
	}
	dsn, err := databaseDSN(adminDSN, benchDatabase)
	if err != nil {
		return nil, "", err
	}
	db, err := sqlx.ConnectContext(ctx, "postgres", dsn)
	if err != nil {
		return nil, "", fmt.Errorf("connect %s: %w", benchDatabase, err)
	}
	if err := migrations.Up(ctx, db.DB); err != nil {
		db.Close()
		return nil, "", err
	}
	return db, dsn, nil
}

// databaseDSN points the admin DSN at another database on the same server.
func databaseDSN(adminDSN, name string) (string, error) {
	u, err := url.Parse(adminDSN)
	if err != nil {
		return "", fmt.Errorf("parse postgres DSN: %w", err)
	}
	u.Path = "/" + name
	return u.String(), nil
}

// seedInfo is what a finished seeding left behind.
type seedInfo struct {
	Cases    int64         `db:"cases"`
	Tasks    int64         `db:"tasks"`
	SeededAt time.Time     `db:"seeded_at"`
	Took     time.Duration `db:"-"`
	Reused   bool          `db:"-"`
}

// ensureSeeded fills cases and tasks with n synthetic cases unless a
// finished seeding of exactly n is already there.
func ensureSeeded(ctx context.Context, db *sqlx.DB, n int, log *slog.Logger) (seedInfo, error) {
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS bench_seed (
    cases     bigint      NOT NULL,
    tasks     bigint      NOT NULL,
    seeded_at timestamptz NOT NULL)`); err != nil {
		return seedInfo{}, fmt.Errorf("create bench_seed: %w", err)
	}
	var prev []seedInfo
	if err := db.SelectContext(ctx, &prev, `SELECT cases, tasks, seeded_at FROM bench_seed`); err != nil {
		return seedInfo{}, fmt.Errorf("read bench_seed: %w", err)
	}
	if len(prev) == 1 && prev[0].Cases == int64(n) {
		prev[0].Reused = true
		log.Info("P4 seed: reusing redress_bench", "cases", prev[0].Cases, "tasks", prev[0].Tasks, "seeded_at", prev[0].SeededAt.Format(time.RFC3339))
		return prev[0], nil
	}

	start := time.Now()
	log.Info("P4 seed: emptying redress_bench", "want_cases", n)
	if _, err := db.ExecContext(ctx, `TRUNCATE bench_seed, cases, tasks, case_events, case_deadlines, incidents`); err != nil {
		return seedInfo{}, fmt.Errorf("empty redress_bench: %w", err)
	}
	now := time.Now().UTC().Truncate(time.Second)
	for lo := 1; lo <= n; lo += seedChunk {
		hi := min(lo+seedChunk-1, n)
		t := time.Now()
		if _, err := db.ExecContext(ctx, seedCasesSQL, lo, hi, now, n); err != nil {
			return seedInfo{}, fmt.Errorf("seed cases %d..%d: %w", lo, hi, err)
		}
		if _, err := db.ExecContext(ctx, seedTasksSQL, lo, hi, now, n); err != nil {
			return seedInfo{}, fmt.Errorf("seed tasks %d..%d: %w", lo, hi, err)
		}
		log.Info("P4 seed", "cases", hi, "of", n, "rows_per_s", int(rate(int64(hi-lo+1), time.Since(t))))
	}
	log.Info("P4 seed: analyzing")
	if _, err := db.ExecContext(ctx, `ANALYZE cases; ANALYZE tasks`); err != nil {
		return seedInfo{}, fmt.Errorf("analyze: %w", err)
	}
	info := seedInfo{Cases: int64(n), SeededAt: time.Now().UTC()}
	if err := db.GetContext(ctx, &info.Tasks, `SELECT count(*) FROM tasks`); err != nil {
		return seedInfo{}, fmt.Errorf("count tasks: %w", err)
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO bench_seed (cases, tasks, seeded_at) VALUES ($1, $2, $3)`,
		info.Cases, info.Tasks, info.SeededAt); err != nil {
		return seedInfo{}, fmt.Errorf("record seeding: %w", err)
	}
	info.Took = time.Since(start)
	log.Info("P4 seed: done", "cases", info.Cases, "tasks", info.Tasks, "took", info.Took.Round(time.Second))
	return info, nil
}

// The synthetic history: one case a minute up to now (a million cases span
// about two years), four marketplaces, 50 shops, every issue. One case in
// five is still open, spread over the open stages and assigned to one of 20
// agents, its next deadline a day after it opened. Every case has one task:
// open cases a live one (half of them claimed), closed cases a completed one.
// $1..$2 is the chunk, $3 now, $4 the total.
const seedCasesSQL = `
INSERT INTO cases (id, workflow_id, marketplace, shop_id, review_id, order_id, item_id,
    buyer_id, buyer_name, rating, severity, text, language, issue, stage, status,
    responsibility, remedy, outcome, assignee, courier, breached,
    next_deadline, next_deadline_at, order_amount, shipping_fee, currency, remedy_cost,
    review_created_at, opened_at, first_contact_at, resolved_at, closed_at,
    updated_at, version)
SELECT c.id, 'case-' || c.id,
    (ARRAY['mercadolibre','ebay','amazon','taobao'])[1 + g % 4],
    'shop-' || (g % 50), 'rv-' || g, 'ord-' || g, 'item-' || (g % 1000),
    'buyer-' || g, 'Buyer ' || g,
    1 + g % 3, CASE WHEN g % 3 = 0 THEN 'bad' ELSE 'mid' END,
    'The package arrived late and the box was damaged.', 'en',
    (ARRAY['logistics_delay','damaged_or_lost','quality','not_as_described',
           'service_attitude','buyer_misunderstanding','suspected_malicious'])[1 + g % 7],
    CASE WHEN c.open THEN (ARRAY['contact','awaiting_reply','verification','remedy','approval','follow_up'])[1 + (g / 5) % 6]
         ELSE 'closed' END,
    CASE WHEN c.open THEN 'open' ELSE 'closed' END,
    CASE WHEN c.open THEN '' ELSE 'merchant' END,
    CASE WHEN c.open THEN '' ELSE 'coupon' END,
    CASE WHEN c.open THEN '' WHEN g % 3 = 0 THEN 'revised' ELSE 'unchanged' END,
    CASE WHEN c.open THEN 'agent-' || ((g / 5) % 20) ELSE '' END,
    (ARRAY['correios','dhl','ups','sf-express'])[1 + g % 4],
    g % 17 = 0,
    CASE WHEN c.open THEN 'first_contact' ELSE '' END,
    CASE WHEN c.open THEN c.at + interval '24 hours' END,
    2000 + g % 50000, 500, 'USD', CASE WHEN c.open THEN 0 ELSE 300 END,
    c.at - interval '1 hour', c.at,
    c.at + interval '2 hours',
    CASE WHEN c.open THEN NULL ELSE c.at + interval '2 days' END,
    CASE WHEN c.open THEN NULL ELSE c.at + interval '9 days' END,
    c.at + interval '2 hours', 10
FROM generate_series($1::bigint, $2::bigint) AS g
CROSS JOIN LATERAL (SELECT 'cs_' || substr(md5(g::text), 1, 20) AS id,
    g % 5 = 0 AS open,
    $3::timestamptz - ($4::bigint - g) * interval '1 minute' AS at) AS c`

const seedTasksSQL = `
INSERT INTO tasks (id, case_id, workflow_id, kind, status, role, assignee, priority,
    marketplace, shop_id, due_at, input, result, created_at, updated_at,
    completed_at, completed_by, version)
SELECT c.id || '-' || t.kind || '-1', c.id, 'case-' || c.id, t.kind,
    CASE WHEN NOT c.open THEN 'completed' WHEN g % 2 = 0 THEN 'claimed' ELSE 'open' END,
    'agent',
    CASE WHEN c.open AND g % 2 = 0 THEN 'agent-' || ((g / 10) % 20) WHEN c.open THEN '' ELSE 'agent-' || (g % 20) END,
    g % 3,
    (ARRAY['mercadolibre','ebay','amazon','taobao'])[1 + g % 4],
    'shop-' || (g % 50),
    c.at + interval '24 hours',
    '{"issue":"logistics_delay"}',
    CASE WHEN c.open THEN 'null'::jsonb ELSE '{"responsibility":"merchant"}'::jsonb END,
    c.at, c.at + interval '1 hour',
    CASE WHEN c.open THEN NULL ELSE c.at + interval '1 hour' END,
    CASE WHEN c.open THEN '' ELSE 'agent-' || (g % 20) END,
    2
FROM generate_series($1::bigint, $2::bigint) AS g
CROSS JOIN LATERAL (SELECT 'cs_' || substr(md5(g::text), 1, 20) AS id,
    g % 5 = 0 AS open,
    $3::timestamptz - ($4::bigint - g) * interval '1 minute' AS at) AS c
CROSS JOIN LATERAL (SELECT CASE WHEN c.open THEN (ARRAY['verify','choose_remedy'])[1 + g % 2] ELSE 'verify' END AS kind) AS t`
