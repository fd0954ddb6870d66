package workflows

import (
	"go.temporal.io/sdk/workflow"

	"github.com/redress-hq/redress/activities"
	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace"
)

// appeal contests a malicious review with the evidence bundle within the
// appeal deadline, then records the platform's decision. A malicious buyer
// gets no compensation, so the solution deadline no longer applies.
func (r *caseRun) appeal(ctx workflow.Context) (cases.Outcome, error) {
	r.setStage(ctx, cases.StageAppeal)
	r.startDeadline(ctx, cases.DeadlineAppeal, workflow.Now(ctx), r.sla.Appeal)
	r.cancelDeadline(ctx, cases.DeadlineSolution, "malicious_buyer")
	r.cancelDeadline(ctx, cases.DeadlineFirstContact, "malicious_buyer")
	if t := r.openTaskOf(cases.TaskContactBuyer); t != nil {
		r.cancelTask(ctx, t.ID, cases.SystemActor, "malicious_buyer")
	}

	draft, _ := r.render(cases.PurposeAppeal, "", 0)
	findings := ""
	if done, ok := r.taskResults[r.verifyTaskID]; ok && done.Verify != nil {
		findings = done.Verify.Findings
	}
	id := r.openTask(ctx, cases.TaskPrepareAppeal, PrepareAppealInput{
		Draft: draft, Evidence: r.evidence, Findings: findings, AppealAPI: r.rules.AppealAPI,
	}, r.dueOf(cases.DeadlineAppeal))
	done, err := r.awaitTask(ctx, id)
	if err != nil {
		return "", err
	}
	filing := *done.Appeal
	ref, manual := filing.Reference, filing.FiledManually
	if !filing.FiledManually {
		rv := r.in.Review
		res, ok, err := callMarket[activities.AppealInput, marketplace.AppealResult](ctx, r, marketStep[activities.AppealInput]{
			Step: "appeal", Call: "submit_appeal", Activity: acts.SubmitAppeal,
			Params: activities.AppealInput{Marketplace: rv.Marketplace, Request: marketplace.AppealRequest{
				ShopID: rv.ShopID, ReviewID: rv.ReviewID, OrderID: rv.OrderID, Statement: filing.Statement, Evidence: filing.Evidence,
			}},
			WithKey: func(p activities.AppealInput, k string) activities.AppealInput {
				p.Request.IdempotencyKey = k
				return p
			},
		})
		if err != nil {
			return "", err
		}
		ref, manual = res.ID, res.Manual || !ok
	}
	r.record(ctx, cases.EventAppealSubmitted, done.Actor, map[string]any{
		"reference": ref, "manual": manual, "evidence": filing.Evidence,
	})
	r.meetDeadline(ctx, cases.DeadlineAppeal)
	r.meetDeadline(ctx, cases.DeadlineResolution)

	id = r.openTask(ctx, cases.TaskRecordAppealOutcome, RecordAppealOutcomeInput{Reference: ref, Manual: manual}, nil)
	decided, err := r.awaitTask(ctx, id)
	if err != nil {
		return "", err
	}
	outcome := cases.OutcomeAppealLost
	if decided.AppealOutcome.Won {
		outcome = cases.OutcomeAppealWon
	}
	r.record(ctx, cases.EventAppealDecided, decided.Actor, map[string]any{"won": decided.AppealOutcome.Won, "note": decided.AppealOutcome.Note})
	return outcome, nil
}
