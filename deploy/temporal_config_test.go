package deploy

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/compose-spec/compose-go/v2/cli"
	"go.yaml.in/yaml/v4"
)

// The Temporal server's dynamic config that compose mounts and
// scripts/temporal-cluster.sh copies: production settings only.
func TestTemporalDynamicConfig(t *testing.T) {
	path := filepath.Join("temporal", "dynamicconfig.yaml")
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var cfg map[string][]struct {
		Value any `yaml:"value"`
	}
	if err := yaml.Unmarshal(raw, &cfg); err != nil {
		t.Fatalf("%s does not parse: %v", path, err)
	}
	for _, key := range []string{"system.enableActivityEagerExecution", "frontend.enableUpdateWorkflowExecution"} {
		if v := cfg[key]; len(v) != 1 || v[0].Value != true {
			t.Errorf("%s: %s = %v, want true", path, key, v)
		}
	}
	// The dev server's test setting: a namespace read per search-attribute lookup.
	if _, ok := cfg["system.forceSearchAttributesCacheRefreshOnRead"]; ok {
		t.Errorf("%s sets system.forceSearchAttributesCacheRefreshOnRead, which is for tests", path)
	}

	opts, err := cli.NewProjectOptions([]string{filepath.Join("..", "docker-compose.yml")},
		cli.WithWorkingDirectory(".."), cli.WithResolvedPaths(true))
	if err != nil {
		t.Fatal(err)
	}
	project, err := opts.LoadProject(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want, err := filepath.Abs(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range project.Services["temporal"].Volumes {
		if v.Source == want && v.Target == "/etc/temporal/config/dynamicconfig/docker.yaml" {
			return
		}
	}
	t.Errorf("the temporal service does not mount %s at the image's dynamic config path", want)
}
