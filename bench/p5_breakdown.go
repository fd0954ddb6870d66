package main

import (
	"context"
	"fmt"
	"slices"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"
)

// alertPath is where one alert's latency went, read from the workflow's
// history and the two clocks at the ends.
type alertPath struct {
	ToStart       time.Duration // client sends → workflow started (API, StartWorkflow)
	FirstTask     time.Duration // workflow started → its first workflow task picked up
	BeforeActs    time.Duration // activities before the alert, scheduled → closed, summed
	WorkflowSteps time.Duration // the rest until the alert is scheduled: workflow tasks
	Queued        time.Duration // alert scheduled → picked up by the worker (0 for a local activity)
	Delivery      time.Duration // activity started → receiver got it
	Before        []string      // activities that ran before the alert
}

func (p alertPath) segments() []time.Duration {
	return []time.Duration{p.ToStart, p.FirstTask, p.BeforeActs, p.WorkflowSteps, p.Queued, p.Delivery}
}

// alertSegments name alertPath.segments().
var alertSegments = []string{
	"client sends → workflow started (API, StartWorkflow)",
	"workflow started → first workflow task picked up",
	"activities before the alert (scheduled → done)",
	"other workflow steps before the alert is scheduled",
	"alert scheduled → picked up by a worker",
	"activity started → receiver got the alert",
}

// traceAlert reads the history of workflowID and splits sent → arrived.
func traceAlert(ctx context.Context, c client.Client, dc converter.DataConverter, workflowID, activity string, sent, arrived time.Time) (alertPath, error) {
	var p alertPath
	var started, firstTask, lastTask, scheduled, picked time.Time
	var alertEventID int64
	pending := map[int64]time.Time{} // activities before the alert, by scheduled event id
	it := c.GetWorkflowHistory(ctx, workflowID, "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	for it.HasNext() {
		ev, err := it.Next()
		if err != nil {
			return p, fmt.Errorf("history of %s: %w", workflowID, err)
		}
		at := ev.GetEventTime().AsTime()
		switch ev.GetEventType() {
		case enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED:
			started = at
		case enumspb.EVENT_TYPE_WORKFLOW_TASK_STARTED:
			if firstTask.IsZero() {
				firstTask = at
			}
			lastTask = at
		case enumspb.EVENT_TYPE_MARKER_RECORDED:
			// A local activity runs inside the workflow task that recorded
			// its marker: scheduled and picked up when that task started.
			if name, ok := localActivityType(dc, ev); ok && name == activity && alertEventID == 0 {
				alertEventID, scheduled, picked = ev.GetEventId(), lastTask, lastTask
			} else if ok && alertEventID == 0 {
				p.Before = append(p.Before, name+" (local)")
			}
		case enumspb.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
			name := ev.GetActivityTaskScheduledEventAttributes().GetActivityType().GetName()
			if name == activity && alertEventID == 0 {
				alertEventID, scheduled = ev.GetEventId(), at
			} else if alertEventID == 0 {
				p.Before = append(p.Before, name)
				pending[ev.GetEventId()] = at
			}
		case enumspb.EVENT_TYPE_ACTIVITY_TASK_COMPLETED:
			p.BeforeActs += closeActivity(pending, ev.GetActivityTaskCompletedEventAttributes().GetScheduledEventId(), at, scheduled)
		case enumspb.EVENT_TYPE_ACTIVITY_TASK_FAILED:
			p.BeforeActs += closeActivity(pending, ev.GetActivityTaskFailedEventAttributes().GetScheduledEventId(), at, scheduled)
		case enumspb.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT:
			p.BeforeActs += closeActivity(pending, ev.GetActivityTaskTimedOutEventAttributes().GetScheduledEventId(), at, scheduled)
		case enumspb.EVENT_TYPE_ACTIVITY_TASK_STARTED:
			if alertEventID != 0 && ev.GetActivityTaskStartedEventAttributes().GetScheduledEventId() == alertEventID {
				picked = at
			}
		}
	}
	if started.IsZero() || firstTask.IsZero() || scheduled.IsZero() || picked.IsZero() {
		return p, fmt.Errorf("%s: no completed %s activity (or local activity) in its history", workflowID, activity)
	}
	p.ToStart, p.FirstTask = started.Sub(sent), firstTask.Sub(started)
	p.WorkflowSteps = max(scheduled.Sub(firstTask)-p.BeforeActs, 0)
	p.Queued, p.Delivery = picked.Sub(scheduled), arrived.Sub(picked)
	return p, nil
}

// localActivityType is the activity type a local-activity marker records
// (its details are encoded by the client's codec).
func localActivityType(dc converter.DataConverter, ev *historypb.HistoryEvent) (string, bool) {
	a := ev.GetMarkerRecordedEventAttributes()
	if a.GetMarkerName() != "LocalActivity" {
		return "", false
	}
	data := a.GetDetails()["data"].GetPayloads()
	if len(data) == 0 {
		return "", false
	}
	var m struct{ ActivityType string }
	if err := dc.FromPayload(data[0], &m); err != nil || m.ActivityType == "" {
		return "", false
	}
	return m.ActivityType, true
}

// closeActivity returns how long an activity scheduled before the alert ran,
// counting only the part before the alert was scheduled (activities running
// in parallel with it do not delay it).
func closeActivity(pending map[int64]time.Time, scheduledID int64, at, alertScheduled time.Time) time.Duration {
	from, ok := pending[scheduledID]
	if !ok {
		return 0
	}
	delete(pending, scheduledID)
	if !alertScheduled.IsZero() && at.After(alertScheduled) {
		at = alertScheduled
	}
	return max(at.Sub(from), 0)
}

// alertBreakdown traces up to limit alerts and returns the median of each
// segment plus the activities that came before the alert (first trace).
func (e *environment) alertBreakdown(ctx context.Context, sent map[string]time.Time, workflowID func(string) string, activity string, limit int) ([]time.Duration, []string, error) {
	ids := make([]string, 0, len(sent))
	for id := range sent {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	ids = ids[:min(limit, len(ids))]
	seg := make([][]time.Duration, len(alertSegments))
	var before []string
	for i, id := range ids {
		arrived, ok := e.alerts.arrivedAt(id)
		if !ok {
			continue
		}
		p, err := traceAlert(ctx, e.stack.Temporal, e.stack.Payloads, workflowID(id), activity, sent[id], arrived)
		if err != nil {
			return nil, nil, err
		}
		if i == 0 {
			before = p.Before
		}
		for j, d := range p.segments() {
			seg[j] = append(seg[j], d)
		}
	}
	medians := make([]time.Duration, len(seg))
	for j := range seg {
		slices.Sort(seg[j])
		medians[j] = percentile(seg[j], 50)
	}
	return medians, before, nil
}
