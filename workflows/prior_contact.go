package workflows

import (
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/redress-hq/redress/activities"
	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/store"
)

// changePriorContactCounts: see workflows/VERSIONING.md.
const changePriorContactCounts = "prior-contact-counts"

// priorContactOptions: a read of the store, worth a few quick tries; when it
// fails the case contacts the buyer as it always did.
var priorContactOptions = workflow.ActivityOptions{
	StartToCloseTimeout:    10 * time.Second,
	ScheduleToCloseTimeout: time.Minute,
	RetryPolicy: &temporal.RetryPolicy{
		InitialInterval: time.Second, BackoffCoefficient: 2, MaximumInterval: 10 * time.Second, MaximumAttempts: 3,
	},
}

// findPriorContact starts the read of the order's first qualifying
// pre-emptive contact answered in [from, to] (issue 15).
func (r *caseRun) findPriorContact(ctx workflow.Context, from, to time.Time) {
	rv := r.in.Review
	r.priorContact = r.run(ctx, priorContactOptions, acts.FindPriorContact, activities.PriorContactInput{
		Marketplace: rv.Marketplace, ShopID: rv.ShopID, OrderID: rv.OrderID, From: from, To: to,
	})
}

// awaitPriorContact is the contact found at intake, if any; a failed read
// counts as none.
func (r *caseRun) awaitPriorContact(ctx workflow.Context) *store.PriorContact {
	if r.priorContact == nil {
		return nil
	}
	f := r.priorContact
	r.priorContact = nil
	var res activities.PriorContactResult
	if err := f.Get(ctx, &res); err != nil {
		workflow.GetLogger(ctx).Warn("prior contact unavailable, contacting the buyer", "error", err)
		return nil
	}
	if !res.Found || res.Contact == nil {
		return nil
	}
	return res.Contact
}

// countPriorContact records the pre-emptive message as the case's first
// contact (by the agent who sent it; the audit names when, who, the text and
// the reference) instead of sending the templated one, which meets the
// first-contact deadline; the case then waits for the buyer's reply.
func (r *caseRun) countPriorContact(ctx workflow.Context, pc store.PriorContact) bool {
	by := cases.Actor{ID: pc.By, Role: cases.RoleAgent}
	ref := pc.Ref
	if ref == "" {
		ref = "buyer_message:" + pc.MessageID
	}
	r.record(ctx, cases.EventMessageSent, by, map[string]any{
		"kind": msgFirstContact, "manual": true, "text": pc.Text, "ref": ref,
		"prior_contact": map[string]any{
			"kind": pc.Kind, "message_id": pc.MessageID, "at": pc.At, "by": pc.By, "via": pc.Via, "ref": pc.Ref,
		},
	})
	return r.contacted(ctx, true)
}
