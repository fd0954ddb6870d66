package workflows

import (
	"encoding/json"

	"go.temporal.io/sdk/workflow"

	"github.com/redress-hq/redress/activities"
	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace"
)

// Message kinds, as recorded on SentMessage and in idempotency keys.
const (
	msgFirstContact = "first_contact"
	msgRemedyOffer  = "remedy_offer"
	msgFollowUp     = "follow_up"
	msgPublicReply  = "public_reply"
)

// contactBuyer reaches the buyer privately before the first-contact deadline:
// automatically where the shop and platform allow and the draft is clean,
// otherwise through a contact_buyer task with the draft ready. It reports
// whether the buyer was reached.
func (r *caseRun) contactBuyer(ctx workflow.Context) (bool, error) {
	r.setStage(ctx, cases.StageContact)
	r.startDeadline(ctx, cases.DeadlineFirstContact, workflow.Now(ctx), r.sla.FirstContact)
	if pc := r.awaitPriorContact(ctx); pc != nil {
		return r.countPriorContact(ctx, *pc), nil
	}
	draft, renderErr := r.render(cases.PurposeFirstContact, "", 0)
	if r.byHand(ctx, r.rules.MessageAPI) {
		return r.contactByHand(ctx, draft)
	}

	elig, eligOK, err := callMarket[activities.OrderInput, marketplace.Eligibility](ctx, r, marketStep[activities.OrderInput]{
		Step: "message_eligibility", Call: "message_eligibility", Activity: acts.MessageEligibility,
		Params: r.orderInput(),
	})
	if err != nil {
		return false, err
	}
	reason := ""
	var violations []cases.Violation
	switch {
	case !eligOK:
		reason = "eligibility_unknown"
	case !elig.Allowed:
		reason = "not_eligible: " + elig.Reason
	case !r.settings.AutoContact:
		reason = "auto_contact_off"
	case !r.rules.AutoMessageAllowed:
		reason = "platform_requires_person"
	case renderErr != nil:
		reason = "no_template: " + renderErr.Error()
	default:
		v := r.verdict(ctx, cases.TextMessage, draft, false)
		if violations = v.Violations; len(violations) > 0 {
			reason = "draft_blocked_by_guard"
			r.record(ctx, cases.EventMessageBlocked, cases.SystemActor, map[string]any{"kind": msgFirstContact, "violations": violations})
		} else if doubts := r.managerDoubts(ctx, v, cases.SystemActor); len(doubts) > 0 {
			reason = doubtReason(doubts)
		}
	}
	if reason == "" {
		sent, err := r.sendMessage(ctx, msgFirstContact, draft, false, cases.SystemActor)
		if err != nil || sent {
			return r.contacted(ctx, sent), err
		}
		reason = "automatic_send_skipped"
	}

	maxChars := r.rules.MessageMaxChars
	if eligOK && elig.MaxChars > 0 {
		maxChars = elig.MaxChars
	}
	input := ContactTaskInput{
		Draft: draft, MaxChars: maxChars, Charset: r.rules.MessageCharset, Reason: reason,
		Evidence: r.evidence, ForbidReview: r.rules.ForbidsReviewChangeRequest,
	}
	id := r.openTask(ctx, cases.TaskContactBuyer, input, r.dueOf(cases.DeadlineFirstContact))
	for {
		if err := r.sync(ctx); err != nil {
			return false, err
		}
		// A malicious verdict meanwhile ends the wait: that buyer is not contacted.
		malicious := func() bool { return r.view.Case.Responsibility == cases.RespMaliciousBuyer }
		answered := func() bool { _, ok := r.taskResults[id]; return ok || malicious() }
		rested := r.atRest(answered)
		err := workflow.Await(ctx, answered)
		rested()
		if err != nil {
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
		// An agent's message the guard is unsure about goes to a manager, who
		// sends it as it is, edited, or rewritten.
		if doubts := r.doubtsForAManager(ctx, cases.TextMessage, done.Contact.Message, false, done.Actor); len(doubts) > 0 {
			input.Draft, input.Reason, input.GuardDoubts = done.Contact.Message, doubtReason(doubts), doubts
			id = r.openTask(ctx, cases.TaskContactBuyer, input, r.dueOf(cases.DeadlineFirstContact)) // a manager's task: it has doubts
			continue
		}
		sent, err := r.sendMessage(ctx, msgFirstContact, done.Contact.Message, false, done.Actor)
		return r.contacted(ctx, sent), err
	}
}

// contacted records the first contact, which meets its deadline.
func (r *caseRun) contacted(ctx workflow.Context, sent bool) bool {
	if !sent {
		return false
	}
	r.firstContactAt = timePtr(workflow.Now(ctx))
	r.meetDeadline(ctx, cases.DeadlineFirstContact)
	r.setStage(ctx, cases.StageAwaitingReply)
	return true
}

// sendMessage sends one private message through the incident-aware call.
// It reports false when a person chose to skip the send.
func (r *caseRun) sendMessage(ctx workflow.Context, kind, text string, offersRemedy bool, by cases.Actor) (bool, error) {
	rv := r.in.Review
	in := activities.MessageInput{
		Marketplace: rv.Marketplace, Guard: r.guardContext(offersRemedy),
		Request: marketplace.MessageRequest{ShopID: rv.ShopID, OrderID: rv.OrderID, BuyerID: rv.Buyer.ID, Text: text, Language: r.language()},
	}
	res, ok, err := callMarket[activities.MessageInput, marketplace.WriteResult](ctx, r, marketStep[activities.MessageInput]{
		Step: "message_" + kind, Call: "send_buyer_message", Activity: acts.SendBuyerMessage, Params: in,
		Unverifiable: !r.rules.MessageReadBack,
		WithKey: func(p activities.MessageInput, key string) activities.MessageInput {
			p.Request.IdempotencyKey = key
			return p
		},
		Check: func(p activities.MessageInput) error {
			return r.guardText(cases.TextMessage, p.Request.Text, offersRemedy)
		},
	})
	if err != nil || !ok {
		return false, err
	}
	text = r.incidentText(kind, text)
	r.record(ctx, cases.EventMessageSent, by, map[string]any{"kind": kind, "ref": res.ID, "replayed": res.Replayed, "chars": len([]rune(text)), "text": text})
	return true, nil
}

// incidentText is the text actually sent: a retry may have corrected it.
func (r *caseRun) incidentText(kind, text string) string {
	inc := r.incident(r.in.CaseID + "-message_" + kind)
	if inc == nil || len(inc.Params) == 0 {
		return text
	}
	var p activities.MessageInput
	if json.Unmarshal(inc.Params, &p) == nil && p.Request.Text != "" {
		return p.Request.Text
	}
	return text
}
