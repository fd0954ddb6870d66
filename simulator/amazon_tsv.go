package simulator

import (
	"bytes"
	"compress/gzip"
	"strconv"
	"strings"
)

// The seller feedback report's flat file as Amazon US writes it: a header
// line, then one tab-separated line per feedback, dates as M/D/YY.
var amazonFeedbackHeader = []string{"Date", "Rating", "Comments", "Response", "Order ID", "Rater Email"}

func amazonFeedbackTSV(rows []*Review) []byte {
	var b strings.Builder
	b.WriteString(strings.Join(amazonFeedbackHeader, "\t") + "\r\n")
	clean := strings.NewReplacer("\t", " ", "\r", " ", "\n", " ")
	for _, rv := range rows {
		cells := []string{rv.CreatedAt.Format("1/2/06"), strconv.Itoa(rv.Rating), clean.Replace(rv.Text), clean.Replace(rv.Reply),
			rv.OrderID, "buyer" + rv.OrderID + "@marketplace.amazon.com"}
		b.WriteString(strings.Join(cells, "\t") + "\r\n")
	}
	return []byte(b.String())
}

func gzipTSV(data []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	_, _ = zw.Write(data)
	_ = zw.Close()
	return buf.Bytes()
}
