package workflows

import (
	"fmt"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/redress-hq/redress/cases"
)

// CaseWorkflow drives one bad review through the seller's playbook, from the
// alert to the outcome. It never fails on a marketplace error (those become
// incidents a person resolves) and closes with an explicit outcome on every
// path, including a manager closing it early.
func CaseWorkflow(ctx workflow.Context, in CaseInput) (CaseResult, error) {
	if err := in.validate(); err != nil {
		return CaseResult{}, temporal.NewNonRetryableApplicationError(err.Error(), CodeWrongPayload, err)
	}
	r := newCaseRun(ctx, in)
	// Events, not rows: the case ships its new events alone (the store folds
	// them), syncs only where someone waits and upserts no search attributes.
	// Version 2: no index write at open (the first wait writes it), none
	// before the review check, one deadline timer loop instead of a
	// watcher per deadline, the zone read only where business hours count.
	// Version 3: a handler or coroutine writes the index only while the
	// playbook rests on a wait its change does not end (every wait is
	// tracked); while the playbook runs, its next wait writes it.
	// Version 4: the index mirror, the alerts and the prior-contact read
	// are local activities (no activity task, no payload in history).
	// Version 5: a case started with ShopAtOpen reads its shop's policy and
	// texts itself when it opens, off the intake's HTTP path.
	// Version 6: the index mirror is an activity again (alerts and reads
	// stay local): a local activity writes case_events from a workflow task
	// that may never commit, and the retried task can take another path.
	// Version 7: the index mirror is a local activity again, fenced by its
	// workflow task, except in a task that ran an update (see sync).
	v := workflow.GetVersion(ctx, changeEventsNotRows, workflow.DefaultVersion, 7)
	r.mirror = v
	r.shopAtOpen = v >= 5 && in.ShopAtOpen
	timersCtx, stopTimers := workflow.WithCancel(ctx)
	r.timersCtx = timersCtx
	playCtx, cancelPlaybook := workflow.WithCancel(ctx)
	r.cancelPlaybook = cancelPlaybook
	if err := r.registerHandlers(ctx); err != nil {
		return CaseResult{}, fmt.Errorf("register handlers: %w", err)
	}

	outcome, err := r.playbook(playCtx)
	actor, reason := cases.SystemActor, ""
	switch {
	case r.closeReq != nil:
		outcome, actor, reason, err = cases.OutcomeClosedByManager, r.closeReq.Actor, r.closeReq.Reason, nil
		if r.closeReq.Erasure {
			outcome = cases.OutcomeErased
		}
	case r.reviewEnd != "" && (err == nil || temporal.IsCanceledError(err)):
		// The buyer revised or removed the review (review-changed signal).
		outcome, reason, err = r.reviewEnd, "review "+string(r.reviewEnd)+" on the platform", nil
	case temporal.IsCanceledError(err):
		// Cancelled from outside (temporal workflow cancel): still close the
		// case in the index, then report the cancellation.
		outcome, reason = cases.OutcomeClosedByManager, "workflow cancelled"
	case err != nil:
		return CaseResult{}, err
	}
	// Closing must finish even though the playbook's context is cancelled.
	closeCtx, _ := workflow.NewDisconnectedContext(ctx)
	if err := r.close(closeCtx, outcome, actor, reason); err != nil {
		return CaseResult{}, err
	}
	stopTimers()
	if err != nil {
		return CaseResult{}, err
	}
	if err := workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) }); err != nil {
		return CaseResult{}, err
	}
	if caseEnded != nil {
		caseEnded(r)
	}
	return CaseResult{CaseID: in.CaseID, Outcome: outcome, Breached: r.view.Case.Breached}, nil
}

// changeEventsNotRows: see workflows/VERSIONING.md.
const changeEventsNotRows = "events-not-rows"

// version is GetVersion for a change made before events-not-rows. A case on
// events-not-rows started after every one of them, so it is on their newest
// version without asking — and without the marker and the change-version
// search-attribute upsert each first GetVersion adds to its history. Changes
// after events-not-rows call workflow.GetVersion themselves.
func (r *caseRun) version(ctx workflow.Context, changeID string) workflow.Version {
	if r.mirror >= 1 {
		return 1
	}
	return workflow.GetVersion(ctx, changeID, workflow.DefaultVersion, 1)
}

// playbook is the seller's playbook, step by step. It returns the outcome;
// an error only when the case is being closed underneath it.
func (r *caseRun) playbook(ctx workflow.Context) (cases.Outcome, error) {
	// The seller hears first, the index second (cases started before this
	// change synced the index before alerting).
	alertFirst := r.version(ctx, "alert-before-first-sync") == 1
	if err := r.intake(ctx, !alertFirst); err != nil {
		return "", err
	}
	r.alertSeller(ctx)
	if alertFirst && r.mirror < 2 {
		if err := r.sync(ctx); err != nil {
			return "", err
		}
	}
	r.gatherEvidence(ctx) // in parallel: a slow evidence call must not delay first contact

	if r.view.Case.Issue == cases.IssueSuspectedMalicious {
		// Verification first: a confirmed malicious buyer is appealed
		// against, never contacted or compensated.
		if _, err := r.verify(ctx); err != nil {
			return "", err
		}
		if r.view.Case.Responsibility == cases.RespMaliciousBuyer {
			return r.appeal(ctx)
		}
	}
	contacted, err := r.contactBuyer(ctx)
	if err != nil {
		return "", err
	}

	reply, err := r.awaitReply(ctx, contacted)
	if err != nil {
		return "", err
	}
	if reply == verdictMalicious {
		return r.appeal(ctx)
	}
	if reply == noReply {
		if _, err := r.publicReply(ctx, whyNoPrivateAnswer); err != nil {
			return "", err
		}
		if reply, err = r.awaitLateReply(ctx); err != nil {
			return "", err
		}
		switch reply {
		case verdictMalicious:
			return r.appeal(ctx)
		case noReply:
			return r.checkReview(ctx, cases.OutcomeBuyerUnreachable)
		}
	}

	if _, err := r.verify(ctx); err != nil {
		return "", err
	}
	if r.view.Case.Responsibility == cases.RespMaliciousBuyer {
		return r.appeal(ctx)
	}
	if err := r.remedy(ctx); err != nil {
		return "", err
	}
	return r.followUp(ctx)
}

// awaitUntil flushes, then waits for cond on a named durable timer that
// fires at `at`. It reports whether cond became true.
func (r *caseRun) awaitUntil(ctx workflow.Context, at time.Time, name string, cond func() bool) (bool, error) {
	if err := r.sync(ctx); err != nil {
		return false, err
	}
	defer r.atRest(cond)()
	d := at.Sub(workflow.Now(ctx))
	if d <= 0 {
		return cond(), nil
	}
	return workflow.AwaitWithOptions(ctx, workflow.AwaitOptions{Timeout: d, TimerOptions: workflow.TimerOptions{Summary: name}}, cond)
}

// sleep waits on a named durable timer.
func sleep(ctx workflow.Context, d time.Duration, name string) error {
	if d <= 0 {
		return nil
	}
	return workflow.NewTimerWithOptions(ctx, d, workflow.TimerOptions{Summary: name}).Get(ctx, nil)
}

func (in CaseInput) validate() error {
	switch {
	case in.CaseID == "":
		return fmt.Errorf("case_id is required")
	case !in.Review.Marketplace.Valid():
		return fmt.Errorf("unknown marketplace %q", in.Review.Marketplace)
	case in.Review.ReviewID == "" || in.Review.ShopID == "":
		return fmt.Errorf("review_id and shop_id are required")
	}
	if _, ok := cases.SeverityOf(in.Review.Rating); !ok {
		return fmt.Errorf("rating %d opens no case", in.Review.Rating)
	}
	return nil
}
