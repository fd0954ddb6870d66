package console

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace"
	"github.com/redress-hq/redress/workflows"
)

// caseDetail is GET /v1/cases/{id}.
type caseDetail struct {
	Case          cases.Case           `json:"case"`
	Deadlines     []cases.Deadline     `json:"deadlines"`
	State         *workflows.CaseState `json:"state"`
	StateError    string               `json:"state_error"`
	Indexed       bool                 `json:"indexed"`
	TemporalUIURL string               `json:"temporal_ui_url"`
}

// taskView is a task laid out for a person: its case, its evidence and the
// form of its kind, refilled with what was typed when the case refused it.
type taskView struct {
	Task     cases.Task
	Case     caseDetail
	Mine     bool
	Evidence *marketplace.Evidence
	// CarriesEvidence: the kind's input has an evidence bundle (else none is shown).
	CarriesEvidence bool
	Input           any // the kind's input (workflows.*Input)
	Form            url.Values
	Verdict         verdict
	// IdempotencyKey makes a form submitted twice complete the task once.
	IdempotencyKey   string
	Responsibilities []cases.Responsibility
	EvidenceKinds    []string
	Done             bool
}

// evidenceKinds are what a verifier can tick as checked.
var evidenceKinds = []string{"order", "tracking", "chat", "claims", "photos", "qc", "packing"}

// loadTask reads the task and its case; approvals stay a manager's.
func (con *Console) loadTask(c echo.Context) (*taskView, error) {
	id := c.Param("id")
	var t cases.Task
	if err := con.api.get(c, "/v1/tasks/"+url.PathEscape(id), &t); err != nil {
		return nil, err
	}
	who := sessionOf(c).who
	if t.Role == cases.RoleManager && !who.Role.AtLeastManager() {
		return nil, echo.NewHTTPError(http.StatusForbidden, "forbidden.approvals")
	}
	tv := &taskView{Task: t, Mine: t.Assignee == who.Name, Responsibilities: cases.Responsibilities,
		EvidenceKinds: evidenceKinds, IdempotencyKey: randomID(), Form: url.Values{},
		Done: t.Status == cases.TaskCompleted || t.Status == cases.TaskCancelled}
	if err := con.api.get(c, "/v1/cases/"+url.PathEscape(t.CaseID), &tv.Case); err != nil {
		return nil, err
	}
	input, ev, err := decodeInput(t)
	if err != nil {
		return nil, err
	}
	tv.Input, tv.Evidence = input, ev
	tv.CarriesEvidence = t.Kind == cases.TaskContactBuyer || t.Kind == cases.TaskVerify || t.Kind == cases.TaskPrepareAppeal
	return tv, nil
}

// decodeInput reads the task's input for its kind, and the evidence it carries.
func decodeInput(t cases.Task) (any, *marketplace.Evidence, error) {
	var (
		in any
		ev func() *marketplace.Evidence
	)
	switch t.Kind {
	case cases.TaskContactBuyer:
		x := &workflows.ContactTaskInput{}
		in, ev = x, func() *marketplace.Evidence { return x.Evidence }
	case cases.TaskVerify:
		x := &workflows.VerifyTaskInput{}
		in, ev = x, func() *marketplace.Evidence { return x.Evidence }
	case cases.TaskChooseRemedy:
		in = &workflows.ChooseRemedyInput{}
	case cases.TaskApproveRemedy:
		in = &workflows.ApproveRemedyInput{}
	case cases.TaskApproveReply:
		in = &workflows.ApproveReplyInput{}
	case cases.TaskPrepareAppeal:
		x := &workflows.PrepareAppealInput{}
		in, ev = x, func() *marketplace.Evidence { return x.Evidence }
	case cases.TaskRecordAppealOutcome:
		in = &workflows.RecordAppealOutcomeInput{}
	case cases.TaskManualStep:
		in = &workflows.ManualStepInput{}
	default:
		// A kind this console does not know yet shows its input as it is.
		return string(t.Input), nil, nil
	}
	if len(t.Input) > 0 {
		if err := json.Unmarshal(t.Input, in); err != nil {
			return nil, nil, fmt.Errorf("task %s input: %w", t.ID, err)
		}
	}
	if ev == nil {
		return in, nil, nil
	}
	return in, ev(), nil
}

func (con *Console) taskPage(c echo.Context) error {
	tv, err := con.loadTask(c)
	if err != nil {
		return err
	}
	return con.render(c, http.StatusOK, "task", tv)
}

// complete sends the form of the task's kind to the API. A refusal (the
// workflow's validator, the guard) comes back inline with its reason.
func (con *Console) complete(c echo.Context) error {
	tv, err := con.loadTask(c)
	if err != nil {
		return err
	}
	form, err := c.FormParams()
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	tv.Form = form
	body, err := completionBody(tv.Task.Kind, form)
	if err == nil {
		err = con.api.do(c, call{method: http.MethodPost, path: "/v1/tasks/" + url.PathEscape(tv.Task.ID) + "/complete",
			body: body, idempotencyKey: form.Get("idempotency_key")}, nil)
	}
	if ae, ok := refusal(err); ok {
		tv.Verdict = guardVerdict(tv.Case.Case, tv.Task.Kind, draftOf(tv.Task.Kind, form.Get("message"), form.Get("text"), form.Get("statement")))
		tv.IdempotencyKey = randomID() // a corrected form is a new attempt
		return con.renderRefused(c, ae, "task", tv)
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, Prefix+"/cases/"+url.PathEscape(tv.Task.CaseID)+"?done=completed")
}

// completionBody is the API's completion payload for a kind, from the form.
func completionBody(kind cases.TaskKind, f url.Values) (map[string]any, error) {
	text := func(name string) string { return strings.TrimSpace(f.Get(name)) }
	checked := func(name string) bool { return f.Get(name) == "true" || f.Get(name) == "on" }
	switch kind {
	case cases.TaskContactBuyer:
		return map[string]any{"contact": map[string]any{"message": text("message"), "sent_outside": checked("sent_outside"),
			"reference": text("reference")}}, nil
	case cases.TaskVerify:
		return map[string]any{"verify": map[string]any{"responsibility": text("responsibility"), "findings": text("findings"),
			"evidence_checked": f["evidence_checked"]}}, nil
	case cases.TaskChooseRemedy:
		remedy := map[string]any{"type": text("type"), "message": text("message"), "note": text("note")}
		if a := text("amount"); a != "" {
			m, err := cases.ParseMoney(a)
			if err != nil {
				return nil, &apiError{Status: http.StatusUnprocessableEntity, Code: "validation_failed", Detail: "amount: " + err.Error()}
			}
			remedy["amount"] = m
		}
		return map[string]any{"remedy": remedy}, nil
	case cases.TaskApproveRemedy, cases.TaskApproveReply:
		approval := map[string]any{"approved": f.Get("decision") == "approve", "reason": text("reason")}
		if kind == cases.TaskApproveReply {
			approval["text"] = text("text")
		}
		return map[string]any{"approval": approval}, nil
	case cases.TaskPrepareAppeal:
		var evidence []string
		for _, line := range strings.Split(f.Get("evidence"), "\n") {
			if line = strings.TrimSpace(line); line != "" {
				evidence = append(evidence, line)
			}
		}
		return map[string]any{"appeal": map[string]any{"statement": text("statement"), "evidence": evidence,
			"filed_manually": checked("filed_manually"), "reference": text("reference")}}, nil
	case cases.TaskRecordAppealOutcome:
		return map[string]any{"appeal_outcome": map[string]any{"won": f.Get("won") == "true", "note": text("note")}}, nil
	case cases.TaskManualStep:
		return map[string]any{"manual_step": map[string]any{"reference": text("reference"), "note": text("note")}}, nil
	}
	return nil, &apiError{Status: http.StatusUnprocessableEntity, Code: "unknown_kind", Detail: "this console cannot complete a " + string(kind) + " task yet"}
}
