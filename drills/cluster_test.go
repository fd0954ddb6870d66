package drills

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.temporal.io/sdk/client"
	tlog "go.temporal.io/sdk/log"

	"github.com/redress-hq/redress/internal/keyring"
	"github.com/redress-hq/redress/internal/payloadcrypt"
	"github.com/redress-hq/redress/internal/testenv"
	"github.com/redress-hq/redress/simulator"
	"github.com/redress-hq/redress/store"
)

// temporalCluster is scripts/temporal-cluster.sh's PostgreSQL-backed
// Temporal, four service processes, on its own port, state directory and
// databases, so a drill neither sees nor disturbs a developer's cluster.
type temporalCluster struct {
	t       *testing.T
	env     []string
	port    int
	address string
	db      string // Temporal's database; its visibility database is db_visibility
}

// startTemporalCluster runs the cluster on the PostgreSQL server at
// pgAdminURL (its databases go when the server does).
func startTemporalCluster(t *testing.T, pgAdminURL string) *temporalCluster {
	t.Helper()
	port, err := testenv.FreeClusterPort()
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(pgAdminURL)
	if err != nil {
		t.Fatal(err)
	}
	db := fmt.Sprintf("redress_drill_temporal_%d", port)
	c := &temporalCluster{t: t, port: port, db: db, address: fmt.Sprintf("127.0.0.1:%d", port), env: append(os.Environ(),
		fmt.Sprintf("TEMPORAL_CLUSTER_PORT=%d", port), "TEMPORAL_CLUSTER_DB="+db,
		"TEMPORAL_CLUSTER_STATE="+t.TempDir(), "TEMPORAL_CLUSTER_SHARDS=4",
		"PGHOST="+u.Hostname(), "PGPORT="+u.Port(), "PGUSER="+u.User.Username(),
		// Four services share the drill's server with five Redress processes.
		"TEMPORAL_CLUSTER_MAX_CONNS=8")}
	t.Cleanup(func() { _ = c.script("stop") })
	if err := c.script("start"); err != nil {
		t.Fatalf("temporal cluster: %v", err)
	}
	return c
}

// script runs scripts/temporal-cluster.sh with args for this cluster.
func (c *temporalCluster) script(args ...string) error {
	cmd := exec.Command(filepath.Join("..", "scripts", "temporal-cluster.sh"), args...)
	cmd.Env = c.env
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("temporal-cluster.sh %s: %w\n%s", strings.Join(args, " "), err, out)
	}
	return nil
}

// restart kills one Temporal service with SIGKILL and starts it again.
func (c *temporalCluster) restart(service string) error { return c.script("restart", service) }

// clusterDrill is Redress as a seller running replicas would: a Temporal
// cluster, two API processes behind a reverse proxy and three worker
// processes, all on one database, with the simulator as the marketplaces.
type clusterDrill struct {
	*drill
	pg      *testenv.PrivatePostgres // the drill restarts it
	cluster *temporalCluster
	apis    []*workerProcess // `redress serve`
	workers []*workerProcess
	proxy   *failoverProxy
}

func startClusterDrill(t *testing.T, apis, workers int) *clusterDrill {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	// A PostgreSQL server of the drill's own, for Temporal and Redress
	// alike: the drill restarts it, which the shared server must never be.
	pg, err := testenv.StartPrivatePostgres(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pg.Stop)
	cd := &clusterDrill{pg: pg, cluster: startTemporalCluster(t, pg.DSN("postgres"))}
	d := &drill{t: t, ctx: ctx, Stack: &testenv.Stack{
		Logger: slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError})),
	}}
	cd.drill = d
	d.temporalAddr = cd.cluster.address
	payloadKeys, dataKeys := keyring.Spec("drill", keyring.NewKey()), keyring.Spec("drill-data", keyring.NewKey())
	ring, err := keyring.Parse(payloadKeys)
	if err != nil {
		t.Fatal(err)
	}
	topts := payloadcrypt.ClientOptions(client.Options{HostPort: d.temporalAddr, Namespace: "default",
		Logger: tlog.NewStructuredLogger(d.Logger)}, ring)
	d.payloads = topts.DataConverter
	if d.Temporal, err = client.DialContext(ctx, topts); err != nil {
		t.Fatalf("temporal client: %v", err)
	}
	t.Cleanup(d.Temporal.Close)
	if d.dsn, err = pg.CreateDatabase(ctx, "redress"); err != nil {
		t.Fatal(err)
	}
	if d.Store, err = store.Open(ctx, d.dsn); err != nil {
		t.Fatalf("store: %v", err)
	}
	dataRing, err := keyring.Parse(dataKeys)
	if err != nil {
		t.Fatal(err)
	}
	d.Store.UseDataKeys(dataRing)
	t.Cleanup(func() { _ = d.Store.Close() })

	d.Simulator = simulator.New(simulator.Options{Logger: d.Logger})
	d.shops = drillShops(drillScale.shops)
	d.Simulator.Seed(d.shops...)
	sim := httptest.NewServer(d.Simulator.Handler())
	t.Cleanup(sim.Close)
	d.simURL = sim.URL

	env := append(os.Environ(),
		"DATABASE_URL="+d.dsn, "TEMPORAL_ADDRESS="+d.temporalAddr, "TEMPORAL_NAMESPACE=default",
		"REDRESS_PAYLOAD_KEYS="+payloadKeys, "REDRESS_DATA_KEYS="+dataKeys,
		"REDRESS_BOOTSTRAP_TOKEN="+testenv.AdminToken,
		// No token file: every replica shares the shops' tokens in
		// PostgreSQL and refreshes one shop under its advisory lock.
		"MARKETPLACE_TOKEN_FILE=",
		"LOG_LEVEL=warn", "LOG_FORMAT=text", "POLL_SHOPS=",
		// The case settings the in-process drills use (testenv.DefaultSettings).
		"AUTO_CONTACT=true", "APPROVAL_LIMIT=50.00", "FOLLOW_UP_DELAY=2s", "REVIEW_CHECK_DELAY=2s", "SHOP_TIME_ZONE=UTC",
	)
	env = append(env, simulator.ConnectorEnv(d.simURL, nil, d.shops...)...)
	var backends []string
	for i := range apis {
		// Next to the cluster's ports, below the ephemeral range, so no
		// outgoing connection takes a killed API's port before it restarts.
		port, err := freePortNear(cd.cluster.port + 20 + i)
		if err != nil {
			t.Fatal(err)
		}
		addr := fmt.Sprintf("127.0.0.1:%d", port)
		p := newProcess(t, fmt.Sprintf("api%d", i), []string{"serve"}, append(env, "HTTP_ADDR="+addr))
		if err := p.start(); err != nil {
			t.Fatal(err)
		}
		cd.apis = append(cd.apis, p)
		backends = append(backends, "http://"+addr)
	}
	for i := range workers {
		p := newProcess(t, fmt.Sprintf("worker%d", i), []string{"worker"}, env)
		if err := p.start(); err != nil {
			t.Fatal(err)
		}
		cd.workers = append(cd.workers, p)
	}
	cd.proxy = newFailoverProxy(backends)
	front := httptest.NewServer(cd.proxy)
	t.Cleanup(front.Close)
	d.URL = front.URL
	for _, b := range backends {
		if err := waitHealthy(ctx, b); err != nil {
			t.Fatal(err)
		}
	}
	for _, tok := range []struct {
		dst  *string
		role string
	}{{&d.agentToken, "agent"}, {&d.managerToken, "manager"}, {&d.robotToken, "automation"}} {
		if *tok.dst, err = d.Token(ctx, "drill-"+tok.role, tok.role); err != nil {
			t.Fatalf("token: %v", err)
		}
	}
	return cd
}

// newProcess is a redress subcommand run as a child process of the drill,
// with its log shown when the drill fails.
func newProcess(t *testing.T, name string, args, env []string) *workerProcess {
	logf, err := os.Create(filepath.Join(t.TempDir(), name+".log"))
	if err != nil {
		t.Fatal(err)
	}
	p := &workerProcess{t: t, args: args, env: env, logf: logf}
	t.Cleanup(func() {
		p.kill()
		logf.Close()
		if t.Failed() {
			if b, err := os.ReadFile(logf.Name()); err == nil && len(b) > 0 {
				t.Logf("%s log (last 2 KB):\n%s", name, tail(string(b), 2048))
			}
		}
	})
	return p
}

// freePortNear returns the first free port from p on.
func freePortNear(p int) (int, error) {
	for ; p < 32768; p++ {
		if l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", p)); err == nil {
			l.Close()
			return p, nil
		}
	}
	return 0, fmt.Errorf("no free port")
}

func waitHealthy(ctx context.Context, base string) error {
	return testenv.Eventually(ctx, time.Minute, func() (bool, error) {
		resp, err := http.Get(base + "/readyz")
		if err != nil {
			return false, nil
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK, nil
	})
}

// databaseSizes is what the run left in PostgreSQL: Temporal's two
// databases and Redress's, in bytes.
func (cd *clusterDrill) databaseSizes() (temporal, visibility, redress int64, err error) {
	err = cd.Store.DB().QueryRowxContext(cd.ctx, `
SELECT pg_database_size($1), pg_database_size($2), pg_database_size(current_database())`,
		cd.cluster.db, cd.cluster.db+"_visibility").Scan(&temporal, &visibility, &redress)
	return temporal, visibility, redress, err
}
