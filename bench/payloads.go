package main

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	commonpb "go.temporal.io/api/common/v1"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"

	"github.com/redress-hq/redress/activities"
	"github.com/redress-hq/redress/cases"
)

// playbookPayloads are what the irreducible playbook carries: the review it
// starts from, each external call's input and result, and each person's
// Update argument — copied from a measured Redress case, so "the same
// marketplace calls and Updates" carry the same bytes on both sides. What
// is Redress's own (its index mirror, its reads of its own store, the
// results of its Updates) is not copied: the baseline's index writes carry
// ids, its Updates answer with a number.
type playbookPayloads struct {
	Review     json.RawMessage `json:"review"`
	Calls      []callPayload   `json:"calls"`
	UpdateArgs []json.RawMessage
}

type callPayload struct {
	Name   string          `json:"name"`
	Input  json.RawMessage `json:"input"`
	Result json.RawMessage `json:"result"`
}

// ownCalls are the case's side effects on its own store, not part of the
// playbook: the index mirror and the prior-contact read.
var ownCalls = []string{"SyncCase", "FindPriorContact"}

// alertCalls are the seller and manager alerts: external calls of the
// playbook (its first step) even where Redress runs them as local activities.
var alertCalls = []string{"AlertSeller", "Escalate"}

// recordedPlaybook is set once by P3 before any baseline runs; the baseline
// workflow and its activities read it (constant for the rest of the run).
var recordedPlaybook playbookPayloads

// capturePayloads reads a closed Redress case's history: its start input,
// every external call (activities but its own, local alerts) in order with
// input and result, and every Update's argument.
func capturePayloads(ctx context.Context, c client.Client, dc converter.DataConverter, workflowID string) (playbookPayloads, error) {
	var p playbookPayloads
	// Payloads in history are encoded by the client's codec: decode each
	// one to its JSON, which the baseline's calls then carry (re-encoded).
	plain := func(ps []*commonpb.Payload) json.RawMessage {
		var raw json.RawMessage
		if len(ps) == 0 || dc.FromPayload(ps[0], &raw) != nil || len(raw) == 0 {
			return json.RawMessage(`null`)
		}
		return raw
	}
	byScheduled := map[int64]int{}
	it := c.GetWorkflowHistory(ctx, workflowID, "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	for it.HasNext() {
		ev, err := it.Next()
		if err != nil {
			return p, fmt.Errorf("history of %s: %w", workflowID, err)
		}
		switch ev.GetEventType() {
		case enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED:
			p.Review = plain(ev.GetWorkflowExecutionStartedEventAttributes().GetInput().GetPayloads())
		case enumspb.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
			a := ev.GetActivityTaskScheduledEventAttributes()
			name := a.GetActivityType().GetName()
			if slices.Contains(ownCalls, name) {
				continue
			}
			call := callPayload{Name: name, Input: plain(a.GetInput().GetPayloads()), Result: json.RawMessage(`null`)}
			byScheduled[ev.GetEventId()] = len(p.Calls)
			p.Calls = append(p.Calls, call)
		case enumspb.EVENT_TYPE_ACTIVITY_TASK_COMPLETED:
			a := ev.GetActivityTaskCompletedEventAttributes()
			if i, ok := byScheduled[a.GetScheduledEventId()]; ok {
				p.Calls[i].Result = plain(a.GetResult().GetPayloads())
			}
		case enumspb.EVENT_TYPE_MARKER_RECORDED:
			if name, ok := localActivityType(dc, ev); ok && slices.Contains(alertCalls, name) {
				// A local activity's input is not in history: the alert the
				// activity would carry, built from the case's review.
				p.Calls = append(p.Calls, callPayload{Name: name, Input: alertInput(p.Review), Result: json.RawMessage(`null`)})
			}
		case enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED:
			p.UpdateArgs = append(p.UpdateArgs, plain(ev.GetWorkflowExecutionUpdateAcceptedEventAttributes().GetAcceptedRequest().GetInput().GetArgs().GetPayloads()))
		}
	}
	if string(p.Review) == "null" {
		return p, fmt.Errorf("%s: no start input in its history", workflowID)
	}
	return p, nil
}

// alertInput is the new-case alert for the review in a case's start input.
func alertInput(start json.RawMessage) json.RawMessage {
	var in struct {
		CaseID string       `json:"case_id"`
		Review cases.Review `json:"review"`
	}
	_ = json.Unmarshal(start, &in)
	raw, _ := json.Marshal(activities.Alert{
		CaseID: in.CaseID, Marketplace: in.Review.Marketplace, ShopID: in.Review.ShopID, Kind: activities.AlertNewCase,
		Severity: cases.SeverityBad, Issue: cases.IssueQuality, IdempotencyKey: in.CaseID + ":new_case:1",
		Message: fmt.Sprintf("%d★ %s review %s: %s", in.Review.Rating, in.Review.Marketplace, in.Review.ReviewID, cases.IssueQuality),
	})
	return raw
}

// call is the recorded payload of the baseline's i-th external call.
func (p playbookPayloads) call(i int) callPayload {
	if i < len(p.Calls) {
		return p.Calls[i]
	}
	return callPayload{Input: json.RawMessage(`null`), Result: json.RawMessage(`null`)}
}

// updateArg is the recorded argument of the i-th Update.
func (p playbookPayloads) updateArg(i int) json.RawMessage {
	if i < len(p.UpdateArgs) {
		return p.UpdateArgs[i]
	}
	return json.RawMessage(`null`)
}
