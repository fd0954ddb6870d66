package simulator

import (
	"net/http"
	"time"

	"github.com/redress-hq/redress/cases"
)

// Reports API 2021-06-30 with the one report type Redress asks for,
// GET_SELLER_FEEDBACK_DATA. Like Amazon, a report is processed in the
// background: IN_QUEUE when created, IN_PROGRESS at the first read, then
// DONE (or CANCELLED when there is nothing to report). The file is written
// when the report is created and served gzip-compressed from a
// presigned-style URL.

const amazonFeedbackReport = "GET_SELLER_FEEDBACK_DATA"

type amazonReport struct {
	ID, ShopID, DocumentID string
	MarketplaceIDs         []string
	Start, End, Created    time.Time
	Status                 string
	Document               []byte // gzip-compressed TSV
	Rows                   int
}

func (s *Simulator) amazonCreateReport(w http.ResponseWriter, r *http.Request, shopID string) {
	var body struct {
		ReportType     string     `json:"reportType"`
		MarketplaceIDs []string   `json:"marketplaceIds"`
		DataStartTime  *time.Time `json:"dataStartTime"`
		DataEndTime    *time.Time `json:"dataEndTime"`
	}
	if !readJSON(w, r, &body, amazonFault) {
		return
	}
	if body.ReportType != amazonFeedbackReport || len(body.MarketplaceIDs) == 0 {
		amazonError(w, 400, "InvalidInput", "the simulator serves reportType GET_SELLER_FEEDBACK_DATA for given marketplaceIds")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	rep := &amazonReport{ID: s.newID(""), ShopID: shopID, MarketplaceIDs: body.MarketplaceIDs, Start: now, End: now, Created: now, Status: "IN_QUEUE"}
	if body.DataStartTime != nil {
		rep.Start = *body.DataStartTime
	}
	if body.DataEndTime != nil {
		rep.End = *body.DataEndTime
	}
	if rep.End.After(now) || rep.Start.After(rep.End) {
		amazonError(w, 400, "InvalidInput", "dataStartTime and dataEndTime must be in order and not in the future")
		return
	}
	rep.Document, rep.Rows = s.amazonFeedbackFile(shopID, rep.Start, rep.End)
	rep.DocumentID = "amzn1.tortuga.4." + rep.ID
	if s.amazon.reports == nil {
		s.amazon.reports = map[string]*amazonReport{}
	}
	s.amazon.reports[rep.ID] = rep
	writeJSON(w, 202, map[string]any{"reportId": rep.ID})
}

func (s *Simulator) amazonGetReport(w http.ResponseWriter, r *http.Request, shopID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rep, ok := s.amazon.reports[r.PathValue("id")]
	if !ok || rep.ShopID != shopID {
		amazonError(w, 404, "NotFound", "report not found")
		return
	}
	switch {
	case rep.Status == "IN_QUEUE":
		rep.Status = "IN_PROGRESS"
	case rep.Status == "IN_PROGRESS" && rep.Rows == 0:
		rep.Status = "CANCELLED"
	case rep.Status == "IN_PROGRESS":
		rep.Status = "DONE"
	}
	out := map[string]any{"reportId": rep.ID, "reportType": amazonFeedbackReport, "marketplaceIds": rep.MarketplaceIDs,
		"dataStartTime": rep.Start.Format(time.RFC3339), "dataEndTime": rep.End.Format(time.RFC3339),
		"createdTime": rep.Created.Format(time.RFC3339), "processingStatus": rep.Status, "processingStartTime": rep.Created.Format(time.RFC3339)}
	if rep.Status == "DONE" {
		out["processingEndTime"] = s.now().Format(time.RFC3339)
		out["reportDocumentId"] = rep.DocumentID
	}
	writeJSON(w, 200, out)
}

func (s *Simulator) amazonReportByDocument(id string) (*amazonReport, bool) {
	for _, rep := range s.amazon.reports {
		if rep.DocumentID == id && rep.Status == "DONE" {
			return rep, true
		}
	}
	return nil, false
}

func (s *Simulator) amazonReportDocument(w http.ResponseWriter, r *http.Request, shopID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rep, ok := s.amazonReportByDocument(r.PathValue("id"))
	if !ok || rep.ShopID != shopID {
		amazonError(w, 404, "NotFound", "report document not found")
		return
	}
	writeJSON(w, 200, map[string]any{"reportDocumentId": rep.DocumentID, "compressionAlgorithm": "GZIP",
		"url": "http://" + r.Host + "/amazon/_documents/" + rep.DocumentID + "?X-Amz-Expires=300"})
}

// amazonDocumentFile serves the report file, as S3 would: bytes, no JSON.
func (s *Simulator) amazonDocumentFile(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	rep, ok := s.amazonReportByDocument(r.PathValue("id"))
	s.mu.Unlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=UTF-8")
	_, _ = w.Write(rep.Document)
}

// amazonFeedbackFile writes the shop's 1–3★ feedback left between start and
// end; callers hold s.mu.
func (s *Simulator) amazonFeedbackFile(shopID string, start, end time.Time) ([]byte, int) {
	var rows []*Review
	for _, rv := range s.reviews {
		if rv.Platform == cases.Amazon && rv.ShopID == shopID && !rv.Removed && rv.Rating <= 3 &&
			!rv.CreatedAt.Before(start) && !rv.CreatedAt.After(end) {
			rows = append(rows, rv)
		}
	}
	sortReviews(rows)
	return gzipTSV(amazonFeedbackTSV(rows)), len(rows)
}
