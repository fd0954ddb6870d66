package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/intake"
	"github.com/redress-hq/redress/store"
	"github.com/redress-hq/redress/workflows"
)

// reviewRequest is POST /v1/reviews. Times and amounts arrive as text and
// numbers and are checked field by field, so every mistake is named at once.
type reviewRequest struct {
	Marketplace string       `json:"marketplace" validate:"required,marketplace"`
	ShopID      string       `json:"shop_id" validate:"required,max=128"`
	ReviewID    string       `json:"review_id" validate:"required,max=128"`
	OrderID     string       `json:"order_id" validate:"required,max=128"`
	ItemID      string       `json:"item_id" validate:"max=128"`
	Rating      *int         `json:"rating" validate:"required,min=1,max=5"`
	Text        string       `json:"text" validate:"max=20000"`
	Language    string       `json:"language" validate:"max=35"`
	Photos      []string     `json:"photos" validate:"max=50,dive,url"`
	CreatedAt   string       `json:"created_at" validate:"required,rfc3339"`
	Buyer       *buyerFields `json:"buyer" validate:"required"`
	OrderAmount json.Number  `json:"order_amount" validate:"omitempty,money"`
	ShippingFee json.Number  `json:"shipping_fee" validate:"omitempty,money"`
	Currency    string       `json:"currency" validate:"omitempty,iso4217"`
	// What changed on the platform since the review was posted.
	Removed      bool   `json:"removed"`
	FollowUpText string `json:"follow_up_text" validate:"max=20000"`
	Replied      bool   `json:"replied"`
}

type buyerFields struct {
	ID   string `json:"id" validate:"required,max=128"`
	Name string `json:"name" validate:"max=256"`
}

func (r reviewRequest) review() cases.Review {
	created, _ := time.Parse(time.RFC3339, r.CreatedAt)     // validated
	amount, _ := cases.ParseMoney(r.OrderAmount.String())   // validated
	shipping, _ := cases.ParseMoney(r.ShippingFee.String()) // validated
	return cases.Review{
		Marketplace:  cases.Marketplace(r.Marketplace),
		ShopID:       r.ShopID,
		ReviewID:     r.ReviewID,
		OrderID:      r.OrderID,
		ItemID:       r.ItemID,
		Rating:       *r.Rating,
		Text:         r.Text,
		Language:     r.Language,
		Photos:       r.Photos,
		CreatedAt:    created.UTC(),
		Buyer:        cases.Buyer{ID: r.Buyer.ID, Name: r.Buyer.Name},
		OrderAmount:  amount,
		ShippingFee:  shipping,
		Currency:     r.Currency,
		Removed:      r.Removed,
		FollowUpText: r.FollowUpText,
		Replied:      r.Replied,
	}
}

// reviewResponse: opened says whether the review has a case; 4–5★ reviews
// never open one (reason "rating_not_negative"). changed says the review
// already had an open case and its content (rating, text, removal, 追评, a
// visible reply) differs from what the case last saw: the case was sent the
// change. The same content again is a no-op with the same case.
type reviewResponse struct {
	Case    *cases.Case `json:"case"`
	Opened  bool        `json:"opened"`
	Changed bool        `json:"changed,omitempty"`
	Reason  string      `json:"reason,omitempty"`
}

func (s *Server) createReview(c echo.Context) error {
	var req reviewRequest
	if err := s.decodeJSON(c, &req, false); err != nil {
		return err
	}
	review := req.review()
	ctx := c.Request().Context()
	if err := s.shopInScope(ctx, review.Marketplace, review.ShopID); err != nil {
		return err
	}
	d, started, err := s.receiveReview(ctx, review, "api")
	if err != nil {
		return err
	}
	if !d.HasCase {
		return c.JSON(http.StatusOK, reviewResponse{Reason: "rating_not_negative"})
	}
	// A case this request started is not in the index yet (its first wait
	// writes it): answer with the case its opening folds to, without a read.
	kase, err := openedSummary(d.CaseID, review)
	if !started {
		kase, err = s.caseOrSummary(ctx, d.CaseID, review)
	}
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, "/v1/cases/"+d.CaseID)
	status := http.StatusOK
	if started {
		status = http.StatusCreated
	}
	return c.JSON(status, reviewResponse{Case: &kase, Opened: true, Changed: d.Changed})
}

// receiveReview opens the case of a 1–3★ review; a review that already has a
// case, whatever its rating now, goes to that case as a change when its
// content changed. A 4–5★ review without a case has none (HasCase false).
func (s *Server) receiveReview(ctx context.Context, review cases.Review, source string) (d intake.ReviewDelivery, started bool, err error) {
	_, negative := cases.SeverityOf(review.Rating)
	if negative {
		caseID, started, err := s.openCase(ctx, review)
		if err != nil || started {
			return intake.ReviewDelivery{CaseID: caseID, HasCase: true}, started, err
		}
	}
	tctx, cancel := s.temporalContext(ctx)
	defer cancel()
	d, err = intake.DeliverReviewChange(tctx, s.temporal, s.payloads, s.store, review, source)
	if err != nil {
		return d, false, fmt.Errorf("review %s/%s: %w", review.Marketplace, review.ReviewID, err)
	}
	d.HasCase = d.HasCase || negative // started before: the case exists
	return d, false, nil
}

// openCase starts the case workflow for a negative review; started is false
// when the review already had a case (open or closed), so exactly one of
// many concurrent posts of the same review starts it.
func (s *Server) openCase(ctx context.Context, review cases.Review) (caseID string, started bool, err error) {
	caseID = cases.CaseIDFor(review.Marketplace, review.ShopID, review.ReviewID)
	tctx, cancel := s.temporalContext(ctx)
	defer cancel()
	// The case reads its shop's policy and texts itself when it opens: the
	// intake only starts it (and so accepts reviews while PostgreSQL is away).
	started, err = workflows.StartCase(tctx, s.temporal, workflows.CaseInput{
		CaseID:     caseID,
		Review:     review,
		Settings:   s.cfg.CaseDefaults,
		ShopAtOpen: true,
		ReceivedAt: time.Now().UTC(),
	})
	if err != nil {
		return "", false, fmt.Errorf("open case for review %s/%s: %w", review.Marketplace, review.ReviewID, err)
	}
	if started {
		s.metrics.casesOpened.WithLabelValues(string(review.Marketplace)).Inc()
	}
	return caseID, started, nil
}

// caseOrSummary returns the indexed case, or — while the workflow has not
// yet written its first row — a summary built from the review.
func (s *Server) caseOrSummary(ctx context.Context, caseID string, r cases.Review) (cases.Case, error) {
	kase, err := s.store.GetCase(ctx, caseID)
	if err == nil {
		return kase, nil
	}
	if !errors.Is(err, store.ErrNotFound) {
		return cases.Case{}, fmt.Errorf("read case %s: %w", caseID, err)
	}
	return openedSummary(caseID, r)
}

// openedSummary is a case the workflow has not indexed yet: the case its
// opening event folds to, stamped now (the index row will carry the
// workflow's own times).
func openedSummary(caseID string, r cases.Review) (cases.Case, error) {
	opened := cases.NewEvent(caseID, 0, cases.EventCaseOpened, cases.SystemActor, time.Now().UTC(),
		cases.CaseOpenedData{Review: &r, WorkflowID: cases.WorkflowIDFor(caseID)})
	st, err := cases.Fold([]cases.Event{opened})
	return st.Case, err
}
