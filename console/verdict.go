package console

import (
	"net/http"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/redress-hq/redress/cases"
)

// verdict is the compliance guard's answer on a draft, shown before the
// form is submitted. The workflow checks the same text again on submit.
// It is one of three: Pass (clean, it is sent), Refused (a violation, with
// its rule) or Review (no violation but doubts: it goes to a manager for
// approval instead of being sent).
type verdict struct {
	Checked    bool
	Pass       bool
	Refused    bool
	Review     bool
	Chars      int
	Limit      int
	Violations []cases.Violation
	Doubts     []cases.Violation
}

// textOf says which text a task kind sends and whether it offers a remedy
// (then any mention of reviews is refused); ok is false for kinds that send none.
func textOf(kind cases.TaskKind) (tk cases.TextKind, offersRemedy, ok bool) {
	switch kind {
	case cases.TaskContactBuyer:
		return cases.TextMessage, false, true
	case cases.TaskChooseRemedy:
		return cases.TextMessage, true, true
	case cases.TaskApproveReply:
		return cases.TextPublicReply, false, true
	case cases.TaskPrepareAppeal:
		return cases.TextAppeal, false, true
	}
	return "", false, false
}

// guardVerdict runs the compliance guard on text as the case would.
func guardVerdict(kase cases.Case, kind cases.TaskKind, text string) verdict {
	tk, offers, ok := textOf(kind)
	if !ok || text == "" {
		return verdict{}
	}
	rules := cases.RulesFor(kase.Marketplace)
	gc := cases.GuardContext{BuyerName: kase.BuyerName, BuyerID: kase.BuyerID, OrderID: kase.OrderID, OffersRemedy: offers}
	v := cases.ScreenText(rules, tk, text, gc)
	return verdict{Checked: true, Pass: v.Clean(), Refused: len(v.Violations) > 0,
		Review: len(v.Violations) == 0 && len(v.Doubts) > 0,
		Chars:  utf8.RuneCountInString(text), Limit: cases.LimitFor(rules, tk),
		Violations: v.Violations, Doubts: v.Doubts}
}

// checkText is the dry run: the guard's verdict on the draft in the form.
// Scripts ask for the verdict alone; without scripts the page comes back
// with the form as typed and the verdict above the submit button.
func (con *Console) checkText(c echo.Context) error {
	tv, err := con.loadTask(c)
	if err != nil {
		return err
	}
	form, err := c.FormParams()
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	tv.Form = form
	tv.Verdict = guardVerdict(tv.Case.Case, tv.Task.Kind, draftOf(tv.Task.Kind, form.Get("message"), form.Get("text"), form.Get("statement")))
	if c.Request().Header.Get("X-Console-Fragment") == "verdict" {
		return con.renderFragment(c, "task", "verdict", tv)
	}
	return con.render(c, http.StatusOK, "task", tv)
}

// draftOf picks the form field that holds the text a kind sends.
func draftOf(kind cases.TaskKind, message, replyText, statement string) string {
	switch kind {
	case cases.TaskApproveReply:
		return replyText
	case cases.TaskPrepareAppeal:
		return statement
	}
	return message
}
