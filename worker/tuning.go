package worker

import "go.temporal.io/sdk/worker"

// Tuning is one replica's share of the work (config.Cluster); zero fields
// keep Options' defaults.
type Tuning struct {
	WorkflowPollers  int
	ActivityPollers  int
	MaxActivities    int
	MaxWorkflowTasks int
}

// Apply returns o with t's non-zero settings.
func (t Tuning) Apply(o worker.Options) worker.Options {
	if t.WorkflowPollers > 0 {
		o.MaxConcurrentWorkflowTaskPollers = t.WorkflowPollers
	}
	if t.ActivityPollers > 0 {
		o.MaxConcurrentActivityTaskPollers = t.ActivityPollers
	}
	if t.MaxActivities > 0 {
		o.MaxConcurrentActivityExecutionSize = t.MaxActivities
	}
	if t.MaxWorkflowTasks > 0 {
		o.MaxConcurrentWorkflowTaskExecutionSize = t.MaxWorkflowTasks
	}
	return o
}
