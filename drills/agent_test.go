package drills

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/workflows"
)

// agent works every case of a drill through the API the way people do:
// it completes each open task (agents contact, verify and choose; a manager
// approves) and answers as the buyer when a case waits for a reply, so
// cases run to their outcome. It leaves incidents to the drill to judge.
type agent struct {
	d *drill

	mu        sync.Mutex
	completed map[string]bool // task ids answered with 200
	replied   map[string]bool // case ids the buyer answered
	refused   int             // 4xx answers (e.g. a task completed meanwhile)
	failed    int             // 5xx or transport errors, retried on the next round
}

func newAgent(d *drill) *agent {
	return &agent{d: d, completed: map[string]bool{}, replied: map[string]bool{}}
}

// run works rounds until ctx ends.
func (a *agent) run(ctx context.Context) {
	for ctx.Err() == nil {
		a.round(ctx)
		select {
		case <-ctx.Done():
		case <-time.After(300 * time.Millisecond):
		}
	}
}

// start runs the agent in the background; the returned function stops it.
func (a *agent) start() (stop func()) {
	ctx, cancel := context.WithCancel(a.d.ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		a.run(ctx)
	}()
	return func() {
		cancel()
		<-done
	}
}

// agentHands is how many requests the agent has in flight: a slow Update
// on one case (its worker just died) must not hold up the others.
const agentHands = 6

func (a *agent) round(ctx context.Context) {
	work := make(chan func())
	var wg sync.WaitGroup
	for range agentHands {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for do := range work {
				do()
			}
		}()
	}
	for _, task := range a.openTasks(ctx) {
		work <- func() { a.complete(ctx, task) }
	}
	for _, id := range a.awaitingReply(ctx) {
		work <- func() { a.buyerReplies(ctx, id) }
	}
	close(work)
	wg.Wait()
}

func (a *agent) openTasks(ctx context.Context) []cases.Task {
	var all []cases.Task
	cursor := ""
	for {
		q := url.Values{"status": {string(cases.TaskOpen)}, "limit": {"200"}}
		if cursor != "" {
			q.Set("cursor", cursor)
		}
		r, err := a.d.Do(ctx, http.MethodGet, "/v1/tasks?"+q.Encode(), a.d.managerToken, nil)
		if err != nil || r.Status != http.StatusOK {
			return all
		}
		var page struct {
			Items      []cases.Task `json:"items"`
			NextCursor string       `json:"next_cursor"`
		}
		if r.JSON(&page) != nil {
			return all
		}
		all = append(all, page.Items...)
		if page.NextCursor == "" {
			return all
		}
		cursor = page.NextCursor
	}
}

func (a *agent) awaitingReply(ctx context.Context) []string {
	var ids []string
	cursor := ""
	for {
		q := url.Values{"status": {string(cases.StatusOpen)}, "stage": {string(cases.StageAwaitingReply)}, "limit": {"200"}}
		if cursor != "" {
			q.Set("cursor", cursor)
		}
		r, err := a.d.Do(ctx, http.MethodGet, "/v1/cases?"+q.Encode(), a.d.agentToken, nil)
		if err != nil || r.Status != http.StatusOK {
			return ids
		}
		var page struct {
			Items      []cases.Case `json:"items"`
			NextCursor string       `json:"next_cursor"`
		}
		if r.JSON(&page) != nil {
			return ids
		}
		for _, c := range page.Items {
			ids = append(ids, c.ID)
		}
		if page.NextCursor == "" {
			return ids
		}
		cursor = page.NextCursor
	}
}

// complete answers one task by its kind.
func (a *agent) complete(ctx context.Context, task cases.Task) {
	a.mu.Lock()
	done := a.completed[task.ID]
	a.mu.Unlock()
	if done {
		return
	}
	token, body := a.d.agentToken, answerFor(task)
	if task.Kind == cases.TaskApproveRemedy || task.Kind == cases.TaskApproveReply {
		token = a.d.managerToken
	}
	r, err := a.d.Do(ctx, http.MethodPost, "/v1/tasks/"+url.PathEscape(task.ID)+"/complete", token, body)
	a.tally(err, r.Status, func() { a.completed[task.ID] = true })
}

// buyerReplies answers as the buyer; the message id makes a repeat harmless.
func (a *agent) buyerReplies(ctx context.Context, caseID string) {
	a.mu.Lock()
	done := a.replied[caseID]
	a.mu.Unlock()
	if done {
		return
	}
	r, err := a.d.Do(ctx, http.MethodPost, "/v1/cases/"+caseID+"/buyer-replies", a.d.agentToken,
		map[string]any{"message_id": "drill-reply-" + caseID, "text": "Sí, por favor, quiero una solución"})
	a.tally(err, r.Status, func() { a.replied[caseID] = true })
}

func (a *agent) tally(err error, status int, ok func()) {
	a.mu.Lock()
	defer a.mu.Unlock()
	switch {
	case err != nil || status >= 500:
		a.failed++
	case status == http.StatusOK:
		ok()
	default:
		a.refused++
	}
}

// answerFor is what a person would send to complete the task.
func answerFor(task cases.Task) map[string]any {
	switch task.Kind {
	case cases.TaskContactBuyer:
		var in workflows.ContactTaskInput
		_ = json.Unmarshal(task.Input, &in)
		return map[string]any{"contact": map[string]any{"message": in.Draft, "sent_outside": in.Draft == ""}}
	case cases.TaskVerify:
		return map[string]any{"verify": map[string]any{"responsibility": string(cases.RespMerchant),
			"findings": "drill: order, tracking and chat checked", "evidence_checked": []string{"order", "tracking", "chat"}}}
	case cases.TaskChooseRemedy:
		var in workflows.ChooseRemedyInput
		_ = json.Unmarshal(task.Input, &in)
		return map[string]any{"remedy": map[string]any{"type": string(pickRemedy(in.Options))}}
	case cases.TaskApproveRemedy, cases.TaskApproveReply:
		return map[string]any{"approval": map[string]any{"approved": true, "reason": "drill"}}
	case cases.TaskPrepareAppeal:
		var in workflows.PrepareAppealInput
		_ = json.Unmarshal(task.Input, &in)
		return map[string]any{"appeal": map[string]any{"statement": "The buyer's claim contradicts the tracking record.",
			"evidence": []string{"tracking"}, "filed_manually": !in.AppealAPI, "reference": "drill-" + task.ID}}
	case cases.TaskRecordAppealOutcome:
		return map[string]any{"appeal_outcome": map[string]any{"won": false, "note": "drill"}}
	}
	return map[string]any{}
}

// pickRemedy prefers a refund: it is the side effect a duplicate would
// cost the seller most, so the drills exercise it the most.
func pickRemedy(options []cases.RemedyOption) cases.RemedyType {
	for _, o := range options {
		if strings.Contains(string(o.Type), "refund") {
			return o.Type
		}
	}
	if len(options) > 0 {
		return options[0].Type
	}
	return cases.RemedyType("apology")
}
