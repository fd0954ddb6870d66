package deploy

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v4"
)

// The Kubernetes manifests in deploy/kubernetes are checked two ways:
// kubeconform validates every resource against Kubernetes' own schemas
// (strict: an unknown or misspelt field fails), and the test checks what a
// cluster operator relies on — probes, resource requests, graceful stop, a
// PodDisruptionBudget and Prometheus annotations for each Deployment.

const (
	kubeconformVersion = "v0.8.0"
	kubernetesVersion  = "1.34.4" // the schemas come from k8s.io/kubernetes at this version
)

func cacheDir(t *testing.T) string {
	if d := os.Getenv("REDRESS_CACHE"); d != "" {
		return d
	}
	home, err := os.UserHomeDir()
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Join(home, ".cache", "redress")
}

// kubeconform installs the pinned kubeconform into the cache once.
func kubeconform(t *testing.T) string {
	dir := filepath.Join(cacheDir(t), "kubeconform-"+kubeconformVersion)
	bin := filepath.Join(dir, "kubeconform")
	if _, err := os.Stat(bin); err == nil {
		return bin
	}
	t.Logf("installing kubeconform %s into %s", kubeconformVersion, dir)
	cmd := exec.Command("go", "install", "github.com/yannh/kubeconform/cmd/kubeconform@"+kubeconformVersion)
	cmd.Dir = os.TempDir()
	cmd.Env = append(os.Environ(), "GOBIN="+dir, "GOFLAGS=-mod=mod")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go install kubeconform: %v\n%s", err, out)
	}
	return bin
}

// schemas makes kubeconform's schema directory once from k8s.io/kubernetes.
func schemas(t *testing.T) string {
	root := filepath.Join(cacheDir(t), "k8s-schemas")
	dir := filepath.Join(root, "v"+kubernetesVersion+"-standalone-strict")
	if _, err := os.Stat(filepath.Join(dir, "_definitions.json")); err == nil {
		return root
	}
	cmd := exec.Command("go", "mod", "download", "-json", "k8s.io/kubernetes@v"+kubernetesVersion)
	cmd.Dir = os.TempDir()
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go mod download k8s.io/kubernetes: %v\n%s", err, out)
	}
	var mod struct{ Dir string }
	if err := json.Unmarshal(out, &mod); err != nil || mod.Dir == "" {
		t.Fatalf("go mod download: %v: %s", err, out)
	}
	n, err := writeSchemas(filepath.Join(mod.Dir, "api", "openapi-spec", "swagger.json"), dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %d Kubernetes %s kind schemas into %s", n, kubernetesVersion, dir)
	return root
}

func manifests(t *testing.T) []string {
	files, err := filepath.Glob(filepath.Join("kubernetes", "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no manifests in deploy/kubernetes: %v", err)
	}
	return files
}

func TestKubernetesManifestsValidate(t *testing.T) {
	bin, root := kubeconform(t), schemas(t)
	args := []string{"-strict", "-summary", "-output", "json", "-kubernetes-version", kubernetesVersion,
		"-schema-location", root + "/{{ .NormalizedKubernetesVersion }}-standalone{{ .StrictSuffix }}/{{ .ResourceKind }}{{ .KindSuffix }}.json"}
	out, err := exec.Command(bin, append(args, manifests(t)...)...).CombinedOutput()
	var report struct {
		Resources []struct{ Filename, Kind, Name, Status, Msg string }
		Summary   struct{ Valid, Invalid, Errors, Skipped int }
	}
	if jerr := json.Unmarshal(out, &report); jerr != nil {
		t.Fatalf("kubeconform: %v (%v)\n%s", err, jerr, out)
	}
	for _, r := range report.Resources {
		if r.Status != "statusValid" {
			t.Errorf("%s: %s %s: %s %s", r.Filename, r.Kind, r.Name, r.Status, r.Msg)
		}
	}
	s := report.Summary
	if err != nil || s.Invalid+s.Errors+s.Skipped > 0 || s.Valid == 0 {
		t.Fatalf("kubeconform: %d valid, %d invalid, %d errors, %d skipped (%v)", s.Valid, s.Invalid, s.Errors, s.Skipped, err)
	}
	t.Logf("kubeconform %s: %d resources valid against Kubernetes %s (strict)", kubeconformVersion, s.Valid, kubernetesVersion)
}

// A deliberately broken manifest must fail, or the validation proves nothing.
func TestKubeconformRefusesAMisspeltField(t *testing.T) {
	bin, root := kubeconform(t), schemas(t)
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	src, err := os.ReadFile(filepath.Join("kubernetes", "api.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bad, bytes.Replace(src, []byte("readinessProbe:"), []byte("readinesProbe:"), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-strict", "-kubernetes-version", kubernetesVersion,
		"-schema-location", root+"/{{ .NormalizedKubernetesVersion }}-standalone{{ .StrictSuffix }}/{{ .ResourceKind }}{{ .KindSuffix }}.json", bad).CombinedOutput()
	if err == nil || !strings.Contains(string(out), "readinesProbe") {
		t.Fatalf("a misspelt field passed kubeconform: %v\n%s", err, out)
	}
}

type object = map[string]any

func field(o any, path ...string) any {
	for _, p := range path {
		m, ok := o.(object)
		if !ok {
			return nil
		}
		o = m[p]
	}
	return o
}

// Each Deployment is fit to run in a cluster: probes, requests, a graceful
// stop longer than the process's own, metrics annotations, and a
// PodDisruptionBudget selecting its pods.
func TestKubernetesDeploymentsAreOperable(t *testing.T) {
	var deployments, pdbs []object
	for _, f := range manifests(t) {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		dec := yaml.NewDecoder(bytes.NewReader(data))
		for {
			var o object
			if err := dec.Decode(&o); err != nil {
				break
			}
			switch o["kind"] {
			case "Deployment":
				deployments = append(deployments, o)
			case "PodDisruptionBudget":
				pdbs = append(pdbs, o)
			}
		}
	}
	if len(deployments) < 2 {
		t.Fatalf("want the API and worker Deployments, found %d", len(deployments))
	}
	for _, d := range deployments {
		name := fmt.Sprint(field(d, "metadata", "name"))
		pod := field(d, "spec", "template")
		if g, _ := field(pod, "spec", "terminationGracePeriodSeconds").(int); g < 40 {
			t.Errorf("%s: terminationGracePeriodSeconds %d leaves no room for the 30–35 s graceful stop", name, g)
		}
		if field(pod, "metadata", "annotations", "prometheus.io/scrape") != "true" || field(pod, "metadata", "annotations", "prometheus.io/port") == nil {
			t.Errorf("%s: no Prometheus scrape annotations", name)
		}
		containers, _ := field(pod, "spec", "containers").([]any)
		for _, c := range containers {
			for _, probe := range []string{"readinessProbe", "livenessProbe"} {
				if field(c, probe) == nil {
					t.Errorf("%s: container without %s", name, probe)
				}
			}
			if field(c, "resources", "requests", "cpu") == nil || field(c, "resources", "requests", "memory") == nil {
				t.Errorf("%s: container without cpu and memory requests", name)
			}
		}
		labels := field(d, "spec", "selector", "matchLabels")
		covered := false
		for _, p := range pdbs {
			if fmt.Sprint(field(p, "spec", "selector", "matchLabels")) == fmt.Sprint(labels) {
				covered = true
			}
		}
		if !covered {
			t.Errorf("%s: no PodDisruptionBudget selects its pods", name)
		}
	}
}
