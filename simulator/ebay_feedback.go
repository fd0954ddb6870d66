package simulator

import (
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/redress-hq/redress/cases"
)

// ebayFeedback serves getFeedback: feedback received by user_id, one by
// feedback_id, or filtered by commentType, newest first, paginated.
func (s *Simulator) ebayFeedback(w http.ResponseWriter, r *http.Request, shopID string) {
	q := r.URL.Query()
	if q.Get("user_id") != shopID || q.Get("feedback_type") != "FEEDBACK_RECEIVED" {
		ebayError(w, 400, 355001, "REQUEST", "user_id must be the seller and feedback_type FEEDBACK_RECEIVED")
		return
	}
	commentType := ""
	for _, f := range strings.Split(q.Get("filter"), ",") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(f), "commentType:"); ok {
			commentType = v
		}
	}
	offset, _ := strconv.Atoi(q.Get("offset"))
	limit, err := strconv.Atoi(q.Get("limit"))
	if err != nil {
		limit = 25
	}
	if limit < 25 || limit > 200 {
		ebayError(w, 400, 355003, "REQUEST", "limit must be 25 to 200")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var all []*Review
	for _, rv := range s.reviews {
		if rv.Platform != cases.EBay || rv.ShopID != shopID || rv.Removed {
			continue
		}
		if id := q.Get("feedback_id"); id != "" {
			if rv.ID == id {
				all = append(all, rv)
			}
			continue
		}
		if commentType == "" || ebayCommentType(rv.Rating) == commentType {
			all = append(all, rv)
		}
	}
	sortReviews(all)
	entries := []any{}
	for i := len(all) - 1 - offset; i >= 0 && len(entries) < limit; i-- { // newest first
		entries = append(entries, s.ebayFeedbackDetail(all[i]))
	}
	writeJSON(w, 200, map[string]any{"feedbackEntries": entries,
		"pagination": map[string]any{"count": len(entries), "limit": limit, "offset": offset, "total": len(all)}})
}

// ebayFeedbackDetail is a Feedback API FeedbackDetail; callers hold s.mu.
func (s *Simulator) ebayFeedbackDetail(rv *Review) map[string]any {
	o := s.orders[key(cases.EBay, rv.OrderID)]
	d := map[string]any{
		"feedbackId": rv.ID, "commentType": ebayCommentType(rv.Rating), "feedbackState": "ENTERED",
		"feedbackEnteredDate": rv.CreatedAt, "eligibleForRevision": len(rv.Revisions) == 0,
		"feedbackComment":    map[string]any{"commentText": rv.Text, "state": "ENTERED"},
		"providerUserDetail": map[string]any{"userId": o.BuyerName, "role": "BUYER"},
		"orderLineItemSummary": map[string]any{
			"orderLineItemId": ebayOrderLineItemID(o), "listingId": ebayListingID(o), "listingTitle": o.Item,
			"listingPrice": map[string]any{"currency": o.Currency, "value": float64(o.Amount) / 100},
		},
	}
	if rv.RepliedAt != nil {
		d["replyComment"] = map[string]any{"commentText": rv.Reply, "state": "ENTERED"}
	}
	return d
}

// ebayRespond serves respondToFeedback: a reply of 1–500 characters to the
// buyer who left the feedback, once per feedback.
func (s *Simulator) ebayRespond(w http.ResponseWriter, r *http.Request, shopID string) {
	var body struct {
		FeedbackID      string `json:"feedbackId"`
		RecipientUserID string `json:"recipientUserId"`
		ResponseText    string `json:"responseText"`
		ResponseType    string `json:"responseType"`
	}
	if !readJSON(w, r, &body, ebayFault) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	rv, ok := s.reviews[key(cases.EBay, body.FeedbackID)]
	switch {
	case !ok || rv.ShopID != shopID || rv.Removed:
		ebayError(w, 404, 501020, "REQUEST", "feedback not found")
	case body.RecipientUserID == "":
		ebayError(w, 400, 501029, "REQUEST", "Recipient user ID request parameter is required.")
	case body.RecipientUserID != s.orders[key(cases.EBay, rv.OrderID)].BuyerName:
		ebayError(w, 400, 501030, "REQUEST", "recipientUserId is not the user who left the feedback")
	case body.ResponseType != "REPLY":
		ebayError(w, 400, 501033, "REQUEST", "responseType must be REPLY for a seller")
	case body.ResponseText == "" || utf8.RuneCountInString(body.ResponseText) > 500:
		ebayError(w, 400, 501012, "REQUEST", "responseText must be 1-500 characters")
	case rv.RepliedAt != nil:
		ebayError(w, 409, 501032, "REQUEST", "Reply already left")
	default:
		now := s.now()
		rv.Reply, rv.RepliedAt = body.ResponseText, &now
		s.record(LedgerEntry{Platform: cases.EBay, ShopID: shopID, Kind: LedgerReply, Ref: rv.ID, ID: rv.ID, OrderID: rv.OrderID, ReviewID: rv.ID, Payload: body.ResponseText})
		writeJSON(w, 200, map[string]any{})
	}
}
