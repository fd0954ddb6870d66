package simulator

import (
	"net/http"
	"sort"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/redress-hq/redress/cases"
)

// LedgerAnswer is an answer to a pre-sale question (Mercado Libre POST /answers).
const LedgerAnswer LedgerKind = "answer"

// Question is a pre-sale question on a Mercado Libre listing.
type Question struct {
	ID         int64      `json:"id"`
	ShopID     string     `json:"shop_id"`
	ItemID     string     `json:"item_id"`
	BuyerID    int64      `json:"buyer_id"`
	Text       string     `json:"text"`
	CreatedAt  time.Time  `json:"created_at"`
	Answer     string     `json:"answer,omitempty"`
	AnsweredAt *time.Time `json:"answered_at,omitempty"`
}

// meliQuestions holds questions by id; the zero value is ready (callers hold s.mu).
type meliQuestions struct {
	byID map[int64]*Question
	next int64
}

// AddQuestion puts a buyer's question on a shop's listing.
func (s *Simulator) AddQuestion(shopID, itemID, text string) (Question, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.shops[key(cases.MercadoLibre, shopID)]; !ok {
		return Question{}, ErrNotFound
	}
	if s.meliQ.byID == nil {
		s.meliQ.byID, s.meliQ.next = map[int64]*Question{}, 11436370000
	}
	s.meliQ.next++
	q := &Question{ID: s.meliQ.next, ShopID: shopID, ItemID: itemID, BuyerID: 419067349, Text: text, CreatedAt: s.now()}
	s.meliQ.byID[q.ID] = q
	return *q, nil
}

func meliQuestionJSON(q *Question) map[string]any {
	m := map[string]any{"date_created": q.CreatedAt.Format("2006-01-02T15:04:05.000-07:00"), "item_id": q.ItemID,
		"status": "UNANSWERED", "text": q.Text, "id": q.ID, "deleted_from_listing": false, "hold": false,
		"answer": nil, "from": map[string]any{"id": q.BuyerID}}
	if seller, err := strconv.ParseInt(q.ShopID, 10, 64); err == nil {
		m["seller_id"] = seller
	}
	if q.AnsweredAt != nil {
		m["status"] = "ANSWERED"
		m["answer"] = map[string]any{"text": q.Answer, "status": "ACTIVE", "date_created": q.AnsweredAt.Format("2006-01-02T15:04:05.000-07:00")}
	}
	return m
}

// meliQuestionSearch serves GET /questions/search?item=&api_version=4 in the
// documented shape (questions_search_item.response.json).
func (s *Simulator) meliQuestionSearch(w http.ResponseWriter, r *http.Request, shopID string) {
	qv := r.URL.Query()
	item, seller, status := qv.Get("item"), qv.Get("seller_id"), qv.Get("status")
	if item == "" && seller == "" {
		meliError(w, 400, "bad_request", "item or seller_id is required", 0)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	qs := make([]*Question, 0, len(s.meliQ.byID))
	for _, q := range s.meliQ.byID {
		qs = append(qs, q)
	}
	sort.Slice(qs, func(i, j int) bool { return qs[i].ID < qs[j].ID })
	list := []any{}
	for _, q := range qs {
		if q.ShopID != shopID || (item != "" && q.ItemID != item) || (seller != "" && seller != shopID) {
			continue
		}
		if js := meliQuestionJSON(q); status == "" || js["status"] == status {
			list = append(list, js)
		}
	}
	filters := map[string]any{}
	if item != "" {
		filters["item"] = item
	}
	writeJSON(w, 200, map[string]any{"total": len(list), "limit": 50, "questions": list, "filters": filters,
		"available_filters": []any{}, "available_sorts": []any{}})
}

// meliAnswer serves POST /answers {question_id, text}: one answer per
// question, at most 2000 characters (errors invalid_question, invalid_post_body).
func (s *Simulator) meliAnswer(w http.ResponseWriter, r *http.Request, shopID string) {
	var body struct {
		QuestionID int64  `json:"question_id"`
		Text       string `json:"text"`
	}
	if !readJSON(w, r, &body, meliError) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	q, ok := s.meliQ.byID[body.QuestionID]
	switch {
	case !ok || q.ShopID != shopID:
		meliError(w, 400, "invalid_question", "question not found", 0)
		return
	case body.Text == "" || utf8.RuneCountInString(body.Text) > 2000:
		meliError(w, 400, "invalid_post_body", "text must be 1 to 2000 characters", 0)
		return
	case q.AnsweredAt != nil:
		meliError(w, 400, "invalid_question", "the question is already answered", 0)
		return
	}
	now := s.now()
	q.Answer, q.AnsweredAt = body.Text, &now
	id := strconv.FormatInt(q.ID, 10)
	s.record(LedgerEntry{Platform: cases.MercadoLibre, ShopID: shopID, Kind: LedgerAnswer, Ref: id, ID: id, Payload: body.Text})
	writeJSON(w, 200, meliQuestionJSON(q))
}
