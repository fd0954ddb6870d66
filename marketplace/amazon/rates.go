package amazon

import (
	"time"

	"github.com/redress-hq/redress/marketplace"
)

// Rate-limit buckets: SP-API limits each operation on its own, per selling
// partner, so each operation Redress calls has its bucket.
const (
	bucketMessagingActions = "getMessagingActionsForOrder"
	bucketUnexpectedProb   = "createUnexpectedProblem"
	bucketGetOrder         = "getOrder"
	bucketCreateMCF        = "createFulfillmentOrder"
	bucketGetMCF           = "getFulfillmentOrder"
	bucketCreateReport     = "createReport"
	bucketGetReport        = "getReport"
	bucketReportDocument   = "getReportDocument"
)

// DefaultRates are the models' default usage plans (rate per second, burst):
// messaging 1/5, Orders v2026-01-01 getOrder 0.5/30, MCF 2/30, createReport
// and getReportDocument 0.0167/15 (one a minute), getReport 2/15. The LWA
// token endpoint states none; DefaultBucket covers it.
var DefaultRates = map[string]marketplace.Rate{
	bucketMessagingActions:    {N: 1, Per: time.Second, Burst: 5},
	bucketUnexpectedProb:      {N: 1, Per: time.Second, Burst: 5},
	bucketGetOrder:            {N: 1, Per: 2 * time.Second, Burst: 30},
	bucketCreateMCF:           {N: 2, Per: time.Second, Burst: 30},
	bucketGetMCF:              {N: 2, Per: time.Second, Burst: 30},
	bucketCreateReport:        {N: 1, Per: time.Minute, Burst: 15},
	bucketGetReport:           {N: 2, Per: time.Second, Burst: 15},
	bucketReportDocument:      {N: 1, Per: time.Minute, Burst: 15},
	bucketSolicitationActions: {N: 1, Per: time.Second, Burst: 5}, // solicitations.go
	bucketSolicitationCreate:  {N: 1, Per: time.Second, Burst: 5},
	marketplace.DefaultBucket: {N: 1, Per: time.Second, Burst: 5},
}
