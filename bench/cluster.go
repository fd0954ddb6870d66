package main

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/redress-hq/redress/internal/testenv"
)

// temporalCluster is scripts/temporal-cluster.sh's PostgreSQL-backed
// Temporal server, four service processes (frontend, history, matching,
// worker), on a port block, state directory and pair of databases of its
// own: a run never touches a cluster the drills or a developer run, and
// everything it leaves (databases, timers) goes when it closes. The drills
// start it the same way (drills/cluster_test.go, a test package).
type temporalCluster struct {
	address string
	port    int
	db      string // Temporal's database; visibility is db_visibility
	state   string
	env     []string
	script  string
	admin   *sqlx.DB
	version string
}

// clusterMaxConns is each service's PostgreSQL pool (plus 5 for
// visibility): four services stay well inside a shared server's
// max_connections of 100, next to the stack and other users.
const clusterMaxConns = 8

func startCluster(ctx context.Context, admin *sqlx.DB, adminDSN, workDir string) (_ *temporalCluster, err error) {
	script, err := findScript("scripts/temporal-cluster.sh")
	if err != nil {
		return nil, err
	}
	port, err := testenv.FreeClusterPort()
	if err != nil {
		return nil, err
	}
	state, err := os.MkdirTemp(workDir, "redress-bench-cluster-")
	if err != nil {
		return nil, fmt.Errorf("cluster state dir: %w", err)
	}
	host, pgPort, user, err := pgParts(adminDSN)
	if err != nil {
		return nil, err
	}
	c := &temporalCluster{
		address: fmt.Sprintf("127.0.0.1:%d", port), port: port, db: fmt.Sprintf("redress_bench_temporal_%d", port),
		state: state, script: script, admin: admin, version: clusterVersion(),
	}
	c.env = append(os.Environ(),
		fmt.Sprintf("TEMPORAL_CLUSTER_PORT=%d", port), "TEMPORAL_CLUSTER_DB="+c.db, "TEMPORAL_CLUSTER_STATE="+state,
		fmt.Sprintf("TEMPORAL_CLUSTER_MAX_CONNS=%d", clusterMaxConns),
		"PGHOST="+host, "PGPORT="+pgPort, "PGUSER="+user)
	defer func() {
		if err != nil {
			c.Close()
		}
	}()
	if out, err := c.run(ctx, "start"); err != nil {
		return nil, fmt.Errorf("temporal-cluster.sh start: %w\n%s", err, out)
	}
	if len(c.PIDs()) != len(clusterServices) {
		return nil, fmt.Errorf("temporal cluster started but %d of its %d processes run", len(c.PIDs()), len(clusterServices))
	}
	return c, nil
}

var clusterServices = []string{"frontend", "history", "matching", "worker"}

func (c *temporalCluster) run(ctx context.Context, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, c.script, args...)
	cmd.Env = c.env
	return cmd.CombinedOutput()
}

func (c *temporalCluster) Address() string { return c.address }

func (c *temporalCluster) Label() string {
	return "temporal cluster (4 processes, PostgreSQL)"
}

func (c *temporalCluster) Name() string { return "cluster (its four processes summed)" }

func (c *temporalCluster) Describe() string {
	return fmt.Sprintf("Temporal server %s as four processes (frontend, history, matching, worker) from scripts/temporal-cluster.sh, persisting to PostgreSQL databases %s and %s_visibility on the shared server (each service's pool %d connections + 5 for visibility)",
		c.version, c.db, c.db, clusterMaxConns)
}

// PIDs are the four service processes, from the script's pid files.
func (c *temporalCluster) PIDs() []int {
	var pids []int
	for _, svc := range clusterServices {
		b, err := os.ReadFile(filepath.Join(c.state, svc+".pid"))
		if err != nil {
			continue
		}
		if pid, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil && processAlive(pid) {
			pids = append(pids, pid)
		}
	}
	return pids
}

// Storage is the size of Temporal's two databases.
func (c *temporalCluster) Storage(ctx context.Context) (storage, error) {
	var s storage
	err := c.admin.QueryRowxContext(ctx, `SELECT pg_database_size($1), pg_database_size($2)`, c.db, c.db+"_visibility").
		Scan(&s.Temporal, &s.Visibility)
	return s, err
}

// StorageName says what Storage measures.
func (c *temporalCluster) StorageName() string { return "Temporal's PostgreSQL databases" }

// Writes is what Temporal's databases grew by, the cluster's counterpart
// of the dev server's SQLite writes (PostgreSQL writes for every user of
// the shared server).
func (c *temporalCluster) Writes(ctx context.Context) int64 {
	s, err := c.Storage(ctx)
	if err != nil {
		return 0
	}
	return s.total()
}

func (c *temporalCluster) WritesName() string { return "Temporal PostgreSQL databases growth" }

// StoreErrors counts persistence errors in the services' logs.
func (c *temporalCluster) StoreErrors() int64 {
	var n int64
	for _, svc := range clusterServices {
		if b, err := os.ReadFile(filepath.Join(c.state, svc+".log")); err == nil {
			n += int64(bytes.Count(b, []byte("store-operation")))
		}
	}
	return n
}

// Close stops the services and drops their databases, so no workflow the
// run opened is left with a timer to fire in anyone's cluster.
func (c *temporalCluster) Close() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	_, _ = c.run(ctx, "stop")
	for _, db := range []string{c.db, c.db + "_visibility"} {
		_, _ = c.admin.ExecContext(ctx, `DROP DATABASE IF EXISTS `+db+` WITH (FORCE)`)
	}
	_ = os.RemoveAll(c.state)
}

// findScript finds a repository file from the working directory up.
func findScript(rel string) (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		p := filepath.Join(dir, rel)
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("%s not found from the working directory up (run the bench from the repository)", rel)
		}
		dir = parent
	}
}

// pgParts splits a PostgreSQL URL into what the script's PG* variables take.
func pgParts(dsn string) (host, port, user string, err error) {
	u, err := url.Parse(dsn)
	if err != nil {
		return "", "", "", fmt.Errorf("postgres URL: %w", err)
	}
	port = u.Port()
	if port == "" {
		port = "5432"
	}
	return u.Hostname(), port, u.User.Username(), nil
}

// clusterVersion is the pinned server version (scripts/lib.sh), from the
// name of the directory the server is built into.
func clusterVersion() string {
	if v := os.Getenv("TEMPORAL_SERVER_VERSION"); v != "" {
		return v
	}
	home, _ := os.UserHomeDir()
	cache := os.Getenv("REDRESS_CACHE")
	if cache == "" {
		cache = filepath.Join(home, ".cache", "redress")
	}
	matches, _ := filepath.Glob(filepath.Join(cache, "temporal-server-v*"))
	if len(matches) == 0 {
		return "(unknown version)"
	}
	return strings.TrimPrefix(filepath.Base(matches[len(matches)-1]), "temporal-server-")
}

func processAlive(pid int) bool {
	_, err := os.Stat(fmt.Sprintf("/proc/%d", pid))
	return err == nil
}
