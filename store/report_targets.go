package store

import "github.com/redress-hq/redress/cases"

// remedyTargets are the playbook's seed targets for the share of closed
// cases whose review improves (revised or removed), keyed by issue. Suspected
// malicious reviews have none: they are appealed, not remedied.
var remedyTargets = map[cases.Issue]float64{
	cases.IssueQuality:               0.80,
	cases.IssueDamagedOrLost:         0.80,
	cases.IssueNotAsDescribed:        0.80,
	cases.IssueLogisticsDelay:        0.75,
	cases.IssueServiceAttitude:       0.90,
	cases.IssueBuyerMisunderstanding: 0.60,
}

// CourierRateThreshold is the monthly bad-review rate above which a courier
// is flagged; three flagged months in a row suggest switching couriers.
const CourierRateThreshold = 0.20

// courierStreakMonths is how many flagged months in a row suggest a switch.
const courierStreakMonths = 3
