package workflows

import (
	"fmt"
	"strings"
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/redress-hq/redress/cases"
)

// changeManualSteps: a step the platform's public API cannot do becomes a
// manual_step task instead of a connector call that fails into an incident.
const changeManualSteps = "manual-steps-without-platform-api"

// manualStepSLA is how long the agent has for a manual step that no
// playbook deadline already covers.
const manualStepSLA = 24 * time.Hour

// maxReferenceChars bounds the reference an agent confirms a step with.
const maxReferenceChars = 200

// byHand reports whether a step the platform has no API for (hasAPI false)
// is done by a person. Cases that reached the step before this change keep
// calling the connector.
func (r *caseRun) byHand(ctx workflow.Context, hasAPI bool) bool {
	return !hasAPI && r.version(ctx, changeManualSteps) == 1
}

// stepHasAPI reports whether the platform's API can perform a remedy step.
func stepHasAPI(rules cases.PlatformRules, step cases.RemedyStep) bool {
	switch step {
	case cases.StepOfferMessage:
		return rules.MessageAPI
	case cases.StepRefund, cases.StepShippingComp:
		return rules.RefundAPI
	case cases.StepCoupon, cases.StepFreeShipping:
		return rules.CouponAPI
	case cases.StepReship:
		return rules.ReshipAPI
	}
	return true
}

// manualStep opens a manual_step task with the console path for the step and
// waits until the agent confirms it with a reference. The task is due by the
// playbook's own deadline for the step when one is running (natural: the
// solution for the offer, the reship for a reship), else by its own
// manual_<step> deadline; either is reminded at 80 % and breached like any.
func (r *caseRun) manualStep(ctx workflow.Context, in ManualStepInput, a manualAction, natural cases.DeadlineKind) (ManualStepDone, cases.Actor, error) {
	rv := r.in.Review
	in.Action, in.Marketplace, in.OrderID = string(a), rv.Marketplace, rv.OrderID
	in.Console, in.Reference = consoleSteps(rv.Marketplace, a, consoleVars{
		Order: rv.OrderID, Buyer: rv.Buyer.ID, Currency: in.Currency, Reason: in.Reason, Amount: in.Amount,
	})
	kind := natural
	if kind == "" || !r.deadlinePending(kind) {
		kind = cases.DeadlineKind("manual_" + in.Step)
		r.startDeadline(ctx, kind, workflow.Now(ctx), manualStepSLA)
	}
	id := r.openTask(ctx, cases.TaskManualStep, in, r.dueOf(kind))
	done, err := r.awaitTask(ctx, id)
	if err != nil {
		return ManualStepDone{}, cases.Actor{}, err
	}
	r.meetDeadline(ctx, kind)
	return *done.ManualStep, done.Actor, nil
}

// messageByHand has the agent send a message in the seller console where the
// platform has no message API. The text passes the guard first; a refused
// text is on record and not sent (ok false), as on the automatic path.
func (r *caseRun) messageByHand(ctx workflow.Context, kind, text string, offersRemedy bool, natural cases.DeadlineKind) (ref string, by cases.Actor, ok bool, err error) {
	v := r.verdict(ctx, cases.TextMessage, text, offersRemedy)
	if vs := v.Violations; len(vs) > 0 {
		r.record(ctx, cases.EventMessageBlocked, cases.SystemActor, map[string]any{"kind": kind, "violations": vs, "manual": true})
		return "", cases.SystemActor, false, nil
	}
	in := ManualStepInput{Step: kind, Text: text, Why: "no_message_api"}
	// A text the guard is unsure about is sent by hand by a manager (an
	// offer message's doubts were already read by a manager in approve_remedy).
	if kind != msgRemedyOffer {
		in.GuardDoubts = r.byHandDoubts(ctx, v, cases.SystemActor)
	}
	done, by, err := r.manualStep(ctx, in, manualMessage, natural)
	if err != nil {
		return "", by, false, err
	}
	r.recordManualMessage(ctx, kind, text, done.Reference, by)
	return done.Reference, by, true, nil
}

// recordManualMessage puts a message a person sent in the console on record.
func (r *caseRun) recordManualMessage(ctx workflow.Context, kind, text, ref string, by cases.Actor) {
	r.record(ctx, cases.EventMessageSent, by, map[string]any{"kind": kind, "manual": true, "ref": ref, "chars": len([]rune(text)), "text": text})
}

// checkReference: a manual step is confirmed with the platform's proof.
func checkReference(ref string) error {
	switch n := len([]rune(strings.TrimSpace(ref))); {
	case n == 0:
		return reject(CodeWrongPayload, "reference is required: the refund id, message confirmation, coupon code or tracking number")
	case n > maxReferenceChars:
		return reject(CodeWrongPayload, fmt.Sprintf("reference must be at most %d characters, got %d", maxReferenceChars, n))
	}
	return nil
}

// followUpByHand sends the follow-up through a manual step where the
// platform has no message API; without a template it is on record as blocked.
func (r *caseRun) followUpByHand(ctx workflow.Context, text string, renderErr error) error {
	if renderErr != nil {
		r.record(ctx, cases.EventMessageBlocked, cases.SystemActor, map[string]any{"kind": msgFollowUp, "reason": "no_template: " + renderErr.Error()})
		return nil
	}
	_, by, ok, err := r.messageByHand(ctx, msgFollowUp, text, false, "")
	if ok {
		r.record(ctx, cases.EventFollowUpSent, by, map[string]any{"manual": true})
	}
	return err
}
