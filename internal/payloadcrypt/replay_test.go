package payloadcrypt_test

import (
	"path/filepath"
	"testing"

	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/redress-hq/redress/internal/keyring"
	"github.com/redress-hq/redress/internal/payloadcrypt"
	"github.com/redress-hq/redress/workflows"
)

// Every history recorded before payloads were encrypted or named their
// organisation (plain JSON, no organisation header) replays on a worker
// configured as production's: the encrypting converter and the propagator.
func TestRecordedHistoriesReplayWithTheProductionConverter(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "..", "workflows", "testdata", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no recorded histories: %v", err)
	}
	dc := payloadcrypt.DataConverter(keyring.Generate("k"))
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			r, err := worker.NewWorkflowReplayerWithOptions(worker.WorkflowReplayerOptions{
				DataConverter: dc, FailureConverter: payloadcrypt.FailureConverter(dc),
				ContextPropagators: []workflow.ContextPropagator{payloadcrypt.OrgPropagator{}},
			})
			if err != nil {
				t.Fatal(err)
			}
			r.RegisterWorkflow(workflows.CaseWorkflow)
			if err := r.ReplayWorkflowHistoryFromJSONFile(nil, f); err != nil {
				t.Fatal(err)
			}
		})
	}
}
