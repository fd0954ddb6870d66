// Package worker registers the case workflow and its activities and sets the
// worker's options, so `redress worker` only dials Temporal and runs.
package worker

import (
	"time"

	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/redress-hq/redress/activities"
	"github.com/redress-hq/redress/workflows"
)

// Register puts CaseWorkflow and every activity method on r. Activities are
// registered under their method names (SyncCase, SendBuyerMessage, ...),
// which is how the workflow calls them.
func Register(r worker.Registry, acts *activities.Activities) {
	r.RegisterWorkflowWithOptions(workflows.CaseWorkflow, workflow.RegisterOptions{Name: "CaseWorkflow"})
	r.RegisterActivity(acts)
}

// Options suit a small machine (2 cores): cases spend their lives waiting,
// so a few pollers and modest concurrency go far. The graceful stop lets an
// in-flight marketplace call (30 s start-to-close) finish instead of being
// retried elsewhere with an ambiguous outcome.
func Options() worker.Options {
	return worker.Options{
		MaxConcurrentActivityExecutionSize:      20,
		MaxConcurrentWorkflowTaskExecutionSize:  10,
		MaxConcurrentLocalActivityExecutionSize: 10,
		MaxConcurrentActivityTaskPollers:        2,
		MaxConcurrentWorkflowTaskPollers:        2,
		WorkerStopTimeout:                       35 * time.Second,
	}
}

// TaskQueue is the queue the worker polls.
const TaskQueue = workflows.TaskQueue
