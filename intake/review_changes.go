package intake

import (
	"context"
	"errors"
	"fmt"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/store"
	"github.com/redress-hq/redress/workflows"
)

// CaseIndex reads the case index: the case of an order (buyer messages) and
// a case's row (the review it last saw).
type CaseIndex interface {
	CaseFinder
	GetCase(ctx context.Context, id string) (cases.Case, error)
}

// ReviewDelivery is what became of a review that did not open a new case.
type ReviewDelivery struct {
	CaseID string
	// HasCase: the review has a case (open or closed).
	HasCase bool
	// Changed: its content differs from what the open case last saw, and the
	// case was signalled. A redelivery of the same content changes nothing.
	Changed bool
}

// DeliverReviewChange sends a review that already has a case to that case
// when the review changed (rating, text, removal, 追评, a visible reply). The
// index's digest of the review tells a redelivery from a change without a
// round trip to the workflow; a case not indexed yet is compared with the
// review it was started with. The workflow dedupes again, so a race between
// two deliveries is harmless. idx may be nil (only the start input is read).
// payloads decodes the start input as c encoded it (nil: unencrypted).
func DeliverReviewChange(ctx context.Context, c client.Client, payloads converter.DataConverter, idx CaseIndex, rv cases.Review, source string) (ReviewDelivery, error) {
	d := ReviewDelivery{CaseID: cases.CaseIDFor(rv.Marketplace, rv.ShopID, rv.ReviewID)}
	seen, open, found, err := lastSeen(ctx, c, payloads, idx, d.CaseID)
	if err != nil || !found {
		return d, err
	}
	d.HasCase = true
	if !open || sameReview(seen, rv) {
		return d, nil
	}
	err = c.SignalWorkflow(ctx, cases.WorkflowIDFor(d.CaseID), "", workflows.SignalReviewChanged,
		workflows.ReviewChange{Review: rv, Source: source, SeenAt: time.Now().UTC()})
	var nf *serviceerror.NotFound
	switch {
	case errors.As(err, &nf): // closed meanwhile
		return d, nil
	case err != nil:
		return d, fmt.Errorf("signal review change to %s: %w", d.CaseID, err)
	}
	d.Changed = true
	return d, nil
}

// lastSeen is the review as the case last saw it: from the index, or from
// the workflow's start input while the index has no row yet.
func lastSeen(ctx context.Context, c client.Client, payloads converter.DataConverter, idx CaseIndex, caseID string) (seen cases.Case, open, found bool, err error) {
	if idx != nil {
		row, err := idx.GetCase(ctx, caseID)
		switch {
		case err == nil:
			return row, row.Status == cases.StatusOpen, true, nil
		case !errors.Is(err, store.ErrNotFound):
			return cases.Case{}, false, false, fmt.Errorf("read case %s: %w", caseID, err)
		}
	}
	in, found, err := startInput(ctx, c, payloads, cases.WorkflowIDFor(caseID))
	if err != nil || !found {
		return cases.Case{}, false, found, err
	}
	rv := in.Review
	return cases.Case{Rating: rv.Rating, Text: rv.Text, ReviewDigest: workflows.ReviewDigest(rv)}, true, true, nil
}

// startInput reads the input a case workflow was started with.
func startInput(ctx context.Context, c client.Client, payloads converter.DataConverter, workflowID string) (workflows.CaseInput, bool, error) {
	if payloads == nil {
		payloads = converter.GetDefaultDataConverter()
	}
	var in workflows.CaseInput
	iter := c.GetWorkflowHistory(ctx, workflowID, "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	if !iter.HasNext() {
		return in, false, nil
	}
	ev, err := iter.Next()
	var nf *serviceerror.NotFound
	switch {
	case errors.As(err, &nf):
		return in, false, nil
	case err != nil:
		return in, false, fmt.Errorf("read history of %s: %w", workflowID, err)
	}
	attrs := ev.GetWorkflowExecutionStartedEventAttributes()
	if attrs == nil {
		return in, false, fmt.Errorf("history of %s does not start with the workflow's start", workflowID)
	}
	if err := payloads.FromPayloads(attrs.GetInput(), &in); err != nil {
		return in, false, fmt.Errorf("decode start input of %s: %w", workflowID, err)
	}
	return in, true, nil
}

// sameReview: the review's content is what the case last saw. Rows indexed
// before digests existed compare rating and text.
func sameReview(seen cases.Case, rv cases.Review) bool {
	if seen.ReviewDigest != "" {
		return seen.ReviewDigest == workflows.ReviewDigest(rv)
	}
	return seen.Rating == rv.Rating && seen.Text == rv.Text && !rv.Removed && rv.FollowUpText == "" && !rv.Replied
}
