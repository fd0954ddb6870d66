package marketplace

import "context"

// EventPuller is implemented by connectors whose platform queues
// notifications for Redress to pull instead of pushing them (Taobao TMC).
// The shop's poll pulls a batch, hands its events off, then confirms it;
// an unconfirmed batch is delivered again, so hand-offs must be idempotent.
type EventPuller interface {
	// PullEvents takes the next batch of queued notifications; an empty
	// batch means the queue is drained.
	PullEvents(ctx context.Context, shopID string) (PulledEvents, error)
	// ConfirmEvents tells the platform the batch was handled.
	ConfirmEvents(ctx context.Context, shopID string, receipts []string) error
}

// PulledEvents is one batch: the events Redress handles and the receipts
// that confirm every message of the batch, handled or ignored.
type PulledEvents struct {
	Events   []WebhookEvent
	Receipts []string
}
