package workflows

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/redress-hq/redress/cases"
)

// A case a worker of an earlier deploy started — before events-not-rows, and
// on its version 3 (sync as an activity) — finishes on a worker of this
// deploy, on a real dev server: the first worker records the old version (the
// SDK's PreferredVersionProvider stands in for the old code's GetVersion) and
// runs the case to its first human step; it stops; a worker with today's
// options takes the case over and finishes it, still on its old path.
func TestCaseStartedBeforeTheChangeFinishesOnTheNewWorker(t *testing.T) {
	cli := os.Getenv("TEMPORAL_CLI")
	if cli == "" {
		cli = temporalCLI
	}
	if _, err := os.Stat(cli); err != nil {
		t.Skipf("no Temporal CLI at %s (make temporal-cli)", cli)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	srv, err := testsuite.StartDevServer(ctx, testsuite.DevServerOptions{
		ExistingPath: cli, LogLevel: "error",
		SearchAttributes: temporal.NewSearchAttributes(
			StageKey.ValueSet(""), MarketplaceKey.ValueSet(""), IssueKey.ValueSet(""), BreachedKey.ValueSet(false)),
	})
	require.NoError(t, err)
	defer func() { _ = srv.Stop() }()
	c := srv.Client()

	for _, old := range []workflow.Version{workflow.DefaultVersion, 3} {
		t.Run(map[workflow.Version]string{workflow.DefaultVersion: "rows", 3: "events_not_rows_v3"}[old], func(t *testing.T) {
			before := worker.New(c, TaskQueue, worker.Options{
				// Its sticky queue dies with it soon after it stops.
				StickyScheduleToStartTimeout: time.Second,
				PreferredVersionProvider: func(in worker.PreferredVersionProviderInput) *worker.VersionPreference {
					if in.ChangeID == changeEventsNotRows {
						return &worker.VersionPreference{Version: old}
					}
					return nil
				},
			})
			before.RegisterWorkflow(CaseWorkflow)
			before.RegisterActivity(&standInActivities{})
			require.NoError(t, before.Start())

			name := "upgrade_" + map[workflow.Version]string{workflow.DefaultVersion: "rows", 3: "v3"}[old]
			in := recordInput(name, cases.IssueQuality)
			run, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: cases.WorkflowIDFor(in.CaseID), TaskQueue: TaskQueue}, CaseWorkflow, in)
			require.NoError(t, err)
			d := driver{c: c, ctx: ctx, caseID: in.CaseID, wfID: run.GetID()}
			d.complete(t, cases.TaskVerify, agent, CompleteTaskRequest{Verify: &VerifyResult{Responsibility: cases.RespMerchant, Findings: "qc photo shows defect"}})
			before.Stop()

			after := worker.New(c, TaskQueue, worker.Options{})
			after.RegisterWorkflow(CaseWorkflow)
			after.RegisterActivity(&standInActivities{})
			require.NoError(t, after.Start())
			defer after.Stop()
			d.update(t, UpdateBuyerReply, BuyerReply{MessageID: "m-1", Text: "please help", Actor: agent})
			d.complete(t, cases.TaskChooseRemedy, agent, CompleteTaskRequest{Remedy: &RemedyChoice{Type: cases.RemedyReship}})
			d.complete(t, cases.TaskManualStep, agent, CompleteTaskRequest{ManualStep: &ManualStepDone{Reference: "TRK-1"}})
			var res CaseResult
			require.NoError(t, run.Get(ctx, &res))
			require.Equal(t, cases.OutcomeUnchanged, res.Outcome)

			// The case kept its old path to the end: every index write an
			// activity (version 4 makes them local activities), the last at close.
			syncs, markers := 0, 0
			var lastSync, completed time.Time
			it := c.GetWorkflowHistory(ctx, run.GetID(), "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
			for it.HasNext() {
				ev, err := it.Next()
				require.NoError(t, err)
				switch ev.GetEventType() {
				case enumspb.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
					if ev.GetActivityTaskScheduledEventAttributes().GetActivityType().GetName() == "SyncCase" {
						syncs++
						lastSync = ev.GetEventTime().AsTime()
					}
				case enumspb.EVENT_TYPE_MARKER_RECORDED:
					if m := ev.GetMarkerRecordedEventAttributes(); m.GetMarkerName() == "LocalActivity" &&
						strings.Contains(string(m.GetDetails()["data"].GetPayloads()[0].GetData()), `"SyncCase"`) {
						markers++
					}
				case enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED:
					completed = ev.GetEventTime().AsTime()
				}
			}
			require.Greater(t, syncs, 2, "index writes as activities, before and after the worker changed")
			require.Zero(t, markers, "no index write as a local activity on the old path")
			require.WithinDuration(t, completed, lastSync, 5*time.Second, "the close's index write ran on the new worker")
		})
	}
}
