package workflows

import (
	"context"
	"errors"
	"fmt"
	"go.temporal.io/api/serviceerror"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/api/temporalproto"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/worker"

	"github.com/redress-hq/redress/activities"
	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace"
	"github.com/redress-hq/redress/store"
)

// temporalCLI is where the project's dev tooling keeps the Temporal CLI.
const temporalCLI = "/root/.cache/redress/temporal-v1.5.1/temporal"

// TestRecordHistories runs real cases on a Temporal dev server and writes
// their histories to testdata/ for TestReplayRecordedHistories. Run it after
// a change that is meant to be history-compatible only to add histories:
//
//	REDRESS_RECORD_HISTORIES=1 go test ./workflows -run TestRecordHistories
//
// The activities here are in-process stand-ins with the real names and
// signatures: what is recorded is the workflow's side of a real history.
func TestRecordHistories(t *testing.T) {
	if os.Getenv("REDRESS_RECORD_HISTORIES") == "" {
		t.Skip("set REDRESS_RECORD_HISTORIES=1 to record histories on a dev server")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	srv, err := testsuite.StartDevServer(ctx, testsuite.DevServerOptions{
		ExistingPath: temporalCLI,
		LogLevel:     "error",
		SearchAttributes: temporal.NewSearchAttributes(
			StageKey.ValueSet(""), MarketplaceKey.ValueSet(""), IssueKey.ValueSet(""), BreachedKey.ValueSet(false)),
	})
	require.NoError(t, err)
	defer func() { _ = srv.Stop() }()
	c := srv.Client()

	w := worker.New(c, TaskQueue, worker.Options{})
	w.RegisterWorkflow(CaseWorkflow)
	w.RegisterActivity(&standInActivities{})
	require.NoError(t, w.Start())
	defer w.Stop()

	scenarios := []struct {
		name   string
		issue  cases.Issue
		drive  func(t *testing.T, d driver)
		want   cases.Outcome
		market cases.Marketplace // "": eBay
	}{
		{"happy_path_ebay_quality", cases.IssueQuality, func(t *testing.T, d driver) {
			d.complete(t, cases.TaskVerify, agent, CompleteTaskRequest{Verify: &VerifyResult{Responsibility: cases.RespMerchant, Findings: "qc photo shows defect"}})
			d.update(t, UpdateBuyerReply, BuyerReply{MessageID: "m-1", Text: "please help", Actor: agent})
			d.complete(t, cases.TaskChooseRemedy, agent, CompleteTaskRequest{Remedy: &RemedyChoice{Type: cases.RemedyReship}})
		}, cases.OutcomeUnchanged, ""},
		// Recorded after the follow-up-checks-eligibility change (version 1).
		{"followup_checks_eligibility_ebay_quality", cases.IssueQuality, func(t *testing.T, d driver) {
			d.complete(t, cases.TaskVerify, agent, CompleteTaskRequest{Verify: &VerifyResult{Responsibility: cases.RespMerchant, Findings: "qc photo shows defect"}})
			d.update(t, UpdateBuyerReply, BuyerReply{MessageID: "m-1", Text: "please help", Actor: agent})
			d.complete(t, cases.TaskChooseRemedy, agent, CompleteTaskRequest{Remedy: &RemedyChoice{Type: cases.RemedyReship}})
		}, cases.OutcomeUnchanged, ""},
		// Recorded after the alert-before-first-sync change (version 1).
		{"alert_before_first_sync_ebay_quality", cases.IssueQuality, func(t *testing.T, d driver) {
			d.complete(t, cases.TaskVerify, agent, CompleteTaskRequest{Verify: &VerifyResult{Responsibility: cases.RespMerchant, Findings: "qc photo shows defect"}})
			d.update(t, UpdateBuyerReply, BuyerReply{MessageID: "m-1", Text: "please help", Actor: agent})
			d.complete(t, cases.TaskChooseRemedy, agent, CompleteTaskRequest{Remedy: &RemedyChoice{Type: cases.RemedyReship}})
		}, cases.OutcomeUnchanged, ""},
		{"malicious_appeal_won", cases.IssueSuspectedMalicious, func(t *testing.T, d driver) {
			d.complete(t, cases.TaskVerify, agent, CompleteTaskRequest{Verify: &VerifyResult{Responsibility: cases.RespMaliciousBuyer, Findings: "extortion in chat"}})
			d.complete(t, cases.TaskPrepareAppeal, agent, CompleteTaskRequest{Appeal: &AppealFiling{Statement: "The buyer demanded money for the review.", FiledManually: true, Reference: "APL-1"}})
			d.complete(t, cases.TaskRecordAppealOutcome, agent, CompleteTaskRequest{AppealOutcome: &AppealOutcome{Won: true}})
		}, cases.OutcomeAppealWon, ""},
		{"incident_retry_then_manager_close", cases.IssueDamagedOrLost, func(t *testing.T, d driver) {
			d.complete(t, cases.TaskVerify, agent, CompleteTaskRequest{Verify: &VerifyResult{Responsibility: cases.RespCourier}})
			d.update(t, UpdateBuyerReply, BuyerReply{MessageID: "m-1", Text: "it is broken", Actor: agent})
			d.complete(t, cases.TaskChooseRemedy, agent, CompleteTaskRequest{Remedy: &RemedyChoice{Type: cases.RemedyRefundNoReturn}})
			d.update(t, UpdateResolveIncident, ResolveIncidentRequest{IncidentID: d.caseID + "-remedy_refund", Action: IncidentRetry, Reason: "retry", Actor: agent})
			d.update(t, UpdateAddNote, NoteRequest{NoteID: "n-1", Text: "refund went through on retry", Actor: agent})
			d.update(t, UpdateCloseCase, CloseCaseRequest{Reason: "buyer satisfied by phone", Actor: manager})
		}, cases.OutcomeClosedByManager, ""},
		// Recorded after the manual-steps-without-platform-api change (version 1):
		// Amazon refunds only in Seller Central.
		{"manual_refund_amazon", cases.IssueQuality, func(t *testing.T, d driver) {
			d.complete(t, cases.TaskVerify, agent, CompleteTaskRequest{Verify: &VerifyResult{Responsibility: cases.RespMerchant, Findings: "qc photo shows defect"}})
			d.update(t, UpdateBuyerReply, BuyerReply{MessageID: "m-1", Text: "please help", Actor: agent})
			d.complete(t, cases.TaskChooseRemedy, agent, CompleteTaskRequest{Remedy: &RemedyChoice{Type: cases.RemedyRefundNoReturn}})
			d.complete(t, cases.TaskManualStep, agent, CompleteTaskRequest{ManualStep: &ManualStepDone{Reference: "AMZ-RF-1"}})
		}, cases.OutcomeUnchanged, cases.Amazon},
		// Recorded after the review-changes-reach-case change (version 1): the
		// buyer revises to 5★ while the case waits for verification.
		{"review_revised_closes_case", cases.IssueQuality, func(t *testing.T, d driver) {
			d.update(t, UpdateAddNote, NoteRequest{NoteID: "n-1", Text: "waiting for the buyer", Actor: agent})
			rv := recordInput("review_revised_closes_case", cases.IssueQuality).Review
			rv.Rating, rv.Text = 5, "Seller sorted it out, works now."
			require.NoError(t, d.c.SignalWorkflow(d.ctx, d.wfID, "", SignalReviewChanged, ReviewChange{Review: rv, Source: "api"}))
		}, cases.OutcomeRevised, ""},
		// Recorded after the guard-doubts-need-a-manager change (version 1): an
		// offer message the guard is unsure about waits for approve_remedy.
		{"guard_doubt_remedy_approved", cases.IssueQuality, func(t *testing.T, d driver) {
			d.complete(t, cases.TaskVerify, agent, CompleteTaskRequest{Verify: &VerifyResult{Responsibility: cases.RespMerchant, Findings: "qc photo shows defect"}})
			d.update(t, UpdateBuyerReply, BuyerReply{MessageID: "m-1", Text: "please help", Actor: agent})
			d.complete(t, cases.TaskChooseRemedy, agent, CompleteTaskRequest{Remedy: &RemedyChoice{Type: cases.RemedyReship, Message: "A replacement ships today ⭐"}})
			d.complete(t, cases.TaskApproveRemedy, manager, CompleteTaskRequest{Approval: &Approval{Approved: true, Reason: "the star is decoration"}})
			d.update(t, UpdateCloseCase, CloseCaseRequest{Reason: "buyer satisfied", Actor: manager})
		}, cases.OutcomeClosedByManager, ""},
		// Recorded after the guard-verdict-in-history change (version 1): every
		// guard verdict the case acts on (here the first contact draft and
		// the offer message) is a side effect in history.
		{"guard_verdict_in_history", cases.IssueQuality, func(t *testing.T, d driver) {
			d.complete(t, cases.TaskVerify, agent, CompleteTaskRequest{Verify: &VerifyResult{Responsibility: cases.RespMerchant, Findings: "qc photo shows defect"}})
			d.update(t, UpdateBuyerReply, BuyerReply{MessageID: "m-1", Text: "please help", Actor: agent})
			d.complete(t, cases.TaskChooseRemedy, agent, CompleteTaskRequest{Remedy: &RemedyChoice{Type: cases.RemedyReship, Message: "A replacement ships today ⭐"}})
			d.complete(t, cases.TaskApproveRemedy, manager, CompleteTaskRequest{Approval: &Approval{Approved: true, Reason: "the star is decoration"}})
			d.update(t, UpdateCloseCase, CloseCaseRequest{Reason: "buyer satisfied", Actor: manager})
		}, cases.OutcomeClosedByManager, ""},
		// Recorded after the events-not-rows change (version 1): the case ships
		// its events alone, syncs only where someone waits, upserts no search
		// attributes.
		{"events_not_rows_ebay_quality", cases.IssueQuality, manualReshipEBay, cases.OutcomeUnchanged, ""},
		{"events_not_rows_incident_then_manager_close", cases.IssueDamagedOrLost, refundIncidentThenManagerClose, cases.OutcomeClosedByManager, ""},
		// Recorded after events-not-rows version 2: no index write at open or
		// before the review check, one deadline timer loop, no zone lookup
		// where no business hours count.
		{"events_not_rows_v2_ebay_quality", cases.IssueQuality, manualReshipEBay, cases.OutcomeUnchanged, ""},
		{"events_not_rows_v2_incident_then_manager_close", cases.IssueDamagedOrLost, refundIncidentThenManagerClose, cases.OutcomeClosedByManager, ""},
		// Recorded after events-not-rows version 3: handlers and coroutines
		// write the index only while the playbook rests on a wait.
		{"events_not_rows_v3_ebay_quality", cases.IssueQuality, manualReshipEBay, cases.OutcomeUnchanged, ""},
		{"events_not_rows_v3_incident_then_manager_close", cases.IssueDamagedOrLost, refundIncidentThenManagerClose, cases.OutcomeClosedByManager, ""},
		// Recorded after prior-contact-counts (version 1): an agent answered
		// the buyer's complaint on the order before the review (the stand-in
		// finds it for this order), so no templated first message is sent.
		{"prior_contact_counts_ebay_quality", cases.IssueQuality, manualReshipEBay, cases.OutcomeUnchanged, ""},
		// The same version with no prior contact: the templated message goes out.
		{"prior_contact_none_ebay_quality", cases.IssueQuality, manualReshipEBay, cases.OutcomeUnchanged, ""},
		// Recorded after events-not-rows version 4: the index mirror, alerts
		// and the prior-contact read are local activities.
		{"events_not_rows_v4_ebay_quality", cases.IssueQuality, manualReshipEBay, cases.OutcomeUnchanged, ""},
		{"events_not_rows_v4_incident_then_manager_close", cases.IssueDamagedOrLost, refundIncidentThenManagerClose, cases.OutcomeClosedByManager, ""},
		{"events_not_rows_v4_prior_contact_ebay_quality", cases.IssueQuality, manualReshipEBay, cases.OutcomeUnchanged, ""},
		// Recorded after events-not-rows version 5: the case reads its shop's
		// policy and texts itself when it opens (ShopAtOpen).
		{"events_not_rows_v5_shop_at_open_ebay_quality", cases.IssueQuality, manualReshipEBay, cases.OutcomeUnchanged, ""},
		// Recorded after events-not-rows version 6: the index mirror is an
		// activity again, its batches in history (the fold test folds them).
		{"events_not_rows_v6_ebay_quality", cases.IssueQuality, manualReshipEBay, cases.OutcomeUnchanged, ""},
		{"events_not_rows_v6_incident_then_manager_close", cases.IssueDamagedOrLost, refundIncidentThenManagerClose, cases.OutcomeClosedByManager, ""},
		// Recorded after events-not-rows version 7: the index mirror is a
		// fenced local activity, an activity in a task that ran an update.
		{"events_not_rows_v7_ebay_quality", cases.IssueQuality, manualReshipEBay, cases.OutcomeUnchanged, ""},
		{"events_not_rows_v7_incident_then_manager_close", cases.IssueDamagedOrLost, refundIncidentThenManagerClose, cases.OutcomeClosedByManager, ""},
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			in := recordInput(sc.name, sc.issue)
			in.ShopAtOpen = slices.ContainsFunc([]string{"v5", "v6", "v7"}, func(v string) bool {
				return strings.HasPrefix(sc.name, "events_not_rows_"+v)
			})
			if sc.market != "" {
				in.Review.Marketplace = sc.market
				in.CaseID = cases.CaseIDFor(sc.market, in.Review.ShopID, in.Review.ReviewID)
			}
			run, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
				ID: cases.WorkflowIDFor(in.CaseID), TaskQueue: TaskQueue,
			}, CaseWorkflow, in)
			require.NoError(t, err)
			sc.drive(t, driver{c: c, ctx: ctx, caseID: in.CaseID, wfID: run.GetID()})
			var res CaseResult
			require.NoError(t, run.Get(ctx, &res))
			require.Equal(t, sc.want, res.Outcome)
			writeHistory(t, ctx, c, run.GetID(), filepath.Join("testdata", sc.name+".json"))
		})
	}
}

func recordInput(name string, issue cases.Issue) CaseInput {
	rv := cases.Review{
		Marketplace: cases.EBay, ShopID: "shop-rec", ReviewID: "rv-" + name, OrderID: "ord-" + name, Rating: 1,
		Text: issueTexts[issue], Language: "en", CreatedAt: time.Now().UTC(),
		Buyer: cases.Buyer{ID: "b-1", Name: "Jo Doe"}, OrderAmount: 4990, ShippingFee: 500, Currency: "USD",
	}
	return CaseInput{
		CaseID: cases.CaseIDFor(rv.Marketplace, rv.ShopID, rv.ReviewID), Review: rv, ReceivedAt: time.Now().UTC(),
		Settings: CaseSettings{AutoContact: true, ApprovalLimit: 100000, FollowUpDelay: time.Second,
			ReviewCheckDelay: time.Second, TimeZone: "America/New_York"},
	}
}

// driver sends updates the way the API does, waiting for each to complete;
// a task_not_found means the workflow has not opened the task yet.
type driver struct {
	c      client.Client
	ctx    context.Context
	caseID string
	wfID   string
}

func (d driver) complete(t *testing.T, kind cases.TaskKind, by cases.Actor, req CompleteTaskRequest) {
	req.TaskID, req.Actor = fmt.Sprintf("%s-%s-1", d.caseID, kind), by
	d.update(t, UpdateCompleteTask, req)
}

func (d driver) update(t *testing.T, name string, arg any) {
	t.Helper()
	for range 100 {
		h, err := d.c.UpdateWorkflow(d.ctx, client.UpdateWorkflowOptions{
			WorkflowID: d.wfID, UpdateName: name, Args: []any{arg}, WaitForStage: client.WorkflowUpdateStageCompleted,
		})
		if err == nil {
			err = h.Get(d.ctx, nil)
		}
		var appErr *temporal.ApplicationError
		var notReady *serviceerror.WorkflowNotReady // dropped with a failed workflow task: send again
		if errors.As(err, &notReady) || errors.As(err, &appErr) && (appErr.Type() == CodeTaskNotFound || appErr.Type() == CodeIncidentNotFound) {
			time.Sleep(100 * time.Millisecond)
			continue
		}
		require.NoError(t, err, "update %s", name)
		return
	}
	t.Fatalf("update %s never accepted", name)
}

func writeHistory(t *testing.T, ctx context.Context, c client.Client, wfID, path string) {
	t.Helper()
	iter := c.GetWorkflowHistory(ctx, wfID, "", false, enums.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	hist := &historypb.History{}
	for iter.HasNext() {
		e, err := iter.Next()
		require.NoError(t, err)
		hist.Events = append(hist.Events, e)
	}
	b, err := temporalproto.CustomJSONMarshalOptions{Indent: "  "}.Marshal(hist)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(path, b, 0o644))
}

// standInActivities answer like a healthy platform, except that the first
// refund fails permanently so a history holds an incident.
type standInActivities struct{ refunds int }

func (*standInActivities) SyncCase(context.Context, cases.SyncBatch) error { return nil }
func (*standInActivities) ReadOpening(_ context.Context, in activities.OpeningInput) (activities.Opening, error) {
	limit := int64(100000)
	return activities.Opening{
		Shop: &store.Shop{OrgID: "default", Marketplace: in.Marketplace, ShopID: in.ShopID, DisplayName: "Recorded Shop",
			Currency: "USD", TimeZone: "America/New_York", Policy: store.Policy{ApprovalLimit: &limit}},
		Texts: &cases.SellerTexts{ShopName: "Recorded Shop"},
	}, nil
}
func (*standInActivities) AlertSeller(context.Context, activities.Alert) error { return nil }
func (*standInActivities) Escalate(context.Context, activities.Alert) error    { return nil }
func (*standInActivities) GatherEvidence(_ context.Context, in activities.OrderInput) (marketplace.Evidence, error) {
	return marketplace.Evidence{Order: marketplace.OrderInfo{OrderID: in.OrderID, Amount: 4990, ShippingFee: 500, Currency: "USD"}}, nil
}
func (*standInActivities) MessageEligibility(context.Context, activities.OrderInput) (marketplace.Eligibility, error) {
	return marketplace.Eligibility{Allowed: true, MaxChars: 2000}, nil
}
func (*standInActivities) SendBuyerMessage(_ context.Context, in activities.MessageInput) (marketplace.WriteResult, error) {
	return marketplace.WriteResult{ID: "msg-" + in.Request.IdempotencyKey}, nil
}
func (*standInActivities) PostPublicReply(context.Context, activities.ReplyInput) (marketplace.WriteResult, error) {
	return marketplace.WriteResult{ID: "reply-1"}, nil
}
func (s *standInActivities) IssueRefund(_ context.Context, in activities.RefundInput) (marketplace.RefundResult, error) {
	if s.refunds++; s.refunds == 1 {
		return marketplace.RefundResult{}, temporal.NewNonRetryableApplicationError("order is in mediation", string(cases.ErrPermanent), nil)
	}
	return marketplace.RefundResult{ID: "rf-1", Status: "completed", Amount: in.Request.Amount}, nil
}
func (*standInActivities) IssueCoupon(context.Context, activities.CouponInput) (marketplace.WriteResult, error) {
	return marketplace.WriteResult{ID: "cp-1"}, nil
}
func (*standInActivities) CreateReship(context.Context, activities.ReshipInput) (marketplace.WriteResult, error) {
	return marketplace.WriteResult{ID: "rs-1"}, nil
}
func (*standInActivities) SubmitAppeal(context.Context, activities.AppealInput) (marketplace.AppealResult, error) {
	return marketplace.AppealResult{Manual: true}, nil
}
func (*standInActivities) FindPriorContact(_ context.Context, in activities.PriorContactInput) (activities.PriorContactResult, error) {
	if in.OrderID != "ord-prior_contact_counts_ebay_quality" && in.OrderID != "ord-events_not_rows_v4_prior_contact_ebay_quality" {
		return activities.PriorContactResult{}, nil
	}
	return activities.PriorContactResult{Found: true, Contact: &store.PriorContact{
		Kind: "message_answer", MessageID: "bm-1", Text: "Sorry about the defect, we are sending a replacement today.",
		Ref: "ebay-msg-1", Via: "platform", By: "agent-ana", At: in.To.Add(-3 * time.Hour),
	}}, nil
}
func (*standInActivities) GetReview(_ context.Context, in activities.ReviewInput) (marketplace.ReviewState, error) {
	return marketplace.ReviewState{ReviewID: in.ReviewID, Rating: 1}, nil
}

// manualReshipEBay: verified, the buyer answers, a reship is chosen and,
// eBay having no reship API, shipped by hand.
func manualReshipEBay(t *testing.T, d driver) {
	d.complete(t, cases.TaskVerify, agent, CompleteTaskRequest{Verify: &VerifyResult{Responsibility: cases.RespMerchant, Findings: "qc photo shows defect"}})
	d.update(t, UpdateBuyerReply, BuyerReply{MessageID: "m-1", Text: "please help", Actor: agent})
	d.complete(t, cases.TaskChooseRemedy, agent, CompleteTaskRequest{Remedy: &RemedyChoice{Type: cases.RemedyReship}})
	d.complete(t, cases.TaskManualStep, agent, CompleteTaskRequest{ManualStep: &ManualStepDone{Reference: "TRK-1"}})
}

// refundIncidentThenManagerClose: the refund fails into an incident, is
// retried, and a manager closes the case.
func refundIncidentThenManagerClose(t *testing.T, d driver) {
	d.update(t, UpdateClaimTask, ClaimTaskRequest{TaskID: d.caseID + "-verify-1", Actor: agent})
	d.complete(t, cases.TaskVerify, agent, CompleteTaskRequest{Verify: &VerifyResult{Responsibility: cases.RespCourier}})
	d.update(t, UpdateBuyerReply, BuyerReply{MessageID: "m-1", Text: "it is broken", Actor: agent})
	d.complete(t, cases.TaskChooseRemedy, agent, CompleteTaskRequest{Remedy: &RemedyChoice{Type: cases.RemedyRefundNoReturn}})
	d.update(t, UpdateResolveIncident, ResolveIncidentRequest{IncidentID: d.caseID + "-remedy_refund", Action: IncidentRetry, Reason: "retry", Actor: agent})
	d.update(t, UpdateAddNote, NoteRequest{NoteID: "n-1", Text: "refund went through on retry", Actor: agent})
	d.update(t, UpdateCloseCase, CloseCaseRequest{Reason: "buyer satisfied by phone", Actor: manager})
}
