package e2e

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/api/temporalproto"
)

// recordOrderCareHistory writes a finished order-care workflow's history to
// ordercare/testdata (REDRESS_RECORD_HISTORIES=1), which the ordercare
// package replays on every test run: a change that breaks determinism for
// orders under care fails there.
func recordOrderCareHistory(t *testing.T, workflowID, name string) {
	t.Helper()
	if os.Getenv("REDRESS_RECORD_HISTORIES") == "" {
		return
	}
	iter := stack.Temporal.GetWorkflowHistory(context.Background(), workflowID, "", false, enums.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	hist := &historypb.History{}
	for iter.HasNext() {
		e, err := iter.Next()
		if err != nil {
			t.Fatal(err)
		}
		hist.Events = append(hist.Events, e)
	}
	b, err := temporalproto.CustomJSONMarshalOptions{Indent: "  "}.Marshal(hist)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join("..", "ordercare", "testdata", name+".json"), b, 0o644); err != nil {
		t.Fatal(err)
	}
}
