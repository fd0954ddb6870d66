package market

import (
	"fmt"
	"testing"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/internal/testenv"
	"github.com/redress-hq/redress/simulator"
)

// writeEndpoints match every write call the connectors make on each platform
// (REST "METHOD /path" prefixes, Taobao TOP method names); reads and OAuth
// stay clean. Steps a platform has no API for (cases.PlatformRules) call
// nothing: Mercado Libre coupons and reships, Taobao chat, refunds and
// reships, eBay reships and Amazon refunds are manual steps.
var writeEndpoints = map[cases.Marketplace][]string{
	cases.MercadoLibre: {"POST /messages/", "POST /feedback/", "POST /v1/payments/"},
	cases.Taobao:       {"taobao.traderate.explain.add", "taobao.promotion.coupon.send"},
	cases.EBay:         {"POST /commerce/", "POST /sell/"},
	cases.Amazon:       {"POST /messaging/", "POST /fba/"},
}

// With about 30 % of every write failing (5xx, 429 with Retry-After, and
// writes applied whose answer is lost), cases on all four platforms, driven
// by a scripted agent through the API, all reach an outcome (incidents on
// the way are retried) and no side effect happens twice.
func TestFaultInjectionNoDuplicateSideEffects(t *testing.T) {
	spec := simulator.FaultSpec{ServerErrorRate: 0.1, RateLimitRate: 0.1, RetryAfterSeconds: 1, AmbiguousRate: 0.1}
	for m, patterns := range writeEndpoints {
		for _, p := range patterns {
			s := spec
			if m == cases.Amazon && p == "POST /messaging/" {
				// A lost Amazon message answer becomes an incident a person must
				// check on the platform (TestAmazonAmbiguousMessageIsNotResent);
				// the scripted agent here only retries, so keep 5xx and 429s.
				s.ServerErrorRate += s.AmbiguousRate
				s.AmbiguousRate = 0
			}
			stack.Simulator.SetFaults(m, p, s)
		}
	}
	t.Cleanup(stack.Simulator.ClearFaults)

	// Each platform's cases take remedies that between them call every write:
	// messages, refunds, a public reply (with approval on eBay), reship and
	// coupon; where the platform has no API for a step, the scripted agent
	// does it by hand and confirms it with a reference.
	remedyPlan := []cases.RemedyType{cases.RemedyRefundNoReturn, cases.RemedyApology, cases.RemedyReshipAndCoupon}
	var reviews []simReview
	remedies := map[string]cases.RemedyType{}
	for _, m := range cases.Marketplaces {
		for _, remedy := range remedyPlan {
			r := addReview(t, m, 1, qualityComplaints[m])
			if m == cases.Amazon {
				postReview(t, r) // Amazon sends no review notifications
			}
			reviews = append(reviews, r)
			remedies[r.CaseID()] = remedy
		}
	}
	pullTMC(t, cases.Taobao) // Taobao's reviews reach Redress through the shop poll's TMC pull
	for _, r := range reviews {
		waitCase(t, r.CaseID(), func(testenv.CaseView) bool { return true })
	}

	closed := driveAll(t, remedies)
	for _, r := range reviews {
		if v, ok := closed[r.CaseID()]; ok && v.Case.Outcome == "" {
			t.Errorf("case %s closed without an outcome: %+v", r.CaseID(), v.Case)
		}
		if n := len(ledgerOf(r.Platform, r.OrderID, simulator.LedgerRefund)); n > 1 {
			t.Errorf("refunds on %s order %s: %d", r.Platform, r.OrderID, n)
		}
		if n := repliesTo(r); n > 1 {
			t.Errorf("public replies to %s review %s: %d", r.Platform, r.ReviewID, n)
		}
	}

	manual := map[cases.Marketplace]int{}
	for _, r := range reviews {
		if _, ok := closed[r.CaseID()]; ok {
			manual[r.Platform] += checkStepsDone(t, r)
		}
	}
	// The plan's refunds and reships: Amazon refunds, eBay reships, Mercado
	// Libre reships and coupons, and Taobao refunds and reships are by hand.
	for _, m := range cases.Marketplaces {
		if manual[m] == 0 {
			t.Errorf("no remedy step on %s was done by hand: the plan did not exercise manual steps", m)
		}
	}

	noDuplicates(t)
	retried := 0
	for _, r := range reviews {
		retried += retriedActivities(t, r.CaseID())
	}
	if retried == 0 {
		t.Error("no activity was retried: the injected faults never fired")
	}
	replies := 0
	for _, r := range reviews {
		replies += repliesTo(r)
	}
	if replies == 0 {
		t.Error("no public reply was posted: the plan's apologies did not exercise replies")
	}
	t.Logf("%d cases closed; %d public replies; %d activity attempts were retries of injected faults; remedy steps by hand: %v",
		len(closed), replies, retried, manual)
}

// checkStepsDone checks the case's remedy_step_done events against the
// platform's API: a step the platform has no API for is on record as done by
// hand (manual: true) with the reference the scripted agent confirmed it
// with; any other step as done through the connector. It returns how many
// steps were done by hand.
func checkStepsDone(t *testing.T, r simReview) int {
	t.Helper()
	rules := cases.RulesFor(r.Platform)
	refs := refsOf(r.CaseID())
	n := 0
	for _, d := range eventData(t, r.CaseID(), cases.EventRemedyStepDone) {
		if d["skipped"] == true {
			continue
		}
		step := cases.RemedyStep(fmt.Sprint(d["step"]))
		byHand := !stepHasAPI(rules, step)
		switch {
		case byHand && d["manual"] != true:
			t.Errorf("%s case %s: step %s has no platform API but is not on record as manual: %v", r.Platform, r.CaseID(), step, d)
		case byHand && !refs.has(fmt.Sprint(d["ref"])):
			t.Errorf("%s case %s: manual step %s names reference %v, not the one the agent confirmed", r.Platform, r.CaseID(), step, d["ref"])
		case byHand && d["by"] == nil:
			t.Errorf("%s case %s: manual step %s names nobody: %v", r.Platform, r.CaseID(), step, d)
		case !byHand && d["manual"] == true:
			t.Errorf("%s case %s: step %s has a platform API but was done by hand: %v", r.Platform, r.CaseID(), step, d)
		}
		if byHand {
			n++
		}
	}
	return n
}

// stepHasAPI: which of cases.PlatformRules' API flags a remedy step needs.
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
