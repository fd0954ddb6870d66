package amazon

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// feedbackRow is one line of a GET_SELLER_FEEDBACK_DATA report.
type feedbackRow struct {
	Date     time.Time
	Rating   int
	Comments string
	Response string
	OrderID  string
}

// The report's columns, found by header name: Amazon's files carry
// "Date, Rating, Comments, Response, Order ID, Rater Email" and, in newer
// layouts, extra columns (Arrived on Time, Item as Described, Customer
// Service, Rater Role) in between.
const (
	colDate     = "date"
	colRating   = "rating"
	colComments = "comments"
	colResponse = "response"
	colOrderID  = "order id"
)

// parseFeedbackReport reads the tab-separated report. Dates are written
// the marketplace's way (US and Canada M/D/YY, Japan YY/M/D, elsewhere D/M/YY or
// D.M.YY).
func parseFeedbackReport(data []byte, marketplaceID string) ([]feedbackRow, error) {
	lines := strings.Split(strings.TrimPrefix(strings.ReplaceAll(string(data), "\r\n", "\n"), "\ufeff"), "\n")
	if len(lines) == 0 || strings.TrimSpace(lines[0]) == "" {
		return nil, nil
	}
	col := map[string]int{}
	for i, h := range strings.Split(lines[0], "\t") {
		col[strings.ToLower(strings.TrimSpace(h))] = i
	}
	for _, name := range []string{colDate, colRating, colOrderID} {
		if _, ok := col[name]; !ok {
			return nil, fmt.Errorf("feedback report: no %q column in header %q", name, lines[0])
		}
	}
	field := func(cells []string, name string) string {
		if i, ok := col[name]; ok && i < len(cells) {
			return strings.TrimSpace(cells[i])
		}
		return ""
	}
	var rows []feedbackRow
	for n, line := range lines[1:] {
		if strings.TrimSpace(line) == "" {
			continue
		}
		cells := strings.Split(line, "\t")
		rating, err := strconv.Atoi(field(cells, colRating))
		if err != nil {
			return nil, fmt.Errorf("feedback report line %d: rating: %w", n+2, err)
		}
		date, err := feedbackDate(field(cells, colDate), marketplaceID)
		if err != nil {
			return nil, fmt.Errorf("feedback report line %d: %w", n+2, err)
		}
		rows = append(rows, feedbackRow{Date: date, Rating: rating, Comments: field(cells, colComments),
			Response: field(cells, colResponse), OrderID: field(cells, colOrderID)})
	}
	return rows, nil
}

const (
	marketplaceUS = "ATVPDKIKX0DER"
	marketplaceCA = "A2EUQ1WTGCTBG2"
	marketplaceJP = "A1VC38T7YXB528"
)

func feedbackDate(s, marketplaceID string) (time.Time, error) {
	layouts := []string{"2/1/06", "2/1/2006", "2.1.06", "2.1.2006"}
	switch marketplaceID {
	case marketplaceUS, marketplaceCA:
		layouts = []string{"1/2/06", "1/2/2006"}
	case marketplaceJP:
		layouts = []string{"06/1/2", "2006/1/2"}
	}
	for _, l := range append(layouts, "2006-01-02") {
		if t, err := time.Parse(l, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("date %q in no known layout", s)
}
