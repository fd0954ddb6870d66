package console

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/redress-hq/redress/cases"
)

// Issue 15's pages: the message centre (every buyer message and listing
// question, least time left first, with quick replies, batch answers and
// escalation) and the pre-emptive tasks (risks raised before any review).
// Like every page they call the JSON API with the person's own token.
func (con *Console) mountOrderCare(in *echo.Group) {
	in.GET("/messages", con.messagesPage, con.gate(http.MethodGet, "/v1/messages"))
	in.POST("/messages/:id/answer", con.answerMessage, con.gate(http.MethodPost, "/v1/messages/:id/answer"))
	in.POST("/messages/:id/escalate", con.escalateMessage, con.gate(http.MethodPost, "/v1/messages/:id/escalate"))
	in.POST("/messages/batch-answer", con.batchAnswer, con.gate(http.MethodPost, "/v1/messages/batch-answer"))
	in.GET("/preemptive", con.preemptivePage, con.gate(http.MethodGet, "/v1/preemptive-tasks"))
	in.POST("/preemptive/:id/complete", con.completePreemptive, con.gate(http.MethodPost, "/v1/preemptive-tasks/:id/complete"))
	in.GET("/cases/:id/order-care", con.caseOrderCarePage, con.gate(http.MethodGet, "/v1/cases/:id/order-care"))
}

// caseOrderCareView is what happened on a case's order before the review.
type caseOrderCareView struct {
	CaseID    string `json:"case_id"`
	OrderCare struct {
		Order struct {
			Marketplace    cases.Marketplace `json:"marketplace"`
			ShopID         string            `json:"shop_id"`
			OrderID        string            `json:"order_id"`
			Status         string            `json:"status"`
			TrackingNumber string            `json:"tracking_number"`
			Carrier        string            `json:"carrier"`
			ExpectedAt     *time.Time        `json:"expected_at"`
			ShippedAt      *time.Time        `json:"shipped_at"`
			DeliveredAt    *time.Time        `json:"delivered_at"`
		} `json:"order"`
		Touchpoints []struct {
			Touchpoint string    `json:"touchpoint"`
			Outcome    string    `json:"outcome"`
			Channel    string    `json:"channel"`
			Reason     string    `json:"reason"`
			Text       string    `json:"text"`
			At         time.Time `json:"at"`
		} `json:"touchpoints"`
		Tasks []preemptiveRow `json:"preemptive_tasks"`
	} `json:"order_care"`
	PriorContacts []struct {
		Kind string    `json:"kind"`
		Ref  string    `json:"ref"`
		At   time.Time `json:"at"`
	} `json:"prior_contacts"`
	// None: the case's order was not under care.
	None bool `json:"-"`
}

// caseOrderCarePage links a case to its order's history before the review.
func (con *Console) caseOrderCarePage(c echo.Context) error {
	v := &caseOrderCareView{CaseID: c.Param("id")}
	err := con.api.get(c, "/v1/cases/"+url.PathEscape(c.Param("id"))+"/order-care", v)
	var ae *apiError
	if errors.As(err, &ae) && ae.Status == http.StatusNotFound {
		v.None = true
	} else if err != nil {
		return err
	}
	return con.render(c, http.StatusOK, "case_order_care", v)
}

type messageRow struct {
	ID              string            `json:"id"`
	Marketplace     cases.Marketplace `json:"marketplace"`
	ShopID          string            `json:"shop_id"`
	Kind            string            `json:"kind"`
	OrderID         string            `json:"order_id"`
	ItemID          string            `json:"item_id"`
	Text            string            `json:"text"`
	Language        string            `json:"language"`
	Complaint       bool              `json:"complaint"`
	GroupKey        string            `json:"group_key"`
	ReceivedAt      time.Time         `json:"received_at"`
	DueAt           time.Time         `json:"due_at"`
	Status          string            `json:"status"`
	CaseID          string            `json:"case_id"`
	AnswerText      string            `json:"answer_text"`
	AnswerVia       string            `json:"answer_via"`
	AnsweredBy      string            `json:"answered_by"`
	TimeLeftSeconds int64             `json:"time_left_seconds"`
	Overdue         bool              `json:"overdue"`
	// QuickReplies are the ones for this message's marketplace and language.
	QuickReplies []quickReply `json:"-"`
	// GroupSize is how many open messages share the group (similar questions).
	GroupSize int `json:"-"`
}

type quickReply struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Language string `json:"language"`
	Text     string `json:"text"`
	Verdict  struct {
		Violations []cases.Violation `json:"violations"`
	} `json:"verdict"`
}

type messagesView struct {
	Filter         struct{ Status, Marketplace, ShopID, Kind, GroupKey string }
	Messages       []messageRow
	Marketplaces   []cases.Marketplace
	Statuses       []string
	Kinds          []string
	IdempotencyKey string
}

func (con *Console) messagesPage(c echo.Context) error {
	mv, err := con.loadMessages(c)
	if err != nil {
		return err
	}
	return con.render(c, http.StatusOK, "messages", mv)
}

func (con *Console) loadMessages(c echo.Context) (*messagesView, error) {
	mv := &messagesView{Marketplaces: cases.Marketplaces, IdempotencyKey: randomID(),
		Statuses: []string{"open", "answered", "escalated", "all"}, Kinds: []string{"question", "message"}}
	mv.Filter.Status, mv.Filter.Marketplace, mv.Filter.ShopID = c.QueryParam("status"), c.QueryParam("marketplace"), c.QueryParam("shop_id")
	mv.Filter.Kind, mv.Filter.GroupKey = c.QueryParam("kind"), c.QueryParam("group_key")
	q := url.Values{}
	for k, v := range map[string]string{"status": mv.Filter.Status, "marketplace": mv.Filter.Marketplace, "shop_id": mv.Filter.ShopID,
		"kind": mv.Filter.Kind, "group_key": mv.Filter.GroupKey} {
		if v != "" {
			q.Set(k, v)
		}
	}
	var page struct {
		Items []messageRow `json:"items"`
	}
	if err := con.api.get(c, "/v1/messages?"+q.Encode(), &page); err != nil {
		return nil, err
	}
	groups := map[string]int{}
	for _, m := range page.Items {
		if m.Status == "open" && m.GroupKey != "" {
			groups[string(m.Marketplace)+"/"+m.ShopID+"/"+m.GroupKey]++
		}
	}
	replies := map[string][]quickReply{}
	for _, m := range page.Items {
		k := string(m.Marketplace) + "/" + m.ShopID + "/" + m.Language
		if _, ok := replies[k]; !ok {
			var qr struct {
				Items []quickReply `json:"items"`
			}
			qq := url.Values{"marketplace": {string(m.Marketplace)}, "shop_id": {m.ShopID}}
			if m.Language != "" {
				qq.Set("language", m.Language)
			}
			if err := con.api.get(c, "/v1/quick-replies?"+qq.Encode(), &qr); err != nil {
				return nil, err
			}
			clean := []quickReply{}
			for _, r := range qr.Items {
				if len(r.Verdict.Violations) == 0 {
					clean = append(clean, r)
				}
			}
			replies[k] = clean
		}
		m.QuickReplies = replies[k]
		m.GroupSize = groups[string(m.Marketplace)+"/"+m.ShopID+"/"+m.GroupKey]
		mv.Messages = append(mv.Messages, m)
	}
	return mv, nil
}

// messageRefused shows the centre again with why the API refused.
func (con *Console) messageRefused(c echo.Context, ae *apiError) error {
	mv, err := con.loadMessages(c)
	if err != nil {
		return err
	}
	return con.renderRefused(c, ae, "messages", mv)
}

func (con *Console) messageAction(c echo.Context, path string, body any, done string) error {
	err := con.api.do(c, call{method: http.MethodPost, path: path, body: body, idempotencyKey: c.FormValue("idempotency_key")}, nil)
	if ae, ok := refusal(err); ok {
		return con.messageRefused(c, ae)
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, Prefix+"/messages?done="+done)
}

func (con *Console) answerMessage(c echo.Context) error {
	body := map[string]any{}
	if t := strings.TrimSpace(c.FormValue("text")); t != "" {
		body["text"] = t
	} else if q := c.FormValue("quick_reply_id"); q != "" {
		body["quick_reply_id"] = q
	}
	if r := strings.TrimSpace(c.FormValue("manual_reference")); r != "" {
		body["manual_reference"] = r
	}
	return con.messageAction(c, "/v1/messages/"+url.PathEscape(c.Param("id"))+"/answer", body, "answered")
}

func (con *Console) escalateMessage(c echo.Context) error {
	return con.messageAction(c, "/v1/messages/"+url.PathEscape(c.Param("id"))+"/escalate",
		map[string]any{"reason": strings.TrimSpace(c.FormValue("reason"))}, "escalated")
}

// batchAnswer answers the ticked messages with one text or quick reply.
func (con *Console) batchAnswer(c echo.Context) error {
	form, err := c.FormParams()
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	body := map[string]any{"ids": form["id"]}
	if t := strings.TrimSpace(form.Get("text")); t != "" {
		body["text"] = t
	} else {
		body["quick_reply_id"] = form.Get("quick_reply_id")
	}
	var res struct {
		Results []struct {
			OK bool `json:"ok"`
		} `json:"results"`
	}
	err = con.api.do(c, call{method: http.MethodPost, path: "/v1/messages/batch-answer", body: body, idempotencyKey: form.Get("idempotency_key")}, &res)
	if ae, ok := refusal(err); ok {
		return con.messageRefused(c, ae)
	}
	if err != nil {
		return err
	}
	ok := 0
	for _, r := range res.Results {
		if r.OK {
			ok++
		}
	}
	return c.Redirect(http.StatusSeeOther, Prefix+"/messages?done=batch_answered&answered="+strconv.Itoa(ok)+"&failed="+strconv.Itoa(len(res.Results)-ok))
}

type preemptiveRow struct {
	ID          string            `json:"id"`
	Marketplace cases.Marketplace `json:"marketplace"`
	ShopID      string            `json:"shop_id"`
	OrderID     string            `json:"order_id"`
	Signal      string            `json:"signal"`
	Summary     string            `json:"summary"`
	Evidence    map[string]string `json:"-"`
	RawEvidence json.RawMessage   `json:"evidence"`
	Status      string            `json:"status"`
	RaisedAt    time.Time         `json:"raised_at"`
	DoneBy      string            `json:"done_by"`
	Note        string            `json:"note"`
}

type preemptiveView struct {
	Status         string
	Statuses       []string
	Tasks          []preemptiveRow
	IdempotencyKey string
}

func (con *Console) preemptivePage(c echo.Context) error {
	pv, err := con.loadPreemptive(c)
	if err != nil {
		return err
	}
	return con.render(c, http.StatusOK, "preemptive", pv)
}

func (con *Console) loadPreemptive(c echo.Context) (*preemptiveView, error) {
	pv := &preemptiveView{Status: c.QueryParam("status"), IdempotencyKey: randomID(), Statuses: []string{"open", "done"}}
	if !c.QueryParams().Has("status") {
		pv.Status = "open"
	}
	q := url.Values{}
	if pv.Status != "" {
		q.Set("status", pv.Status)
	}
	var page struct {
		Items []preemptiveRow `json:"items"`
	}
	if err := con.api.get(c, "/v1/preemptive-tasks?"+q.Encode(), &page); err != nil {
		return nil, err
	}
	for _, t := range page.Items {
		ev := map[string]string{}
		_ = json.Unmarshal(t.RawEvidence, &ev)
		t.Evidence = ev
		pv.Tasks = append(pv.Tasks, t)
	}
	return pv, nil
}

func (con *Console) completePreemptive(c echo.Context) error {
	err := con.api.do(c, call{method: http.MethodPost, path: "/v1/preemptive-tasks/" + url.PathEscape(c.Param("id")) + "/complete",
		body: map[string]any{"note": strings.TrimSpace(c.FormValue("note"))}, idempotencyKey: c.FormValue("idempotency_key")}, nil)
	if ae, ok := refusal(err); ok {
		pv, lerr := con.loadPreemptive(c)
		if lerr != nil {
			return lerr
		}
		return con.renderRefused(c, ae, "preemptive", pv)
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, Prefix+"/preemptive?done=preemptive_done")
}
