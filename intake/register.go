package intake

import "go.temporal.io/sdk/worker"

// Register adds intake's workflows and activities to a worker.
func Register(r worker.Registry, acts *Activities) {
	r.RegisterWorkflow(PollShopWorkflow)
	r.RegisterWorkflow(IngestNotificationWorkflow)
	r.RegisterActivity(acts)
}
