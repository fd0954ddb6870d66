// Package deploy checks the Docker deployment files. There is no Docker
// engine on the build machines, so the compose file is loaded and validated
// against the Compose specification by compose-go, the library Docker uses.
package deploy

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/cli"
	"github.com/compose-spec/compose-go/v2/types"
)

func TestComposeFileIsValid(t *testing.T) {
	ctx := context.Background()
	opts, err := cli.NewProjectOptions([]string{filepath.Join("..", "docker-compose.yml")},
		cli.WithWorkingDirectory(".."), cli.WithResolvedPaths(true))
	if err != nil {
		t.Fatal(err)
	}
	project, err := opts.LoadProject(ctx)
	if err != nil {
		t.Fatalf("docker-compose.yml does not load: %v", err)
	}

	want := []string{"postgres", "temporal", "temporal-ui", "migrate", "worker", "api"}
	for _, name := range want {
		if _, ok := project.Services[name]; !ok {
			t.Errorf("service %q missing", name)
		}
	}
	// The app must wait for a migrated database and a healthy Temporal.
	assertDependsOn(t, project, "worker", "migrate", types.ServiceConditionCompletedSuccessfully)
	assertDependsOn(t, project, "api", "migrate", types.ServiceConditionCompletedSuccessfully)
	assertDependsOn(t, project, "temporal", "postgres", types.ServiceConditionHealthy)
	if project.Services["postgres"].HealthCheck == nil {
		t.Error("postgres needs a healthcheck")
	}
	for name, s := range project.Services {
		if s.Image != "" && !pinned(s.Image) {
			t.Errorf("service %s: image %q is not pinned to a version", name, s.Image)
		}
	}
}

func assertDependsOn(t *testing.T, p *types.Project, service, dep, condition string) {
	t.Helper()
	d, ok := p.Services[service].DependsOn[dep]
	if !ok {
		t.Errorf("%s must depend on %s", service, dep)
		return
	}
	if d.Condition != condition {
		t.Errorf("%s depends on %s with condition %q, want %q", service, dep, d.Condition, condition)
	}
}

func pinned(image string) bool {
	i := strings.LastIndex(image, ":")
	return i > 0 && !strings.Contains(image[i:], "/") && image[i+1:] != "latest"
}
