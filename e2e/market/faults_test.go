package market

import (
	"testing"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/simulator"
)

// writeEndpoints match every write call of each platform (REST "METHOD
// /path" prefixes, Taobao TOP method names); reads and OAuth stay clean.
var writeEndpoints = map[cases.Marketplace][]string{
	cases.MercadoLibre: {"POST /messages/", "POST /feedback/", "POST /v1/payments/", "POST /seller-promotions/", "POST /orders/"},
	cases.Taobao:       {"taobao.traderate.explain.add", "taobao.promotion.coupon.send"},
	cases.EBay:         {"POST /commerce/", "POST /sell/"},
	cases.Amazon:       {"POST /messaging/", "POST /refunds/", "POST /fba/"},
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
	// messages, refunds, a public reply (with approval on eBay), reship and coupon.
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
	t.Logf("%d cases closed; %d public replies; %d activity attempts were retries of injected faults", len(closed), replies, retried)
}
