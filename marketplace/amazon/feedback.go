package amazon

import (
	"context"
	"log/slog"
	"strings"
	"time"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace"
)

// Seller feedback is the only buyer rating SP-API exposes (product reviews
// have no API), and only through the asynchronous Reports API: createReport,
// getReport until processed, getReportDocument, download. A poll therefore
// sees new feedback minutes to hours after the buyer left it.

// firstLookback is how far back the first poll of a shop reads.
const firstLookback = 30 * 24 * time.Hour

// stateLookback is the range GetReview reads: feedback stays in Seller
// Central's history for a year.
const stateLookback = 365 * 24 * time.Hour

// ListNegativeReviews reads the feedback left since the cursor. The cursor is
// the end of the last processed report's range ("since"); while a report is
// still being processed it is "since|reportId", so the next poll picks that
// report up instead of asking for another. Review ids are Amazon order ids
// (one seller feedback per order).
func (c *Client) ListNegativeReviews(ctx context.Context, shopID, cursor string) ([]cases.Review, string, error) {
	const op = "list_negative_reviews"
	since, reportID := parseFeedbackCursor(cursor)
	if since.IsZero() {
		since = time.Now().Add(-firstLookback)
	}
	if reportID == "" {
		id, err := c.createFeedbackReport(ctx, op, shopID, since, time.Now())
		if err != nil {
			return nil, cursor, err
		}
		reportID = id
	}
	rep, err := c.awaitReport(ctx, op, shopID, reportID)
	if err != nil {
		return nil, cursor, err
	}
	switch rep.ProcessingStatus {
	case reportDone:
	case reportCancelled: // Amazon cancels a report that has nothing to report
		return nil, feedbackCursor(rangeEnd(rep, since), ""), nil
	case reportFatal:
		slog.WarnContext(ctx, "amazon feedback report failed; asking for a new one next poll", "shop", shopID, "report", reportID)
		return nil, feedbackCursor(since, ""), nil
	default:
		return nil, feedbackCursor(since, reportID), nil
	}
	rows, err := c.feedbackRows(ctx, op, shopID, rep.ReportDocumentID)
	if err != nil {
		return nil, cursor, err
	}
	var out []cases.Review
	for _, r := range rows {
		if _, opens := cases.SeverityOf(r.Rating); !opens || r.OrderID == "" {
			continue
		}
		out = append(out, cases.Review{Marketplace: cases.Amazon, ShopID: shopID, ReviewID: r.OrderID, OrderID: r.OrderID,
			Rating: r.Rating, Text: r.Comments, CreatedAt: r.Date})
	}
	return out, feedbackCursor(rangeEnd(rep, since), ""), nil
}

// GetReview reads the feedback on an order as the latest year-long report
// shows it. Absent means removed — or revised to 4–5★, which the report of
// 1–3★ feedback cannot tell apart (both are good outcomes); a revised 1–3★
// rating shows as the new rating. A report still processing after the wait
// is a retryable error.
func (c *Client) GetReview(ctx context.Context, shopID, reviewID string) (marketplace.ReviewState, error) {
	const op = "get_review"
	now := time.Now()
	id, err := c.createFeedbackReport(ctx, op, shopID, now.Add(-stateLookback), now)
	if err != nil {
		return marketplace.ReviewState{}, err
	}
	rep, err := c.awaitReport(ctx, op, shopID, id)
	if err != nil {
		return marketplace.ReviewState{}, err
	}
	st := marketplace.ReviewState{ReviewID: reviewID, LastReadAt: now.UTC()}
	switch rep.ProcessingStatus {
	case reportCancelled:
		st.Removed = true
		return st, nil
	case reportDone:
	default:
		e := c.http.Errorf(op, cases.ErrRetryable, 0, "report_pending", "feedback report %s is %s", id, rep.ProcessingStatus)
		return marketplace.ReviewState{}, e
	}
	rows, err := c.feedbackRows(ctx, op, shopID, rep.ReportDocumentID)
	if err != nil {
		return marketplace.ReviewState{}, err
	}
	st.Removed = true
	for _, r := range rows {
		if r.OrderID == reviewID {
			st = marketplace.ReviewState{ReviewID: reviewID, Rating: r.Rating, Text: r.Comments, HasReply: r.Response != "",
				ReplyText: r.Response, UpdatedAt: r.Date, LastReadAt: st.LastReadAt}
		}
	}
	return st, nil
}

func (c *Client) feedbackRows(ctx context.Context, op, shopID, documentID string) ([]feedbackRow, error) {
	data, err := c.reportDocument(ctx, op, shopID, documentID)
	if err != nil {
		return nil, err
	}
	rows, err := parseFeedbackReport(data, c.cfg.MarketplaceID)
	if err != nil {
		return nil, c.http.Errorf(op, cases.ErrPermanent, 0, "bad_report", "%v", err)
	}
	return rows, nil
}

func rangeEnd(r report, since time.Time) time.Time {
	if r.DataEndTime != nil {
		return *r.DataEndTime
	}
	return since
}

func feedbackCursor(since time.Time, reportID string) string {
	s := since.UTC().Format(isoMillis)
	if reportID != "" {
		s += "|" + reportID
	}
	return s
}

func parseFeedbackCursor(cursor string) (time.Time, string) {
	at, reportID, _ := strings.Cut(cursor, "|")
	since, err := time.Parse(time.RFC3339, at)
	if err != nil {
		return time.Time{}, ""
	}
	return since, reportID
}
