package workflows

import (
	"slices"

	"go.temporal.io/sdk/workflow"

	"github.com/redress-hq/redress/activities"
	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace"
)

// stepRemedyPrefix keys remedy steps: "remedy_refund" is both the incident's
// step and the middle of the idempotency key.
const stepRemedyPrefix = "remedy_"

// runRemedyStep performs one remedy step; false means a person skipped it.
// A step the platform has no API for is a manual step: the agent does it in
// the seller console and the audit names them and their reference.
func (r *caseRun) runRemedyStep(ctx workflow.Context, step cases.RemedyStep, c RemedyChoice, cost cases.Money) (bool, error) {
	rv := r.in.Review
	key := stepRemedyPrefix + string(step)
	var (
		ref    string
		ok     bool
		err    error
		by     = cases.SystemActor
		manual bool
	)
	switch step {
	case cases.StepOfferMessage:
		text := c.Message
		if text == "" {
			text, _ = r.render(cases.PurposeRemedyOffer, c.Type, r.offerAmount(c, cost))
		}
		if manual = r.byHand(ctx, stepHasAPI(r.rules, step)); manual {
			ref, by, ok, err = r.messageByHand(ctx, msgRemedyOffer, text, true, cases.DeadlineSolution)
		} else {
			ok, err = r.sendMessage(ctx, msgRemedyOffer, text, true, cases.SystemActor)
		}
		if ok {
			// The buyer now has a concrete solution.
			r.meetDeadline(ctx, cases.DeadlineSolution)
		}
	case cases.StepRefund, cases.StepShippingComp:
		reason := "refund_no_return"
		if step == cases.StepShippingComp {
			reason = "shipping_compensation"
		}
		req := marketplace.RefundRequest{
			ShopID: rv.ShopID, OrderID: rv.OrderID, Amount: r.stepAmount(step, c, cost), Currency: r.currency(), Reason: reason,
		}
		if manual = r.byHand(ctx, stepHasAPI(r.rules, step)); manual {
			ref, by, ok, err = r.remedyByHand(ctx, step, manualRefund, req.Amount, reason, "no_refund_api")
			break
		}
		var res marketplace.RefundResult
		res, ok, err = callMarket[activities.RefundInput, marketplace.RefundResult](ctx, r, marketStep[activities.RefundInput]{
			Step: key, Call: "issue_refund", Activity: acts.IssueRefund, Options: &refundOptions,
			Params: activities.RefundInput{Marketplace: rv.Marketplace, Request: req},
			WithKey: func(p activities.RefundInput, k string) activities.RefundInput {
				p.Request.IdempotencyKey = k
				return p
			},
		})
		ref = res.ID
	case cases.StepCoupon, cases.StepFreeShipping:
		amount := r.stepAmount(step, c, cost)
		if manual = r.byHand(ctx, stepHasAPI(r.rules, step)); manual {
			ref, by, ok, err = r.remedyByHand(ctx, step, manualCoupon, amount, string(step), "no_coupon_api")
			break
		}
		var res marketplace.WriteResult
		res, ok, err = callMarket[activities.CouponInput, marketplace.WriteResult](ctx, r, marketStep[activities.CouponInput]{
			Step: key, Call: "issue_coupon", Activity: acts.IssueCoupon,
			Params: activities.CouponInput{Marketplace: rv.Marketplace, Request: marketplace.CouponRequest{
				ShopID: rv.ShopID, BuyerID: rv.Buyer.ID, OrderID: rv.OrderID, Amount: amount,
				Currency: r.currency(), FreeShipping: step == cases.StepFreeShipping,
			}},
			WithKey: func(p activities.CouponInput, k string) activities.CouponInput {
				p.Request.IdempotencyKey = k
				return p
			},
		})
		ref = res.ID
	case cases.StepReship:
		if manual = r.byHand(ctx, stepHasAPI(r.rules, step)); manual {
			ref, by, ok, err = r.remedyByHand(ctx, step, manualReship, 0, "replacement for order "+rv.OrderID, "no_reship_api")
		} else {
			var res marketplace.WriteResult
			res, ok, err = callMarket[activities.ReshipInput, marketplace.WriteResult](ctx, r, marketStep[activities.ReshipInput]{
				Step: key, Call: "create_reship", Activity: acts.CreateReship,
				Params: activities.ReshipInput{Marketplace: rv.Marketplace, Request: marketplace.ReshipRequest{
					ShopID: rv.ShopID, OrderID: rv.OrderID, Note: "replacement for order " + rv.OrderID,
				}},
				WithKey: func(p activities.ReshipInput, k string) activities.ReshipInput {
					p.Request.IdempotencyKey = k
					return p
				},
			})
			ref = res.ID
		}
		if ok {
			r.meetDeadline(ctx, cases.DeadlineReship)
		}
	case cases.StepPublicApology:
		ok, err = r.publicReply(ctx, "apology")
	case cases.StepAssignAgent:
		// A person, not a platform call: recorded for the team to honour.
		ok = true
	default:
		workflow.GetLogger(ctx).Warn("unknown remedy step", "step", step)
		return false, nil
	}
	if err != nil || !ok {
		return false, err
	}
	data := map[string]any{"step": step, "ref": ref}
	if manual {
		data["manual"], data["by"] = true, by.ID
	}
	r.record(ctx, cases.EventRemedyStepDone, by, data)
	return true, nil
}

// remedyByHand runs a money or goods step as a manual step; the reship's own
// 48 h deadline is the task's when it is running.
func (r *caseRun) remedyByHand(ctx workflow.Context, step cases.RemedyStep, a manualAction, amount cases.Money, reason, why string) (string, cases.Actor, bool, error) {
	natural := cases.DeadlineKind("")
	if a == manualReship {
		natural = cases.DeadlineReship
	}
	in := ManualStepInput{Step: string(step), Reason: reason, Why: why}
	if a != manualReship {
		in.Amount, in.Currency = amount, r.currency()
	}
	done, by, err := r.manualStep(ctx, in, a, natural)
	if err != nil {
		return "", by, false, err
	}
	return done.Reference, by, true, nil
}

// stepAmount: refunds and compensation pay the remedy's cost; coupons pay
// the chosen amount, or the cost when the policy default was taken.
func (r *caseRun) stepAmount(step cases.RemedyStep, c RemedyChoice, cost cases.Money) cases.Money {
	switch step {
	case cases.StepRefund:
		if c.Type == cases.RemedyRefundNoReturn {
			return cost
		}
		amount, _ := r.orderAmounts()
		return amount
	case cases.StepCoupon:
		if c.Amount > 0 {
			return c.Amount
		}
		if c.Type == cases.RemedyReshipAndCoupon {
			amount, shipping := r.orderAmounts()
			return cost - cases.RemedyCost(cases.RemedyReship, amount, shipping, 0)
		}
		return cost
	case cases.StepFreeShipping:
		_, shipping := r.orderAmounts()
		return shipping
	}
	return cost
}

// offerAmount is the money the offer message names: the coupon's or the
// refund's share of the remedy, not its total cost.
func (r *caseRun) offerAmount(c RemedyChoice, cost cases.Money) cases.Money {
	steps := cases.RemedySteps(c.Type)
	for _, s := range []cases.RemedyStep{cases.StepCoupon, cases.StepRefund, cases.StepShippingComp} {
		if slices.Contains(steps, s) {
			return r.stepAmount(s, c, cost)
		}
	}
	return 0
}

// render fills a template for this case: the seller's own when the case
// opened with one that fits, else the shipped one.
func (r *caseRun) render(p cases.TemplatePurpose, remedy cases.RemedyType, amount cases.Money) (string, error) {
	v := cases.TemplateVars{Issue: r.view.Case.Issue, Remedy: remedy, Amount: amount, Currency: r.currency(), ShopName: r.in.Review.ShopID}
	if r.texts == nil {
		return cases.Render(p, r.in.Review.Marketplace, r.language(), v)
	}
	if r.texts.ShopName != "" {
		v.ShopName = r.texts.ShopName
	}
	text, _, err := cases.RenderWith(r.texts.Templates, p, r.in.Review.Marketplace, r.language(), v)
	return text, err
}

func (r *caseRun) orderInput() activities.OrderInput {
	rv := r.in.Review
	return activities.OrderInput{Marketplace: rv.Marketplace, ShopID: rv.ShopID, OrderID: rv.OrderID}
}
