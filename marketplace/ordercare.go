package marketplace

import "context"

// Solicitor is implemented by connectors whose platform has an official
// review-request operation (Amazon's Solicitations API). It is the only way
// order care ever asks for a review: the platform's own fixed text, once per
// order, in the platform's window.
type Solicitor interface {
	// SolicitationAvailable reads whether the platform offers the solicitation
	// for the order now (Amazon: getSolicitationActionsForOrder lists
	// productReviewAndSellerFeedback). It is also the read-back: once sent,
	// the action is no longer offered.
	SolicitationAvailable(ctx context.Context, shopID, orderID string) (bool, error)
	// RequestReviewSolicitation sends the platform's solicitation for the order.
	RequestReviewSolicitation(ctx context.Context, shopID, orderID, idempotencyKey string) (WriteResult, error)
}

// QuestionAnswerer is implemented by connectors whose platform has pre-sale
// listing questions with an answer operation (Mercado Libre POST /answers).
type QuestionAnswerer interface {
	AnswerQuestion(ctx context.Context, shopID, itemID, questionID, text string) (WriteResult, error)
}
