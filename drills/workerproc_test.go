package drills

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/redress-hq/redress/simulator"
)

// workerProcess is `redress worker` as a child process that a drill kills
// with SIGKILL — no graceful stop, in-flight activities simply vanish.
type workerProcess struct {
	t      *testing.T
	args   []string // the redress subcommand; empty: worker
	env    []string
	cmd    *exec.Cmd
	exited chan struct{}
	logf   *os.File
	starts int
}

func newWorkerProcess(t *testing.T, d *drill) *workerProcess {
	dir := t.TempDir()
	logf, err := os.Create(filepath.Join(dir, "worker.log"))
	if err != nil {
		t.Fatal(err)
	}
	env := append(os.Environ(),
		"DATABASE_URL="+d.dsn,
		"TEMPORAL_ADDRESS="+d.temporalAddr,
		"TEMPORAL_NAMESPACE=default",
		// Mercado Libre rotates refresh tokens: a restarted worker must
		// start from the last one, as in production.
		"MARKETPLACE_TOKEN_FILE="+filepath.Join(dir, "tokens.json"),
		"LOG_LEVEL=warn", "LOG_FORMAT=text",
		"POLL_SHOPS=",
		"REDRESS_PAYLOAD_KEYS="+d.payloadKeys, "REDRESS_DATA_KEYS="+d.dataKeys,
	)
	env = append(env, simulator.ConnectorEnv(d.simURL, nil, d.shops...)...)
	p := &workerProcess{t: t, env: env, logf: logf}
	t.Cleanup(func() {
		p.kill()
		logf.Close()
		if t.Failed() {
			if b, err := os.ReadFile(logf.Name()); err == nil && len(b) > 0 {
				t.Logf("worker log (last 4 KB):\n%s", tail(string(b), 4096))
			}
		}
	})
	return p
}

// start launches a new worker process.
func (p *workerProcess) start() error {
	args := p.args
	if len(args) == 0 {
		args = []string{"worker"}
	}
	cmd := exec.Command(redressBinary, args...)
	cmd.Env = p.env
	cmd.Stdout, cmd.Stderr = p.logf, p.logf
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start worker: %w", err)
	}
	p.cmd, p.exited, p.starts = cmd, make(chan struct{}), p.starts+1
	go func(done chan struct{}) {
		_ = cmd.Wait()
		close(done)
	}(p.exited)
	return nil
}

// kill sends SIGKILL and waits until the process is gone.
func (p *workerProcess) kill() {
	if p.cmd == nil {
		return
	}
	_ = p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.exited
	p.cmd = nil
}

// alive reports whether the process is still running (it exits on its own
// only when it fails to start, e.g. a bad configuration).
func (p *workerProcess) alive() bool {
	if p.cmd == nil {
		return false
	}
	select {
	case <-p.exited:
		return false
	default:
		return true
	}
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	s = s[len(s)-n:]
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[i+1:]
	}
	return s
}

// uncommittedBatches counts, in the worker's log over all its starts, the
// index batches the store's fence dropped or replaced (events-not-rows v7):
// each is a workflow task that wrote to the index and never completed.
func (p *workerProcess) uncommittedBatches() (replaced, dropped int) {
	b, err := os.ReadFile(p.logf.Name())
	if err != nil {
		p.t.Logf("read worker log: %v", err)
		return 0, 0
	}
	log := string(b)
	return strings.Count(log, "index events of a workflow task that never completed replaced"),
		strings.Count(log, "index batch from a retried workflow task dropped")
}
