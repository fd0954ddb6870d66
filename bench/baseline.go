package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/store"
)

// The bare engine: workflows that do nothing but what Temporal itself does,
// on their own task queues of the same server.
const (
	baselineQueue = "redress-bench-baseline"

	shapeUpdate = "step"
)

// shape is the irreducible playbook of a measured happy case (P2, P3
// baseline), counted from its history and events: its external calls (the
// marketplace calls and the seller's alert, with the inputs and results
// they carried: recordedPlaybook), the human updates and signals, one
// durable timer per deadline the case set, and the follow-up and
// review-check waits. The baseline adds one index write when the case opens
// and one when it closes, through the same store. Nothing of Redress's own
// shape (its syncs, its reminder timers, its markers) is copied.
type shape struct {
	Activities int             `json:"activities"` // marketplace calls
	Updates    int             `json:"updates"`
	Waits      []time.Duration `json:"waits"`
	Deadlines  int             `json:"deadlines"`
	// IndexWrites: one at open, one at close (0 for the bare shape test).
	IndexWrites bool `json:"index_writes"`
}

// describe says what the baseline does, for the report.
func (s shape) describe() string {
	return fmt.Sprintf("the irreducible playbook: a workflow started with the same review, making the same %d external calls (marketplace calls and the seller's alert, with the inputs and results they carried), the same %d updates (same arguments), "+
		"one timer per deadline (%d), the same two waits of %s, and one index write at open and one at close through the same store",
		s.Activities, s.Updates, s.Deadlines, s.Waits[0])
}

// ShapeWorkflow is the irreducible playbook: an index write at open, one
// durable timer per deadline (each cancelled at the end, as a met deadline's
// timer is), s.Activities no-op marketplace calls one after the other, the
// waits, s.Updates accepted updates, an index write at close.
func ShapeWorkflow(ctx workflow.Context, s shape, _ json.RawMessage) error {
	got := 0
	if err := workflow.SetUpdateHandler(ctx, shapeUpdate, func(workflow.Context, json.RawMessage) (int, error) {
		got++
		return got, nil
	}); err != nil {
		return err
	}
	ctx = workflow.WithActivityOptions(ctx, workflow.ActivityOptions{StartToCloseTimeout: 30 * time.Second})
	id := workflow.GetInfo(ctx).WorkflowExecution.ID
	if s.IndexWrites {
		if err := workflow.ExecuteActivity(ctx, "IndexWriteActivity", id, 1).Get(ctx, nil); err != nil {
			return err
		}
	}
	timers, stopTimers := workflow.WithCancel(ctx)
	for range s.Deadlines {
		workflow.Go(timers, func(ctx workflow.Context) { _ = workflow.Sleep(ctx, 24*time.Hour) })
	}
	for i := range s.Activities {
		if err := workflow.ExecuteActivity(ctx, NoopActivity, i, recordedPlaybook.call(i).Input).Get(ctx, nil); err != nil {
			return err
		}
	}
	for _, d := range s.Waits {
		if err := workflow.Sleep(ctx, d); err != nil {
			return err
		}
	}
	if err := workflow.Await(ctx, func() bool { return got >= s.Updates }); err != nil {
		return err
	}
	stopTimers()
	if s.IndexWrites {
		return workflow.ExecuteActivity(ctx, "IndexWriteActivity", id, 2).Get(ctx, nil)
	}
	return nil
}

// indexWriter writes the baseline's two index rows through Redress's own
// store: the case opened (seq 1) and closed (seq 2).
type indexWriter struct{ store *store.Store }

// IndexWriteActivity writes event seq of the baseline case named by the workflow id.
func (w indexWriter) IndexWriteActivity(ctx context.Context, workflowID string, seq int64) error {
	caseID := "cs_" + strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, strings.ToLower(workflowID))
	rv := cases.Review{Marketplace: cases.EBay, ShopID: "bench-baseline", ReviewID: workflowID, OrderID: workflowID, Rating: 1}
	e := cases.NewEvent(caseID, 1, cases.EventCaseOpened, cases.SystemActor, time.Now(), cases.CaseOpenedData{Review: &rv})
	if seq == 2 {
		e = cases.NewEvent(caseID, 2, cases.EventCaseClosed, cases.SystemActor, time.Now(), cases.CaseClosedData{Outcome: cases.OutcomeUnchanged})
	}
	return w.store.SyncCase(ctx, cases.SyncBatch{Events: []cases.Event{e}})
}

// SleepWorkflow waits on one long timer: P6's bare open workflow.
func SleepWorkflow(ctx workflow.Context, d time.Duration) error { return workflow.Sleep(ctx, d) }

// AlertWorkflow is the bare engine's alert: one activity that posts to the
// receiver as soon as the workflow starts.
func AlertWorkflow(ctx workflow.Context, url, id string) error {
	ctx = workflow.WithActivityOptions(ctx, workflow.ActivityOptions{StartToCloseTimeout: 10 * time.Second})
	return workflow.ExecuteActivity(ctx, "PostAlertActivity", url, id).Get(ctx, nil)
}

var alertHTTP = &http.Client{Timeout: 5 * time.Second}

// PostAlertActivity posts a new-case alert for id.
func PostAlertActivity(_ context.Context, url, id string) error { return postAlert(alertHTTP, url, id) }

// NoopActivity returns its input.
// NoopActivity stands in for the i-th external call: it takes that call's
// recorded input and answers with its recorded result.
func NoopActivity(_ context.Context, i int, _ json.RawMessage) (json.RawMessage, error) {
	return recordedPlaybook.call(i).Result, nil
}

// baselineWorker runs ShapeWorkflow with the same worker options as Redress.
type baselineWorker struct{ worker.Worker }

func startBaselineWorker(c client.Client, opts worker.Options, st *store.Store) (*baselineWorker, error) {
	w := worker.New(c, baselineQueue, opts)
	w.RegisterActivityWithOptions(indexWriter{st}.IndexWriteActivity, activity.RegisterOptions{Name: "IndexWriteActivity"})
	w.RegisterWorkflow(ShapeWorkflow)
	w.RegisterWorkflow(AlertWorkflow)
	w.RegisterWorkflow(SleepWorkflow)
	w.RegisterActivityWithOptions(NoopActivity, activity.RegisterOptions{Name: "NoopActivity"})
	w.RegisterActivityWithOptions(PostAlertActivity, activity.RegisterOptions{Name: "PostAlertActivity"})
	if err := w.Start(); err != nil {
		return nil, fmt.Errorf("start baseline worker: %w", err)
	}
	return &baselineWorker{w}, nil
}

// drainWorkflows waits until every workflow of ids has finished, conc at a time.
func drainWorkflows(ctx context.Context, c client.Client, ids []string, conc int) error {
	ch := make(chan string)
	errs := make(chan error, conc)
	for range conc {
		go func() {
			var first error
			for id := range ch {
				if err := c.GetWorkflow(ctx, id, "").Get(ctx, nil); err != nil && first == nil {
					first = fmt.Errorf("%s: %w", id, err)
				}
			}
			errs <- first
		}()
	}
	for _, id := range ids {
		ch <- id
	}
	close(ch)
	var first error
	for range conc {
		if err := <-errs; err != nil && first == nil {
			first = err
		}
	}
	return first
}

// runShape starts one ShapeWorkflow, sends its updates one after the other
// (each waits to be completed, like an API call), and waits for the end.
func runShape(ctx context.Context, c client.Client, id string, s shape) error {
	run, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: id, TaskQueue: baselineQueue}, ShapeWorkflow, s, recordedPlaybook.Review)
	if err != nil {
		return fmt.Errorf("start %s: %w", id, err)
	}
	for i := range s.Updates {
		h, err := c.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{
			WorkflowID: id, UpdateName: shapeUpdate, Args: []any{recordedPlaybook.updateArg(i)}, WaitForStage: client.WorkflowUpdateStageCompleted,
		})
		if err != nil {
			return fmt.Errorf("update %s: %w", id, err)
		}
		if err := h.Get(ctx, nil); err != nil {
			return fmt.Errorf("update %s: %w", id, err)
		}
	}
	return run.Get(ctx, nil)
}
