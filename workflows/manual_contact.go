package workflows

import (
	"go.temporal.io/sdk/workflow"

	"github.com/redress-hq/redress/cases"
)

// contactByHand is first contact where the platform has no message API
// (Taobao's chat is not in TOP): a contact_buyer task with the draft and the
// console path; the agent sends it there (a reference is optional here).
// No connector call is made, so no eligibility read either.
func (r *caseRun) contactByHand(ctx workflow.Context, draft string) (bool, error) {
	rv := r.in.Review
	console, ref := consoleSteps(rv.Marketplace, manualMessage, consoleVars{Order: rv.OrderID, Buyer: rv.Buyer.ID})
	input := ContactTaskInput{
		Draft: draft, MaxChars: r.rules.MessageMaxChars, Charset: r.rules.MessageCharset, Reason: "no_message_api",
		Evidence: r.evidence, ForbidReview: r.rules.ForbidsReviewChangeRequest,
		Manual: true, Console: console, Reference: ref,
	}
	// A draft the guard is unsure about is sent by hand by a manager; an
	// agent's own text with doubts is refused on completion (validators.go),
	// since a text sent by hand cannot wait for an approval afterwards.
	if draft != "" {
		if doubts := r.byHandDoubts(ctx, r.verdict(ctx, cases.TextMessage, draft, false), cases.SystemActor); len(doubts) > 0 {
			input.Reason, input.GuardDoubts = doubtReason(doubts), doubts
		}
	}
	id := r.openTask(ctx, cases.TaskContactBuyer, input, r.dueOf(cases.DeadlineFirstContact))
	if err := r.sync(ctx); err != nil {
		return false, err
	}
	// A malicious verdict meanwhile ends the wait: that buyer is not contacted.
	malicious := func() bool { return r.view.Case.Responsibility == cases.RespMaliciousBuyer }
	answered := func() bool { _, ok := r.taskResults[id]; return ok || malicious() }
	defer r.atRest(answered)()
	if err := workflow.Await(ctx, answered); err != nil {
		return false, err
	}
	done, ok := r.taskResults[id]
	if !ok {
		r.cancelTask(ctx, id, cases.SystemActor, "malicious_buyer")
		return false, nil
	}
	if done.Contact.SentOutside {
		r.record(ctx, cases.EventMessageSent, done.Actor, map[string]any{"kind": msgFirstContact, "outside_redress": true, "text": done.Contact.Message})
		return r.contacted(ctx, true), nil
	}
	r.recordManualMessage(ctx, msgFirstContact, done.Contact.Message, done.Contact.Reference, done.Actor)
	return r.contacted(ctx, true), nil
}
