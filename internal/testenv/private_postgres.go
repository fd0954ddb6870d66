package testenv

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/redress-hq/redress/migrations"
)

// PrivatePostgres is a PostgreSQL server of its own in a temporary
// directory, for drills that stop and restart the database: the shared
// cluster other test packages use must never be restarted under them.
type PrivatePostgres struct {
	bin  string // directory of initdb, pg_ctl
	dir  string // temporary root: data directory and socket
	port int
}

// StartPrivatePostgres runs initdb into a fresh temporary directory and
// starts the server on a free port. PostgreSQL refuses to run as root, so
// when the test runs as root the server runs as the postgres user.
func StartPrivatePostgres(ctx context.Context) (*PrivatePostgres, error) {
	bin, err := postgresBinDir()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "redress-pg-")
	if err != nil {
		return nil, fmt.Errorf("private postgres: %w", err)
	}
	p := &PrivatePostgres{bin: bin, dir: dir}
	if err := p.chownToPostgres(); err != nil {
		p.Stop()
		return nil, err
	}
	if p.port, err = freePort(); err != nil {
		p.Stop()
		return nil, err
	}
	if err := p.run(ctx, "initdb", "-D", p.dataDir(), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"); err != nil {
		p.Stop()
		return nil, err
	}
	if err := p.start(ctx); err != nil {
		p.Stop()
		return nil, err
	}
	return p, nil
}

// DSN is the URL of database name on this server.
func (p *PrivatePostgres) DSN(name string) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", p.port, name)
}

// CreateDatabase creates a migrated database and returns its DSN.
func (p *PrivatePostgres) CreateDatabase(ctx context.Context, name string) (string, error) {
	admin, err := sqlx.ConnectContext(ctx, "postgres", p.DSN("postgres"))
	if err != nil {
		return "", fmt.Errorf("private postgres: %w", err)
	}
	defer admin.Close()
	if _, err := admin.ExecContext(ctx, `CREATE DATABASE `+name); err != nil {
		return "", fmt.Errorf("private postgres: create database %s: %w", name, err)
	}
	db, err := sqlx.ConnectContext(ctx, "postgres", p.DSN(name))
	if err != nil {
		return "", fmt.Errorf("private postgres: %w", err)
	}
	defer db.Close()
	if err := migrations.Up(ctx, db.DB); err != nil {
		return "", fmt.Errorf("private postgres: migrate %s: %w", name, err)
	}
	return p.DSN(name), nil
}

// Restart stops the server the hard way (immediate: no checkpoint, every
// connection cut, as a crash would), stays down for downtime, and starts
// it again; the server recovers from its write-ahead log.
func (p *PrivatePostgres) Restart(ctx context.Context, downtime time.Duration) error {
	if err := p.run(ctx, "pg_ctl", "-D", p.dataDir(), "-m", "immediate", "-w", "stop"); err != nil {
		return err
	}
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(downtime):
	}
	return p.start(ctx)
}

// Stop shuts the server down and removes its directory.
func (p *PrivatePostgres) Stop() {
	if _, err := os.Stat(filepath.Join(p.dataDir(), "postmaster.pid")); err == nil {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		_ = p.run(ctx, "pg_ctl", "-D", p.dataDir(), "-m", "immediate", "-w", "stop")
		cancel()
	}
	_ = os.RemoveAll(p.dir)
}

func (p *PrivatePostgres) dataDir() string { return filepath.Join(p.dir, "data") }

func (p *PrivatePostgres) start(ctx context.Context) error {
	// fsync off: the drill restarts the server, never the machine.
	opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200", p.port, p.dir)
	return p.run(ctx, "pg_ctl", "-D", p.dataDir(), "-o", opts, "-l", filepath.Join(p.dir, "server.log"), "-w", "-t", "60", "start")
}

// run runs a PostgreSQL program, as the postgres user when we are root.
func (p *PrivatePostgres) run(ctx context.Context, program string, args ...string) error {
	name, argv := filepath.Join(p.bin, program), args
	if os.Geteuid() == 0 {
		name, argv = "runuser", append([]string{"-u", "postgres", "--", filepath.Join(p.bin, program)}, args...)
	}
	out, err := exec.CommandContext(ctx, name, argv...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("private postgres: %s: %w: %s", program, err, strings.TrimSpace(string(out)))
	}
	return nil
}

// chownToPostgres hands the directory to the postgres user when we are root.
func (p *PrivatePostgres) chownToPostgres() error {
	if os.Geteuid() != 0 {
		return nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return fmt.Errorf("private postgres: running as root needs a postgres user: %w", err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	if err := os.Chown(p.dir, uid, gid); err != nil {
		return fmt.Errorf("private postgres: %w", err)
	}
	return nil
}

// postgresBinDir finds initdb and pg_ctl: POSTGRES_BIN, pg_config, or
// Debian's versioned directory.
func postgresBinDir() (string, error) {
	if v := os.Getenv("POSTGRES_BIN"); v != "" {
		return v, nil
	}
	if out, err := exec.Command("pg_config", "--bindir").Output(); err == nil {
		dir := strings.TrimSpace(string(out))
		if _, err := os.Stat(filepath.Join(dir, "initdb")); err == nil {
			return dir, nil
		}
	}
	for _, v := range []string{"17", "16", "15"} {
		dir := "/usr/lib/postgresql/" + v + "/bin"
		if _, err := os.Stat(filepath.Join(dir, "initdb")); err == nil {
			return dir, nil
		}
	}
	return "", fmt.Errorf("private postgres: initdb not found (set POSTGRES_BIN)")
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
