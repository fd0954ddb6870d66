package amazon

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"net/http"
	"time"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace"
)

// feedbackReportType is the Reports API's seller feedback report: a
// tab-delimited file of the negative and neutral (1–3★) feedback buyers left
// (developer-docs.amazon.com/sp-api/docs/report-type-values, Performance).
const feedbackReportType = "GET_SELLER_FEEDBACK_DATA"

// Report processing statuses of the Reports API 2021-06-30.
const (
	reportDone      = "DONE"
	reportCancelled = "CANCELLED" // also: nothing to report in the range
	reportFatal     = "FATAL"
)

// defaultReportWait bounds how long one call waits for Amazon to process a
// report; longer runs are picked up later (the cursor keeps the report id).
// reportPoll is the interval between getReport calls while waiting.
const (
	defaultReportWait = 10 * time.Second
	reportPoll        = time.Second
)

// isoMillis is ISO 8601 with milliseconds, as the model's examples write times.
const isoMillis = "2006-01-02T15:04:05.000Z07:00"

type report struct {
	ReportID         string     `json:"reportId"`
	ProcessingStatus string     `json:"processingStatus"`
	DataStartTime    *time.Time `json:"dataStartTime"`
	DataEndTime      *time.Time `json:"dataEndTime"`
	ReportDocumentID string     `json:"reportDocumentId"`
}

func (r report) finished() bool {
	return r.ProcessingStatus == reportDone || r.ProcessingStatus == reportCancelled || r.ProcessingStatus == reportFatal
}

// createFeedbackReport asks for the feedback left between from and to.
func (c *Client) createFeedbackReport(ctx context.Context, op, shopID string, from, to time.Time) (string, error) {
	body := map[string]any{"reportType": feedbackReportType, "marketplaceIds": []string{c.cfg.MarketplaceID},
		"dataStartTime": from.UTC().Format(isoMillis), "dataEndTime": to.UTC().Format(isoMillis)}
	var res struct {
		ReportID string `json:"reportId"`
	}
	k := call{op: op, bucket: bucketCreateReport, method: http.MethodPost, url: c.url("/reports/2021-06-30/reports"), body: body}
	if err := c.do(ctx, shopID, k, &res); err != nil {
		return "", err
	}
	return res.ReportID, nil
}

func (c *Client) getReport(ctx context.Context, op, shopID, id string) (report, error) {
	var r report
	k := call{op: op, bucket: bucketGetReport, method: http.MethodGet, url: c.url("/reports/2021-06-30/reports/%s", id)}
	err := c.do(ctx, shopID, k, &r)
	return r, err
}

// awaitReport polls getReport until the report is finished or the wait
// bound passes, and returns the last state read.
func (c *Client) awaitReport(ctx context.Context, op, shopID, id string) (report, error) {
	deadline := time.Now().Add(c.reportWait)
	for {
		r, err := c.getReport(ctx, op, shopID, id)
		if err != nil || r.finished() || time.Now().Add(reportPoll).After(deadline) {
			return r, err
		}
		select {
		case <-ctx.Done():
			return r, nil
		case <-time.After(reportPoll):
		}
	}
}

// reportDocument reads a finished report's content: getReportDocument
// gives a presigned URL (valid five minutes) and whether the file is
// GZIP-compressed; the URL is fetched without SP-API credentials.
func (c *Client) reportDocument(ctx context.Context, op, shopID, documentID string) ([]byte, error) {
	var doc struct {
		URL                  string `json:"url"`
		CompressionAlgorithm string `json:"compressionAlgorithm"`
	}
	k := call{op: op, bucket: bucketReportDocument, method: http.MethodGet, url: c.url("/reports/2021-06-30/documents/%s", documentID)}
	if err := c.do(ctx, shopID, k, &doc); err != nil {
		return nil, err
	}
	req := marketplace.Request{Op: op, ShopID: shopID, Method: http.MethodGet, URL: doc.URL}
	resp, err := c.http.Do(ctx, req)
	if err != nil {
		return nil, err
	}
	if !resp.OK() {
		return nil, c.http.Errorf(op, marketplace.ClassForStatus(resp.Status), resp.Status, "report_download", "report document download: %s", http.StatusText(resp.Status))
	}
	if doc.CompressionAlgorithm != "GZIP" {
		return resp.Body, nil
	}
	zr, err := gzip.NewReader(bytes.NewReader(resp.Body))
	if err == nil {
		var data []byte
		if data, err = io.ReadAll(zr); err == nil {
			return data, nil
		}
	}
	return nil, c.http.Errorf(op, cases.ErrRetryable, resp.Status, "bad_response", "report document: gunzip: %v", err)
}
