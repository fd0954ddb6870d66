package mercadolibre

import (
	"context"
	"net/url"
	"strconv"
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
