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

	want := []string{"postgres", "temporal-schema", "temporal", "temporal-namespace", "temporal-ui", "migrate", "worker", "api", "proxy"}
	for _, name := range want {
		if _, ok := project.Services[name]; !ok {
			t.Errorf("service %q missing", name)
		}
	}
	// The app must wait for a migrated database and a healthy Temporal.
	assertDependsOn(t, project, "worker", "migrate", types.ServiceConditionCompletedSuccessfully)
	assertDependsOn(t, project, "api", "migrate", types.ServiceConditionCompletedSuccessfully)
	assertDependsOn(t, project, "worker", "temporal-namespace", types.ServiceConditionCompletedSuccessfully)
	assertDependsOn(t, project, "api", "temporal-namespace", types.ServiceConditionCompletedSuccessfully)
	// The production server image on schemas the official tool created.
	assertDependsOn(t, project, "temporal", "temporal-schema", types.ServiceConditionCompletedSuccessfully)
	assertDependsOn(t, project, "temporal-schema", "postgres", types.ServiceConditionHealthy)
	if img := project.Services["temporal"].Image; !strings.HasPrefix(img, "temporalio/server:") {
		t.Errorf("temporal runs %q, want the production image temporalio/server", img)
	}
	// APIs scale: none publishes a host port; the proxy does.
	if ports := project.Services["api"].Ports; len(ports) > 0 {
		t.Errorf("api publishes host ports %v: a second replica could not start", ports)
	}
	if len(project.Services["proxy"].Ports) == 0 {
		t.Error("the proxy must publish the API's port")
	}
	for _, name := range []string{"api", "worker"} {
		if d := project.Services[name].Deploy; d == nil || d.Replicas == nil || *d.Replicas < 2 {
			t.Errorf("%s should run as replicas (deploy.replicas >= 2)", name)
		}
	}
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
