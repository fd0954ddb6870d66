package ordercare

import (
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"
)

// Register puts OrderCareWorkflow and its activities on a worker polling TaskQueue.
func Register(r worker.Registry, acts *Activities) {
	r.RegisterWorkflowWithOptions(OrderCareWorkflow, workflowOptions())
	r.RegisterWorkflowWithOptions(IngestQuestionsWorkflow, workflow.RegisterOptions{Name: QuestionsWorkflowName})
	r.RegisterWorkflowWithOptions(ShopPollWorkflow, workflow.RegisterOptions{Name: ShopPollWorkflowName})
	r.RegisterActivity(acts)
}

func workflowOptions() workflow.RegisterOptions { return workflow.RegisterOptions{Name: WorkflowName} }
