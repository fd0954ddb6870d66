package workflows

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"

	"github.com/redress-hq/redress/activities"
	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace"
)

// testStart is a Monday noon UTC.
var testStart = time.Date(2026, 11, 2, 12, 0, 0, 0, time.UTC)

var (
	agent   = cases.Actor{ID: "agent-ana", Role: cases.RoleAgent}
	agent2  = cases.Actor{ID: "agent-bo", Role: cases.RoleAgent}
	manager = cases.Actor{ID: "mgr-mia", Role: cases.RoleManager}
)

// harness runs CaseWorkflow in the SDK's time-skipping test environment with
// the activities mocked by a fake marketplace that records every call.
type harness struct {
	t   *testing.T
	env *testsuite.TestWorkflowEnvironment
	in  CaseInput

	mu        sync.Mutex
	batches   []cases.SyncBatch
	localSync []bool // per batch: written by a local activity
	alerts    []activities.Alert
	messages  []activities.MessageInput
	replies   []activities.ReplyInput
	refunds   []activities.RefundInput
	coupons   []activities.CouponInput
	reships   []activities.ReshipInput
	appeals   []activities.AppealInput
	order     []string // every write call, in order
	review    marketplace.ReviewState
	eligible  bool
	failCalls map[string]int // call → how many more times it fails permanently
	// messageTimeouts: how many more message sends time out (a worker died mid-call).
	messageTimeouts int
	messageAttempts int
	syncDelay       time.Duration // how long each SyncCase takes (workflow time)
	outcomes        []*updateOutcome
	updateN         int
}

type updateOutcome struct {
	name     string
	wantCode string
	rejected error
	done     bool
	err      error
}

func newHarness(t *testing.T, m cases.Marketplace, text string, rating int) *harness {
	t.Helper()
	var suite testsuite.WorkflowTestSuite
	h := &harness{t: t, env: suite.NewTestWorkflowEnvironment(), eligible: true, failCalls: map[string]int{}}
	h.env.SetStartTime(testStart)
	h.env.RegisterWorkflow(CaseWorkflow)
	h.env.RegisterActivity(&activities.Activities{})
	h.in = CaseInput{
		CaseID: cases.CaseIDFor(m, "shop-1", "rv-1"),
		Review: cases.Review{
			Marketplace: m, ShopID: "shop-1", ReviewID: "rv-1", OrderID: "ord-1", Rating: rating, Text: text,
			Language: "en", CreatedAt: testStart, Buyer: cases.Buyer{ID: "b-77", Name: "Alice Smith"},
			OrderAmount: 5990, ShippingFee: 800, Currency: "USD",
		},
		Settings: CaseSettings{
			AutoContact: true, ApprovalLimit: 100000, FollowUpDelay: time.Hour, ReviewCheckDelay: 2 * time.Hour,
			TimeZone: "UTC",
		},
		ReceivedAt: testStart,
	}
	h.review = marketplace.ReviewState{ReviewID: "rv-1", Rating: rating}
	h.mockActivities()
	return h
}

func (h *harness) fail(call string) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.failCalls[call] > 0 {
		h.failCalls[call]--
		return temporal.NewApplicationErrorWithOptions(call+" refused by platform", string(cases.ErrPermanent),
			temporal.ApplicationErrorOptions{NonRetryable: true, Details: []any{activities.ErrorDetail{Attempt: 1, Op: call}}})
	}
	return nil
}

func (h *harness) mockActivities() {
	env := h.env
	env.OnActivity(acts.SyncCase, mock.Anything, mock.Anything).Return(func(ctx context.Context, b cases.SyncBatch) error {
		h.mu.Lock()
		defer h.mu.Unlock()
		h.batches = append(h.batches, b)
		h.localSync = append(h.localSync, activity.GetInfo(ctx).IsLocalActivity)
		return nil
	}).AfterFn(func() time.Duration { return h.syncDelay })
	alert := func(_ context.Context, a activities.Alert) error {
		h.mu.Lock()
		defer h.mu.Unlock()
		h.alerts = append(h.alerts, a)
		return nil
	}
	env.OnActivity(acts.AlertSeller, mock.Anything, mock.Anything).Return(alert)
	env.OnActivity(acts.Escalate, mock.Anything, mock.Anything).Return(alert)
	env.OnActivity(acts.GatherEvidence, mock.Anything, mock.Anything).Return(func(_ context.Context, in activities.OrderInput) (marketplace.Evidence, error) {
		return marketplace.Evidence{
			Order:   marketplace.OrderInfo{OrderID: in.OrderID, Status: "delivered", Amount: 5990, ShippingFee: 800, Currency: "USD"},
			Courier: "fastpost", Tracking: []marketplace.TrackingStep{{At: testStart.Add(-48 * time.Hour), Status: "delivered"}},
		}, nil
	})
	env.OnActivity(acts.MessageEligibility, mock.Anything, mock.Anything).Return(func(_ context.Context, _ activities.OrderInput) (marketplace.Eligibility, error) {
		return marketplace.Eligibility{Allowed: h.eligible, MaxChars: 350}, nil
	})
	env.OnActivity(acts.SendBuyerMessage, mock.Anything, mock.Anything).Return(func(_ context.Context, in activities.MessageInput) (marketplace.WriteResult, error) {
		h.mu.Lock()
		h.messageAttempts++
		timedOut := h.messageTimeouts > 0
		if timedOut {
			h.messageTimeouts--
		}
		h.mu.Unlock()
		if timedOut {
			return marketplace.WriteResult{}, temporal.NewTimeoutError(enumspb.TIMEOUT_TYPE_START_TO_CLOSE, nil)
		}
		if err := h.fail("send_buyer_message"); err != nil {
			return marketplace.WriteResult{}, err
		}
		h.mu.Lock()
		defer h.mu.Unlock()
		h.messages = append(h.messages, in)
		h.order = append(h.order, "message:"+in.Request.IdempotencyKey)
		return marketplace.WriteResult{ID: fmt.Sprintf("msg-%d", len(h.messages))}, nil
	})
	env.OnActivity(acts.PostPublicReply, mock.Anything, mock.Anything).Return(func(_ context.Context, in activities.ReplyInput) (marketplace.WriteResult, error) {
		h.mu.Lock()
		defer h.mu.Unlock()
		h.replies = append(h.replies, in)
		h.order = append(h.order, "reply")
		return marketplace.WriteResult{ID: "reply-1"}, nil
	})
	env.OnActivity(acts.IssueRefund, mock.Anything, mock.Anything).Return(func(_ context.Context, in activities.RefundInput) (marketplace.RefundResult, error) {
		if err := h.fail("issue_refund"); err != nil {
			return marketplace.RefundResult{}, err
		}
		h.mu.Lock()
		defer h.mu.Unlock()
		h.refunds = append(h.refunds, in)
		h.order = append(h.order, "refund:"+in.Request.IdempotencyKey)
		return marketplace.RefundResult{ID: "rf-1", Status: "completed", Amount: in.Request.Amount}, nil
	})
	env.OnActivity(acts.IssueCoupon, mock.Anything, mock.Anything).Return(func(_ context.Context, in activities.CouponInput) (marketplace.WriteResult, error) {
		if err := h.fail("issue_coupon"); err != nil {
			return marketplace.WriteResult{}, err
		}
		h.mu.Lock()
		defer h.mu.Unlock()
		h.coupons = append(h.coupons, in)
		h.order = append(h.order, "coupon:"+in.Request.IdempotencyKey)
		return marketplace.WriteResult{ID: "cp-1"}, nil
	})
	env.OnActivity(acts.CreateReship, mock.Anything, mock.Anything).Return(func(_ context.Context, in activities.ReshipInput) (marketplace.WriteResult, error) {
		if err := h.fail("create_reship"); err != nil {
			return marketplace.WriteResult{}, err
		}
		h.mu.Lock()
		defer h.mu.Unlock()
		h.reships = append(h.reships, in)
		h.order = append(h.order, "reship:"+in.Request.IdempotencyKey)
		return marketplace.WriteResult{ID: "rs-1"}, nil
	})
	env.OnActivity(acts.SubmitAppeal, mock.Anything, mock.Anything).Return(func(_ context.Context, in activities.AppealInput) (marketplace.AppealResult, error) {
		h.mu.Lock()
		defer h.mu.Unlock()
		h.appeals = append(h.appeals, in)
		return marketplace.AppealResult{ID: "ap-1", Status: "submitted"}, nil
	})
	env.OnActivity(acts.GetReview, mock.Anything, mock.Anything).Return(func(_ context.Context, _ activities.ReviewInput) (marketplace.ReviewState, error) {
		h.mu.Lock()
		defer h.mu.Unlock()
		return h.review, nil
	})
}

// taskID is the id the workflow gives the n-th task of a kind.
func (h *harness) taskID(kind cases.TaskKind, n int) string {
	return fmt.Sprintf("%s-%s-%d", h.in.CaseID, kind, n)
}

// at runs fn at workflow time start+d.
func (h *harness) at(d time.Duration, fn func()) { h.env.RegisterDelayedCallback(fn, d) }

// send sends an update at start+d; wantCode "" expects acceptance.
func (h *harness) send(d time.Duration, name string, arg any, wantCode string) {
	h.updateN++
	o := &updateOutcome{name: fmt.Sprintf("%s#%d@%s", name, h.updateN, d), wantCode: wantCode}
	h.outcomes = append(h.outcomes, o)
	id := o.name
	h.at(d, func() {
		h.env.UpdateWorkflow(name, id, &testsuite.TestUpdateCallback{
			OnReject:   func(err error) { o.rejected = err },
			OnComplete: func(_ any, err error) { o.done, o.err = true, err },
		}, arg)
	})
}

func (h *harness) complete(d time.Duration, kind cases.TaskKind, n int, by cases.Actor, req CompleteTaskRequest) {
	req.TaskID, req.Actor = h.taskID(kind, n), by
	h.send(d, UpdateCompleteTask, req, "")
}

func (h *harness) buyerReplies(d time.Duration, id string) {
	h.at(d, func() {
		h.env.SignalWorkflow(SignalBuyerReply, BuyerReply{MessageID: id, Text: "yes please help", Source: "webhook"})
	})
}

func (h *harness) verifyAs(d time.Duration, resp cases.Responsibility) {
	h.complete(d, cases.TaskVerify, 1, agent, CompleteTaskRequest{Verify: &VerifyResult{
		Responsibility: resp, Findings: "checked tracking and photos", EvidenceChecked: []string{"order", "tracking"},
	}})
}

// run executes the case and checks every update met its expectation.
func (h *harness) run() CaseResult {
	h.t.Helper()
	h.env.ExecuteWorkflow(CaseWorkflow, h.in)
	require.True(h.t, h.env.IsWorkflowCompleted(), "workflow did not complete")
	// Updates first: a wrongly rejected one explains a stuck case best.
	for _, o := range h.outcomes {
		if o.wantCode == "" {
			require.NoError(h.t, o.rejected, "update %s rejected", o.name)
			require.True(h.t, o.done, "update %s never completed", o.name)
			require.NoError(h.t, o.err, "update %s failed", o.name)
			continue
		}
		require.Error(h.t, o.rejected, "update %s should be rejected with %s", o.name, o.wantCode)
		var appErr *temporal.ApplicationError
		require.True(h.t, errors.As(o.rejected, &appErr), "update %s: %v", o.name, o.rejected)
		require.Equal(h.t, o.wantCode, appErr.Type(), "update %s: %v", o.name, o.rejected)
	}
	require.NoError(h.t, h.env.GetWorkflowError())
	var res CaseResult
	require.NoError(h.t, h.env.GetWorkflowResult(&res))
	h.checkAuditTrail()
	h.checkFold()
	return res
}

// checkAuditTrail: events reach the index exactly once each, in sequence,
// and case versions never go backwards.
func (h *harness) checkAuditTrail() {
	h.t.Helper()
	var seq, version int64
	for _, b := range h.batches {
		if b.Case.ID != "" { // before events-not-rows: the batch carries the row
			require.GreaterOrEqual(h.t, b.Case.Version, version, "case version went backwards")
			version = b.Case.Version
		}
		require.NotEmpty(h.t, b.Events, "a sync without events")
		for _, e := range b.Events {
			seq++
			require.Equal(h.t, seq, e.Seq, "event %s out of sequence", e.Type)
			require.Equal(h.t, h.in.CaseID, e.CaseID)
		}
	}
	require.Equal(h.t, seq, h.index().Case.Version, "last case version is the last event seq")
}

func (h *harness) events(t cases.EventType) []cases.Event {
	var out []cases.Event
	for _, b := range h.batches {
		for _, e := range b.Events {
			if e.Type == t {
				out = append(out, e)
			}
		}
	}
	return out
}

// index is the case as the store has it: the events the case synced,
// folded as the store folds them.
func (h *harness) index() cases.State {
	h.t.Helper()
	var events []cases.Event
	for _, b := range h.batches {
		events = append(events, b.Events...)
	}
	st, err := cases.Fold(events)
	require.NoError(h.t, err)
	return st
}

// lastCase is the case row as last written to the index.
func (h *harness) lastCase() cases.Case { return h.index().Case }

// tasks, deadlines and incidents as last written to the index.
func (h *harness) tasks() map[string]cases.Task {
	out := map[string]cases.Task{}
	for _, t := range h.index().Tasks {
		out[t.ID] = t
	}
	return out
}

func (h *harness) deadlines() map[cases.DeadlineKind]cases.Deadline {
	out := map[cases.DeadlineKind]cases.Deadline{}
	for _, d := range h.index().Deadlines {
		out[d.Kind] = d
	}
	return out
}

func (h *harness) incidents() map[string]cases.Incident {
	out := map[string]cases.Incident{}
	for _, i := range h.index().Incidents {
		out[i.ID] = i
	}
	return out
}

// firstOption picks the first remedy the policy offers that has no public
// step and no manual step (those are covered by their own tests).
func (h *harness) firstOption(issue cases.Issue, resp cases.Responsibility) cases.RemedyOption {
	h.t.Helper()
	for _, o := range cases.RemedyOptions(issue, resp, cases.RulesFor(h.in.Review.Marketplace), 5990, 800) {
		public := false
		for _, s := range o.Steps {
			public = public || s == cases.StepPublicApology || !stepHasAPI(cases.RulesFor(h.in.Review.Marketplace), s)
		}
		if !public {
			return o
		}
	}
	h.t.Fatalf("no remedy option for %s/%s", issue, resp)
	return cases.RemedyOption{}
}
