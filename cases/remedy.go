package cases

import (
	"errors"
	"fmt"
	"slices"
)

// RemedyStep is one thing executing a remedy does on the marketplace.
type RemedyStep string

const (
	StepOfferMessage  RemedyStep = "offer_message" // always first: message before refund (ML rule)
	StepReship        RemedyStep = "reship"
	StepRefund        RemedyStep = "refund"
	StepCoupon        RemedyStep = "coupon"
	StepFreeShipping  RemedyStep = "free_shipping_coupon"
	StepShippingComp  RemedyStep = "shipping_compensation" // paid as a partial refund
	StepPublicApology RemedyStep = "public_apology"
	StepAssignAgent   RemedyStep = "assign_dedicated_agent"
)

// RemedyOption is one remedy an agent may choose for an order.
type RemedyOption struct {
	Type        RemedyType   `json:"type"`
	Label       string       `json:"label"`
	DefaultCost Money        `json:"default_cost"` // for this order
	Steps       []RemedyStep `json:"steps"`        // what execution does, in order
}

// Errors ValidateRemedy wraps, so callers can tell a bad choice from a bug.
var (
	ErrRemedyNotOffered  = errors.New("remedy not offered for this case")
	ErrRemedyAmount      = errors.New("remedy amount out of range")
	ErrRemedyUnsupported = errors.New("marketplace cannot execute this remedy")
)

// remedyTable is the playbook's table (Taobao seed, section 三): the remedies
// for each issue, in the order the playbook lists them. Apology is allowed
// for every issue, so it closes every list.
var remedyTable = map[Issue][]RemedyType{
	IssueQuality:               {RemedyReship, RemedyRefundNoReturn, RemedyReshipAndCoupon, RemedyApology},
	IssueDamagedOrLost:         {RemedyReship, RemedyRefundNoReturn, RemedyReshipAndCoupon, RemedyApology},
	IssueNotAsDescribed:        {RemedyReship, RemedyRefundNoReturn, RemedyReshipAndCoupon, RemedyApology},
	IssueLogisticsDelay:        {RemedyShippingCompensation, RemedyCoupon, RemedyFreeShippingNext, RemedyApology},
	IssueServiceAttitude:       {RemedyApology, RemedyDedicatedAgent, RemedyCoupon},
	IssueBuyerMisunderstanding: {RemedyUsageGuide, RemedyAfterSalesGuidance, RemedySmallCoupon, RemedyApology},
	// A suspected malicious review whose verification did not confirm it:
	// only an apology until an agent reclassifies the real issue.
	IssueSuspectedMalicious: {RemedyApology},
}

var remedyLabels = map[RemedyType]string{
	RemedyReship:               "Reship within 48 h, shipping paid by the shop",
	RemedyRefundNoReturn:       "Full refund, the buyer keeps the item",
	RemedyReshipAndCoupon:      "Reship plus a coupon",
	RemedyShippingCompensation: "Compensation of 1.5 × the shipping fee",
	RemedyCoupon:               "Coupon of at least 10 % of the order value",
	RemedyFreeShippingNext:     "Free shipping on the next order",
	RemedyApology:              "Sincere apology, private and public",
	RemedyDedicatedAgent:       "A dedicated agent for future orders",
	RemedyUsageGuide:           "Detailed usage guide",
	RemedyAfterSalesGuidance:   "After-sales guidance (free exchange if unsuitable)",
	RemedySmallCoupon:          "Small coupon (at most 5 % of the order value)",
}

var remedySteps = map[RemedyType][]RemedyStep{
	RemedyReship:               {StepOfferMessage, StepReship},
	RemedyRefundNoReturn:       {StepOfferMessage, StepRefund},
	RemedyReshipAndCoupon:      {StepOfferMessage, StepReship, StepCoupon},
	RemedyShippingCompensation: {StepOfferMessage, StepShippingComp},
	RemedyCoupon:               {StepOfferMessage, StepCoupon},
	RemedyFreeShippingNext:     {StepOfferMessage, StepFreeShipping},
	RemedyApology:              {StepOfferMessage, StepPublicApology},
	RemedyDedicatedAgent:       {StepOfferMessage, StepAssignAgent},
	RemedyUsageGuide:           {StepOfferMessage},
	RemedyAfterSalesGuidance:   {StepOfferMessage},
	RemedySmallCoupon:          {StepOfferMessage, StepCoupon},
}

// RemedySteps returns the execution steps of a remedy type, the offer
// message always first (a Mercado Libre refund closes the conversation).
// Unknown types have no steps.
func RemedySteps(t RemedyType) []RemedyStep {
	return slices.Clone(remedySteps[t])
}

// offeredRemedies is the playbook's list for the issue and the verified
// responsibility. A confirmed malicious buyer gets nothing: the shop appeals
// instead (the seed warns that blind compensation feeds extortion). A buyer
// who misunderstood gets the misunderstanding remedies whatever the review
// claimed.
func offeredRemedies(issue Issue, resp Responsibility) []RemedyType {
	switch resp {
	case RespMaliciousBuyer:
		return nil
	case RespBuyerMisunderstanding:
		return remedyTable[IssueBuyerMisunderstanding]
	}
	return remedyTable[issue]
}

// platformCan reports whether the marketplace can execute every step of t.
func platformCan(rules PlatformRules, t RemedyType) bool {
	for _, s := range remedySteps[t] {
		switch s {
		case StepRefund, StepShippingComp:
			if !rules.Refunds {
				return false
			}
		case StepCoupon, StepFreeShipping:
			if !rules.Coupons {
				return false
			}
		case StepReship:
			if !rules.Reships {
				return false
			}
		}
	}
	return true
}

// stepsOn drops the public apology where the marketplace has no public
// reply channel (Amazon): the private apology still goes out.
func stepsOn(rules PlatformRules, t RemedyType) []RemedyStep {
	steps := RemedySteps(t)
	if !rules.PublicReply {
		steps = slices.DeleteFunc(steps, func(s RemedyStep) bool { return s == StepPublicApology })
	}
	return steps
}

// RemedyOptions lists the remedies matched to the issue (and responsibility)
// for this order, in playbook order, without what the platform cannot do.
func RemedyOptions(issue Issue, resp Responsibility, rules PlatformRules, orderAmount, shippingFee Money) []RemedyOption {
	out := []RemedyOption{}
	for _, t := range offeredRemedies(issue, resp) {
		if !platformCan(rules, t) {
			continue
		}
		out = append(out, RemedyOption{
			Type:        t,
			Label:       remedyLabels[t],
			DefaultCost: RemedyCost(t, orderAmount, shippingFee, 0),
			Steps:       stepsOn(rules, t),
		})
	}
	return out
}

// minorUnit is one whole currency unit (1 real, 1 peso, 1 yuan) in minor units.
const minorUnit Money = 100

// couponMin is the playbook's floor for a coupon: 10 % of the order value,
// rounded up so the coupon is never below 10 %.
func couponMin(orderAmount Money) Money { return ceilRatio(orderAmount, 10, 100) }

// smallCouponMax is the playbook's ceiling for a small coupon: 5 %, rounded
// down so it never exceeds 5 %.
func smallCouponMax(orderAmount Money) Money { return Money(int64(orderAmount) * 5 / 100) }

// reshipCouponDefault is the coupon added to a reship: 10 %, at least one
// unit (the seed's fixed "10 元优惠券" scaled to the order).
func reshipCouponDefault(orderAmount Money) Money { return max(couponMin(orderAmount), minorUnit) }

// shippingCompensation is 1.5 × the shipping fee, rounded half up.
func shippingCompensation(shippingFee Money) Money { return shippingFee.MulRatio(3, 2) }

func ceilRatio(m Money, num, den int64) Money {
	v := int64(m) * num
	q := v / den
	if v%den > 0 {
		q++
	}
	return Money(q)
}

// RemedyCost returns what the remedy costs the shop for this order, given an
// optional chosen amount (0 = default). The chosen amount only applies to
// remedies with a variable amount (coupon, small coupon, the coupon part of
// reship_and_coupon); ValidateRemedy decides whether it is allowed.
func RemedyCost(t RemedyType, orderAmount, shippingFee, chosen Money) Money {
	pick := func(def Money) Money {
		if chosen > 0 {
			return chosen
		}
		return def
	}
	switch t {
	case RemedyReship:
		return orderAmount + shippingFee
	case RemedyRefundNoReturn:
		return orderAmount
	case RemedyReshipAndCoupon:
		return orderAmount + shippingFee + pick(reshipCouponDefault(orderAmount))
	case RemedyShippingCompensation:
		return shippingCompensation(shippingFee)
	case RemedyCoupon:
		return pick(couponMin(orderAmount))
	case RemedySmallCoupon:
		return pick(smallCouponMax(orderAmount))
	case RemedyFreeShippingNext:
		return shippingFee
	}
	return 0 // apology, usage guide, after-sales guidance, dedicated agent
}

// ValidateRemedy explains why a choice is not allowed (nil when allowed).
// chosen is the agent's amount for variable remedies (0 = default); fixed
// remedies accept only 0 or their exact default.
func ValidateRemedy(issue Issue, resp Responsibility, rules PlatformRules, t RemedyType, chosen, orderAmount, shippingFee Money) error {
	if chosen < 0 || orderAmount < 0 || shippingFee < 0 {
		return fmt.Errorf("%w: amounts must not be negative (chosen %s, order %s, shipping %s)",
			ErrRemedyAmount, chosen, orderAmount, shippingFee)
	}
	if _, known := remedySteps[t]; !known {
		return fmt.Errorf("%w: unknown remedy %q", ErrRemedyNotOffered, t)
	}
	if !slices.Contains(offeredRemedies(issue, resp), t) {
		if resp == RespMaliciousBuyer {
			return fmt.Errorf("%w: no compensation for a confirmed malicious buyer; appeal instead", ErrRemedyNotOffered)
		}
		return fmt.Errorf("%w: %s is not a remedy for %s (responsibility %q)", ErrRemedyNotOffered, t, issue, resp)
	}
	if !platformCan(rules, t) {
		return fmt.Errorf("%w: %s cannot execute %s", ErrRemedyUnsupported, rules.Marketplace, t)
	}
	if chosen == 0 {
		return nil
	}
	switch t {
	case RemedyCoupon:
		if lo := couponMin(orderAmount); chosen < lo || chosen > orderAmount {
			return fmt.Errorf("%w: coupon must be between %s (10 %% of the order) and %s (the order value), got %s",
				ErrRemedyAmount, lo, orderAmount, chosen)
		}
	case RemedyReshipAndCoupon:
		if lo := couponMin(orderAmount); chosen < lo || chosen > orderAmount {
			return fmt.Errorf("%w: the coupon of a reship must be between %s and %s, got %s",
				ErrRemedyAmount, lo, orderAmount, chosen)
		}
	case RemedySmallCoupon:
		if hi := smallCouponMax(orderAmount); chosen > hi {
			return fmt.Errorf("%w: a small coupon is at most %s (5 %% of the order), got %s", ErrRemedyAmount, hi, chosen)
		}
	default:
		if def := RemedyCost(t, orderAmount, shippingFee, 0); chosen != def {
			return fmt.Errorf("%w: %s has a fixed amount of %s, got %s", ErrRemedyAmount, t, def, chosen)
		}
	}
	return nil
}

// NeedsApproval reports whether a remedy's cost is above the shop's limit and
// so needs a manager. A zero limit means every remedy that costs money does.
func NeedsApproval(cost, limit Money) bool { return cost > limit }
