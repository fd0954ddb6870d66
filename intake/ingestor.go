package intake

import (
	"context"
	"errors"
	"fmt"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace"
	"github.com/redress-hq/redress/workflows"
)

// Ingestor hands a notification that only names a resource to a workflow
// that fetches it. The webhook handler returns as soon as that workflow is
// durably started; redeliveries of the same notification join it.
type Ingestor struct {
	Temporal client.Client
}

// IngestNotification starts the ingest workflow for one delivery.
func (i Ingestor) IngestNotification(ctx context.Context, m cases.Marketplace, ev marketplace.WebhookEvent) error {
	if ev.ShopID == "" || ev.DeliveryID == "" {
		return fmt.Errorf("notification for %q names no shop or delivery id", ev.Resource)
	}
	id := IngestWorkflowID(m, ev.DeliveryID)
	_, err := i.Temporal.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID:                       id,
		TaskQueue:                workflows.TaskQueue,
		WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING,
		WorkflowIDReusePolicy:    enumspb.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
		// Kept long enough for redeliveries to find it; the platforms retry for about an hour.
		WorkflowExecutionErrorWhenAlreadyStarted: false,
	}, IngestNotificationWorkflow, NotificationInput{
		Marketplace: m, ShopID: ev.ShopID, Resource: ev.Resource, DeliveryID: ev.DeliveryID, Kind: ev.Kind,
	})
	var already *serviceerror.WorkflowExecutionAlreadyStarted
	if err != nil && !errors.As(err, &already) {
		return fmt.Errorf("start ingest %s: %w", id, err)
	}
	return nil
}
