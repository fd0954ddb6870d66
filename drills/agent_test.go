package drills

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"time"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/workflows"
)

// agent works every case of a drill through the API the way people do:
// it completes each open task (agents contact, verify and choose, and do in
// the seller console the steps a platform has no API for; a manager
// approves) and answers as the buyer when a case waits for a reply, so
// cases run to their outcome. It leaves incidents to the drill to judge.
type agent struct {
	d *drill

	mu        sync.Mutex
	completed map[string]bool   // task ids answered with 200
	replied   map[string]bool   // case ids the buyer answered
	wrote     map[string]string // case id → the buyer's message in the platform's chat
	refused   int               // 4xx answers (e.g. a task completed meanwhile)
	failed    int               // 5xx or transport errors, retried on the next round
}

func newAgent(d *drill) *agent {
	return &agent{d: d, completed: map[string]bool{}, replied: map[string]bool{}, wrote: map[string]string{}}
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
	for _, c := range a.awaitingReply(ctx) {
		work <- func() { a.buyerReplies(ctx, c) }
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

func (a *agent) awaitingReply(ctx context.Context) []cases.Case {
	var out []cases.Case
	cursor := ""
	for {
		q := url.Values{"status": {string(cases.StatusOpen)}, "stage": {string(cases.StageAwaitingReply)}, "limit": {"200"}}
		if cursor != "" {
			q.Set("cursor", cursor)
		}
		r, err := a.d.Do(ctx, http.MethodGet, "/v1/cases?"+q.Encode(), a.d.agentToken, nil)
		if err != nil || r.Status != http.StatusOK {
			return out
		}
		var page struct {
			Items      []cases.Case `json:"items"`
			NextCursor string       `json:"next_cursor"`
		}
		if r.JSON(&page) != nil {
			return out
		}
		out = append(out, page.Items...)
		if page.NextCursor == "" {
			return out
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
// On Mercado Libre the buyer writes in the pack first (the seller may send
// more than the one reason message only after the buyer has written) and the
// reply entered is that message; the drills deliver no message webhooks.
func (a *agent) buyerReplies(ctx context.Context, c cases.Case) {
	const text = "Sí, por favor, quiero una solución"
	a.mu.Lock()
	done, msgID := a.replied[c.ID], a.wrote[c.ID]
	a.mu.Unlock()
	if done {
		return
	}
	if c.Marketplace == cases.MercadoLibre && msgID == "" {
		m, err := a.d.Simulator.AddBuyerMessage(c.Marketplace, c.OrderID, text)
		if err != nil {
			a.tally(err, 0, nil)
			return
		}
		msgID = m.ID
		a.mu.Lock()
		a.wrote[c.ID] = msgID
		a.mu.Unlock()
	}
	if msgID == "" {
		msgID = "drill-reply-" + c.ID
	}
	r, err := a.d.Do(ctx, http.MethodPost, "/v1/cases/"+c.ID+"/buyer-replies", a.d.agentToken,
		map[string]any{"message_id": msgID, "text": text})
	a.tally(err, r.Status, func() { a.replied[c.ID] = true })
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
		return map[string]any{"remedy": map[string]any{"type": string(pickRemedy(task.Marketplace, in.Options))}}
	case cases.TaskManualStep:
		return map[string]any{"manual_step": map[string]any{"reference": "drill-" + task.ID, "note": "drill: done in the seller console"}}
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
// cost the seller most, so the drills exercise it the most. Where the
// platform has no refund API (Amazon, Taobao: a person refunds in the seller
// console, so nothing reaches the platform to duplicate), it prefers a
// remedy whose effect goes through the platform's API: a reship (Amazon
// MCF), else a public apology (Taobao's explanation). Coupons are left out
// there: their amounts depend on the shop's configured coupon templates.
func pickRemedy(m cases.Marketplace, options []cases.RemedyOption) cases.RemedyType {
	rules := cases.RulesFor(m)
	with := func(step cases.RemedyStep) (cases.RemedyType, bool) {
		for _, o := range options {
			if slices.Contains(cases.RemedySteps(o.Type), step) {
				return o.Type, true
			}
		}
		return "", false
	}
	switch {
	case rules.RefundAPI:
		if t, ok := with(cases.StepRefund); ok {
			return t
		}
	default:
		if t, ok := with(cases.StepReship); ok && rules.ReshipAPI {
			return t
		}
		if t, ok := with(cases.StepPublicApology); ok && rules.PublicReply {
			return t
		}
	}
	if len(options) > 0 {
		return options[0].Type
	}
	return cases.RemedyType("apology")
}
