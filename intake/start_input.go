package intake

import (
	"context"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"

	"github.com/redress-hq/redress/workflows"
)

// StartInput reads the input a case workflow was started with; found is
// false when there is no such workflow. The API uses it to tell whose a
// case is before the case has reached the index.
func StartInput(ctx context.Context, c client.Client, payloads converter.DataConverter, workflowID string) (in workflows.CaseInput, found bool, err error) {
	return startInput(ctx, c, payloads, workflowID)
}
