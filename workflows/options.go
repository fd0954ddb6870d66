package workflows

import (
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/redress-hq/redress/activities"
)

// acts is only a method-value source for ExecuteActivity; the worker
// registers the real, wired Activities.
var acts *activities.Activities

// Activity options per kind of side effect.
var (
	// syncOptions: the case index must catch up eventually, so retry
	// without limit; a store outage pauses the case instead of failing it.
	syncOptions = workflow.ActivityOptions{
		StartToCloseTimeout: 15 * time.Second,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval: time.Second, BackoffCoefficient: 2, MaximumInterval: time.Minute,
		},
	}

	// notifyOptions: alerts are worth a few tries, never worth blocking a case.
	notifyOptions = workflow.ActivityOptions{
		StartToCloseTimeout: 10 * time.Second,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval: time.Second, BackoffCoefficient: 2, MaximumInterval: 30 * time.Second, MaximumAttempts: 5,
		},
	}

	// marketOptions: a bounded number of attempts, then an incident a person
	// decides about. Permanent classes are not retried at all.
	marketOptions = workflow.ActivityOptions{
		StartToCloseTimeout: 30 * time.Second,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval: time.Second, BackoffCoefficient: 2, MaximumInterval: time.Minute,
			MaximumAttempts:        marketAttempts,
			NonRetryableErrorTypes: activities.NonRetryableClasses,
		},
	}

	// unverifiableWriteOptions: one attempt for a write the platform cannot
	// read back (Amazon messages). A second automatic attempt after a lost
	// answer or a dead worker could send it twice; a person checks instead.
	unverifiableWriteOptions = workflow.ActivityOptions{
		StartToCloseTimeout: marketOptions.StartToCloseTimeout,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval: time.Second, MaximumAttempts: 1,
			NonRetryableErrorTypes: activities.NonRetryableClasses,
		},
	}

	// refundOptions: the refund activity polls the platform until the refund
	// completes, heartbeating so a lost worker is noticed within a minute.
	refundOptions = workflow.ActivityOptions{
		StartToCloseTimeout: 30 * time.Minute,
		HeartbeatTimeout:    time.Minute,
		RetryPolicy:         marketOptions.RetryPolicy,
	}

	zoneOptions = workflow.LocalActivityOptions{
		StartToCloseTimeout: 5 * time.Second,
		RetryPolicy:         &temporal.RetryPolicy{MaximumAttempts: 3, NonRetryableErrorTypes: []string{"bad_zone"}},
	}
)

// marketAttempts is how many times a marketplace call is tried before it
// becomes an incident.
const marketAttempts = 6
