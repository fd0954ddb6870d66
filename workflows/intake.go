package workflows

import (
	"fmt"
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/redress-hq/redress/activities"
	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace"
)

// intake classifies the review and sets the first deadlines; with
// syncIndex it also opens the case in the index right away.
func (r *caseRun) intake(ctx workflow.Context, syncIndex bool) error {
	rv := r.in.Review
	if r.shopAtOpen {
		if err := r.readOpening(ctx); err != nil {
			return err
		}
	}
	if r.mirror >= 2 && cases.SLAFor(rv.Marketplace, "", nil).BusinessHours == nil && r.settings.Calendar == nil {
		r.loc = time.UTC // no business hours on this platform: the zone moves no deadline
	} else {
		r.loc = r.loadZone(ctx)
	}
	cls := cases.Classify(rv.Text, rv.Rating, rv.Language)
	r.sla = r.slaFor(cls.Issue)

	now := workflow.Now(ctx)
	opened := map[string]any{"review_id": rv.ReviewID, "order_id": rv.OrderID, "rating": rv.Rating,
		"review": rv, "workflow_id": workflow.GetInfo(ctx).WorkflowExecution.ID, "review_digest": ReviewDigest(rv)}
	if !r.in.ReceivedAt.IsZero() {
		opened["received_at"] = r.in.ReceivedAt
		opened["intake_latency_ms"] = now.Sub(r.in.ReceivedAt).Milliseconds()
	}
	if r.texts != nil {
		opened["texts"] = r.texts.Record() // the template versions this case uses
	}
	if r.settings.Shop != "" {
		opened["settings"] = r.settings // the shop's policy as this case keeps it
	}
	r.record(ctx, cases.EventCaseOpened, cases.SystemActor, opened)
	r.record(ctx, cases.EventClassified, cases.SystemActor, map[string]any{
		"issue": cls.Issue, "severity": cls.Severity, "language": cls.Language,
		"confidence": cls.Confidence, "matched": cls.Matched,
	})
	r.upsertSearchAttributes(ctx)

	// The first-contact clock runs from the review, not from when we saw it.
	reviewAt := rv.CreatedAt
	if reviewAt.IsZero() || reviewAt.After(now) {
		reviewAt = now
	}
	if cls.Issue == cases.IssueSuspectedMalicious {
		r.startDeadline(ctx, cases.DeadlineAppeal, reviewAt, r.sla.Appeal)
	} else {
		r.startDeadline(ctx, cases.DeadlineFirstContact, reviewAt, r.sla.FirstContact)
	}
	r.startDeadline(ctx, cases.DeadlineResolution, now, r.sla.Resolution)
	// An agent's message about the problem before the review, within the
	// first-contact window, is the case's first contact (read now, in
	// parallel with the alert; used when the playbook reaches contact).
	if r.mirror >= 4 || workflow.GetVersion(ctx, changePriorContactCounts, workflow.DefaultVersion, 1) == 1 {
		r.findPriorContact(ctx, reviewAt.Add(-r.sla.FirstContact), now)
	}
	r.setStage(ctx, cases.StageContact)
	if !syncIndex {
		return nil
	}
	return r.flush(ctx)
}

// loadZone builds the shop's *time.Location from tzdata a local activity
// read once; the bytes sit in history, so replay needs no file I/O. A bad
// zone falls back to UTC rather than stalling the case.
func (r *caseRun) loadZone(ctx workflow.Context) *time.Location {
	lctx := workflow.WithLocalActivityOptions(ctx, zoneOptions)
	var z activities.ZoneData
	if err := workflow.ExecuteLocalActivity(lctx, activities.LoadZone, r.settings.TimeZone).Get(lctx, &z); err != nil {
		workflow.GetLogger(ctx).Warn("shop time zone unavailable, using UTC", "zone", r.settings.TimeZone, "error", err)
		return time.UTC
	}
	if len(z.TZData) == 0 {
		return time.UTC
	}
	loc, err := time.LoadLocationFromTZData(z.Name, z.TZData)
	if err != nil {
		return time.UTC
	}
	return loc
}

// alertSeller tells the seller at once; a failed alert is on record but
// never holds up the case.
func (r *caseRun) alertSeller(ctx workflow.Context) {
	msg := fmt.Sprintf("%d★ %s review %s: %s", r.in.Review.Rating, r.in.Review.Marketplace, r.in.Review.ReviewID, r.view.Case.Issue)
	r.sendAlert(ctx, acts.AlertSeller, activities.AlertNewCase, "", msg)
	r.record(ctx, cases.EventSellerAlerted, cases.SystemActor, map[string]any{"severity": r.view.Case.Severity, "issue": r.view.Case.Issue})
}

// gatherEvidence reads order, tracking, chat and claims in its own
// coroutine, then opens the verify task with what it found. Verification is
// opened early, in parallel with contact, so the agent can check while the
// buyer is being reached; no remedy is chosen before it completes.
func (r *caseRun) gatherEvidence(ctx workflow.Context) {
	workflow.Go(ctx, func(ctx workflow.Context) {
		rv := r.in.Review
		ev, ok, err := callMarket[activities.OrderInput, marketplace.Evidence](ctx, r, marketStep[activities.OrderInput]{
			Step: "evidence", Call: "get_evidence", Activity: acts.GatherEvidence,
			Params: activities.OrderInput{Marketplace: rv.Marketplace, ShopID: rv.ShopID, OrderID: rv.OrderID},
		})
		if err != nil {
			return
		}
		input := VerifyTaskInput{Issue: r.view.Case.Issue, ReviewText: rv.Text, Photos: rv.Photos}
		if ok {
			r.evidence = &ev
			input.Evidence = &ev
			r.record(ctx, cases.EventEvidenceGathered, cases.SystemActor, map[string]any{
				"order_status": ev.Order.Status, "tracking_steps": len(ev.Tracking), "courier": ev.Courier,
				"chat_messages": len(ev.Chat), "claims": len(ev.Claims),
			})
		} else {
			input.EvidenceMissing = "the evidence call was skipped; check the platform directly"
		}
		r.verifyTaskID = r.openTask(ctx, cases.TaskVerify, input, r.dueOf(cases.DeadlineResolution))
		if r.mirror >= 3 {
			r.settleQuietly(ctx) // the agent can verify while the buyer is reached
		} else {
			r.flushQuietly(ctx)
		}
	})
}
