package mercadolibre

import (
	"context"
	"net/url"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace"
)

// maxAnswerChars is POST /answers' limit (gestiona-preguntas-respuestas).
const maxAnswerChars = 2000

type questionList struct {
	Questions []struct {
		ID     flexID `json:"id"`
		Status string `json:"status"`
		Answer *struct {
			Text string `json:"text"`
		} `json:"answer"`
	} `json:"questions"`
}

// AnswerQuestion answers a pre-sale question on a listing (POST /answers,
// {question_id, text}). Mercado Libre takes no idempotency key, so the
// item's questions (GET /questions/search?item=&api_version=4) are read
// first: a question already answered with exactly this text is this write;
// answered with another text, it is refused (one answer per question).
func (c *Client) AnswerQuestion(ctx context.Context, shopID, itemID, questionID, text string) (marketplace.WriteResult, error) {
	const op = "answer_question"
	qid, err := strconv.ParseInt(questionID, 10, 64)
	if err != nil {
		return marketplace.WriteResult{}, marketplace.Invalid(cases.MercadoLibre, op, "invalid_question", "question id %q is not a number", questionID)
	}
	if n := utf8.RuneCountInString(text); n == 0 || n > maxAnswerChars {
		return marketplace.WriteResult{}, marketplace.Invalid(cases.MercadoLibre, op, "invalid_post_body", "an answer is 1–%d characters, got %d", maxAnswerChars, n)
	}
	find := func(ctx context.Context) (string, bool, error) {
		if itemID == "" {
			return "", false, nil
		}
		var list questionList
		q := url.Values{"item": {itemID}, "api_version": {"4"}}
		if err := c.get(ctx, op, shopID, "/questions/search?"+q.Encode(), nil, &list); err != nil {
			return "", false, err
		}
		for _, it := range list.Questions {
			if string(it.ID) != questionID || it.Answer == nil {
				continue
			}
			if it.Answer.Text == text {
				return questionID, true, nil
			}
			return "", false, marketplace.Invalid(cases.MercadoLibre, op, "already_answered", "question %s already has another answer", questionID)
		}
		return "", false, nil
	}
	write := func(ctx context.Context) (string, error) {
		body := map[string]any{"question_id": qid, "text": text}
		if err := c.post(ctx, op, shopID, c.cfg.BaseURL+"/answers", body, nil, nil); err != nil {
			return "", err
		}
		return questionID, nil
	}
	return marketplace.WriteOnce(ctx, find, write)
}

var _ marketplace.QuestionAnswerer = (*Client)(nil)

// UnansweredQuestions lists the seller's open pre-sale questions (GET
// /questions/search?seller_id=&status=UNANSWERED&api_version=4), oldest
// first, for the message centre: a questions notification names one
// question, and the documented way to read it is this search.
func (c *Client) UnansweredQuestions(ctx context.Context, shopID string) ([]marketplace.Question, error) {
	const op = "list_questions"
	var list struct {
		Questions []struct {
			ID          flexID    `json:"id"`
			ItemID      string    `json:"item_id"`
			Status      string    `json:"status"`
			Text        string    `json:"text"`
			DateCreated time.Time `json:"date_created"`
			From        struct {
				ID flexID `json:"id"`
			} `json:"from"`
		} `json:"questions"`
	}
	q := url.Values{"seller_id": {shopID}, "status": {"UNANSWERED"}, "api_version": {"4"}, "sort_fields": {"date_created"}, "sort_types": {"ASC"}}
	if err := c.get(ctx, op, shopID, "/questions/search?"+q.Encode(), nil, &list); err != nil {
		return nil, err
	}
	out := []marketplace.Question{}
	for _, it := range list.Questions {
		if it.Status != "UNANSWERED" || it.Text == "" { // the search may still return others; banned texts come back empty
			continue
		}
		out = append(out, marketplace.Question{ID: string(it.ID), ItemID: it.ItemID, BuyerID: string(it.From.ID), Text: it.Text, CreatedAt: it.DateCreated})
	}
	return out, nil
}

var _ marketplace.QuestionLister = (*Client)(nil)
