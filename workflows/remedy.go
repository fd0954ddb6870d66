package workflows

import (
	"slices"

	"go.temporal.io/sdk/workflow"

	"github.com/redress-hq/redress/cases"
)

// remedy chooses a remedy (with a manager's approval above the shop's limit;
// a rejection goes back to choosing, with the reason) and executes it.
func (r *caseRun) remedy(ctx workflow.Context) error {
	rejected := ""
	for {
		choice, actor, err := r.chooseRemedy(ctx, rejected)
		if err != nil {
			return err
		}
		amount, shipping := r.orderAmounts()
		cost := cases.RemedyCost(choice.Type, amount, shipping, choice.Amount)
		r.choice = &choice
		r.record(ctx, cases.EventRemedyChosen, actor, map[string]any{
			"type": choice.Type, "amount": choice.Amount, "cost": cost, "note": choice.Note,
		})
		// An offer message the guard is unsure about needs a manager, whatever the cost.
		doubts := r.doubtsForAManager(ctx, cases.TextMessage, choice.Message, true, actor)
		if len(doubts) == 0 && !cases.NeedsApproval(cost, r.settings.ApprovalLimit) {
			return r.executeRemedy(ctx, choice, cost)
		}
		ok, reason, err := r.approveRemedy(ctx, choice, cost, doubts)
		if err != nil {
			return err
		}
		if ok {
			return r.executeRemedy(ctx, choice, cost)
		}
		rejected = reason
		r.choice = nil
	}
}

// chooseRemedy opens choose_remedy with the options the policy allows.
func (r *caseRun) chooseRemedy(ctx workflow.Context, rejectedReason string) (RemedyChoice, cases.Actor, error) {
	r.setStage(ctx, cases.StageRemedy)
	amount, shipping := r.orderAmounts()
	due := r.dueOf(cases.DeadlineSolution)
	if due == nil {
		due = r.dueOf(cases.DeadlineResolution)
	}
	id := r.openTask(ctx, cases.TaskChooseRemedy, ChooseRemedyInput{
		Issue: r.view.Case.Issue, Responsibility: r.view.Case.Responsibility,
		Options:     cases.RemedyOptions(r.view.Case.Issue, r.view.Case.Responsibility, r.rules, amount, shipping),
		OrderAmount: amount, ShippingFee: shipping, Currency: r.currency(),
		ApprovalLimit: r.settings.ApprovalLimit, RejectedReason: rejectedReason,
	}, due)
	done, err := r.awaitTask(ctx, id)
	if err != nil {
		return RemedyChoice{}, cases.Actor{}, err
	}
	return *done.Remedy, done.Actor, nil
}

// approveRemedy asks a manager to approve a remedy above the limit, or one
// whose offer message the guard is unsure about (doubts).
func (r *caseRun) approveRemedy(ctx workflow.Context, choice RemedyChoice, cost cases.Money, doubts []cases.Violation) (bool, string, error) {
	r.setStage(ctx, cases.StageApproval)
	id := r.openTask(ctx, cases.TaskApproveRemedy, ApproveRemedyInput{
		Choice: choice, Cost: cost, Limit: r.settings.ApprovalLimit, GuardDoubts: doubts,
	}, r.dueOf(cases.DeadlineSolution))
	done, err := r.awaitTask(ctx, id)
	if err != nil {
		return false, "", err
	}
	a := done.Approval
	if a.Approved {
		r.record(ctx, cases.EventRemedyApproved, done.Actor, map[string]any{"type": choice.Type, "cost": cost, "reason": a.Reason})
	} else {
		r.record(ctx, cases.EventRemedyRejected, done.Actor, map[string]any{"type": choice.Type, "cost": cost, "reason": a.Reason})
	}
	return a.Approved, a.Reason, nil
}

// executeRemedy runs the remedy's steps on the marketplace, in the policy's
// order with the offer message first: Mercado Libre closes the conversation
// after a refund. A failing step becomes an incident the case waits on, so a
// remedy is never silently half-done; a skipped step is on record as skipped.
func (r *caseRun) executeRemedy(ctx workflow.Context, choice RemedyChoice, cost cases.Money) error {
	r.setStage(ctx, cases.StageExecution)
	r.remedyRunning = true
	defer func() { r.remedyRunning = false }()
	steps := offerFirst(cases.RemedySteps(choice.Type))
	if slices.Contains(steps, cases.StepReship) {
		r.startDeadline(ctx, cases.DeadlineReship, workflow.Now(ctx), r.sla.Reship)
	}
	if err := r.flush(ctx); err != nil {
		return err
	}
	var done, skipped []cases.RemedyStep
	for _, step := range steps {
		ok, err := r.runRemedyStep(ctx, step, choice, cost)
		if err != nil {
			return err
		}
		if ok {
			done = append(done, step)
		} else {
			skipped = append(skipped, step)
			r.record(ctx, cases.EventRemedyStepDone, cases.SystemActor, map[string]any{"step": step, "skipped": true})
		}
		if err := r.flush(ctx); err != nil {
			return err
		}
	}
	r.record(ctx, cases.EventRemedyCompleted, cases.SystemActor, map[string]any{
		"type": choice.Type, "cost": cost, "done": done, "skipped": skipped,
	})
	r.meetDeadline(ctx, cases.DeadlineResolution)
	return r.flush(ctx)
}

// offerFirst moves the offer message ahead of every other step.
func offerFirst(steps []cases.RemedyStep) []cases.RemedyStep {
	out := make([]cases.RemedyStep, 0, len(steps))
	if slices.Contains(steps, cases.StepOfferMessage) {
		out = append(out, cases.StepOfferMessage)
	}
	for _, s := range steps {
		if s != cases.StepOfferMessage {
			out = append(out, s)
		}
	}
	return out
}
