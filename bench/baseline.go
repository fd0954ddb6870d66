package main

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"
)

// The bare engine: workflows that do nothing but what Temporal itself does,
// on their own task queues of the same server.
const (
	baselineQueue = "redress-bench-baseline"
	// unpolledQueue has no worker: P1's baseline measures StartWorkflow alone.
	unpolledQueue = "redress-bench-unpolled"

	shapeUpdate = "step"
)

// shape is what a case does in Temporal, counted from its history (P3):
// the baseline workflow does the same number of each with no work in them.
type shape struct {
	Activities int             `json:"activities"`
	Updates    int             `json:"updates"`
	Waits      []time.Duration `json:"waits"`
}

// EmptyWorkflow is started by P1's baseline and never runs.
func EmptyWorkflow(workflow.Context) error { return nil }

// ShapeWorkflow runs s.Activities no-op activities one after the other,
// sleeps s.Waits, and finishes once s.Updates updates were accepted.
func ShapeWorkflow(ctx workflow.Context, s shape) error {
	got := 0
	if err := workflow.SetUpdateHandler(ctx, shapeUpdate, func(workflow.Context, int) (int, error) {
		got++
		return got, nil
	}); err != nil {
		return err
	}
	ctx = workflow.WithActivityOptions(ctx, workflow.ActivityOptions{StartToCloseTimeout: 30 * time.Second})
	for i := range s.Activities {
		if err := workflow.ExecuteActivity(ctx, NoopActivity, i).Get(ctx, nil); err != nil {
			return err
		}
	}
	for _, d := range s.Waits {
		if err := workflow.Sleep(ctx, d); err != nil {
			return err
		}
	}
	return workflow.Await(ctx, func() bool { return got >= s.Updates })
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
func NoopActivity(_ context.Context, i int) (int, error) { return i, nil }

// baselineWorker runs ShapeWorkflow with the same worker options as Redress.
type baselineWorker struct{ worker.Worker }

func startBaselineWorker(c client.Client, opts worker.Options) (*baselineWorker, error) {
	w := worker.New(c, baselineQueue, opts)
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

// runShape starts one ShapeWorkflow, sends its updates one after the other
// (each waits to be completed, like an API call), and waits for the end.
func runShape(ctx context.Context, c client.Client, id string, s shape) error {
	run, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: id, TaskQueue: baselineQueue}, ShapeWorkflow, s)
	if err != nil {
		return fmt.Errorf("start %s: %w", id, err)
	}
	for i := range s.Updates {
		h, err := c.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{
			WorkflowID: id, UpdateName: shapeUpdate, Args: []any{i}, WaitForStage: client.WorkflowUpdateStageCompleted,
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
