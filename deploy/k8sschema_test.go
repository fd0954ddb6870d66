package deploy

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Kubernetes JSON schemas for kubeconform, made offline from the OpenAPI
// document Kubernetes ships in its own source module (k8s.io/kubernetes,
// api/openapi-spec/swagger.json, fetched through the Go module proxy): one
// _definitions.json with every type, made strict (no unknown fields) and with
// int-or-string spelled as JSON Schema, and per kind a small file that
// references its type, named as kubeconform looks schemas up
// ({kind}-{group}-{version}.json).

type swaggerDoc struct {
	Definitions map[string]map[string]any `json:"definitions"`
}

type groupVersionKind struct {
	Group, Version, Kind string
}

// writeSchemas converts swagger.json into dir (created).
func writeSchemas(swaggerPath, dir string) (kinds int, err error) {
	raw, err := os.ReadFile(swaggerPath)
	if err != nil {
		return 0, err
	}
	var doc swaggerDoc
	if err := json.Unmarshal(raw, &doc); err != nil {
		return 0, fmt.Errorf("%s: %w", swaggerPath, err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return 0, err
	}
	defs := map[string]any{}
	for name, def := range doc.Definitions {
		defs[name] = strict(def)
	}
	// Ports and percentages may be numbers or strings.
	for name := range defs {
		if strings.HasSuffix(name, ".util.intstr.IntOrString") {
			defs[name] = map[string]any{"oneOf": []any{map[string]any{"type": "string"}, map[string]any{"type": "integer"}}}
		}
	}
	if err := writeJSON(filepath.Join(dir, "_definitions.json"), map[string]any{"definitions": defs}); err != nil {
		return 0, err
	}
	for name, def := range doc.Definitions {
		for _, gvk := range gvks(def) {
			file := strings.ToLower(gvk.Kind) + "-" + kindSuffix(gvk) + ".json"
			ref := map[string]any{"$ref": "_definitions.json#/definitions/" + name}
			if err := writeJSON(filepath.Join(dir, file), ref); err != nil {
				return kinds, err
			}
			kinds++
		}
	}
	return kinds, nil
}

// kindSuffix is kubeconform's: the group's first label (or the version
// alone for the core group) and the version.
func kindSuffix(g groupVersionKind) string {
	if g.Group == "" {
		return strings.ToLower(g.Version)
	}
	return strings.ToLower(strings.Split(g.Group, ".")[0]) + "-" + strings.ToLower(g.Version)
}

func gvks(def map[string]any) []groupVersionKind {
	list, _ := def["x-kubernetes-group-version-kind"].([]any)
	var out []groupVersionKind
	for _, item := range list {
		m, _ := item.(map[string]any)
		g, _ := m["group"].(string)
		v, _ := m["version"].(string)
		k, _ := m["kind"].(string)
		if k != "" && v != "" {
			out = append(out, groupVersionKind{g, v, k})
		}
	}
	return out
}

// strict forbids properties a type does not declare (what the API server's
// strict field validation refuses), and rewrites swagger refs to the file.
func strict(v any) any {
	switch t := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(t)+1)
		for k, val := range t {
			out[k] = strict(val)
		}
		if _, ok := t["properties"]; ok {
			if _, set := t["additionalProperties"]; !set {
				out["additionalProperties"] = false
			}
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, val := range t {
			out[i] = strict(val)
		}
		return out
	}
	return v
}

func writeJSON(path string, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return os.WriteFile(path, data, 0o644)
}
