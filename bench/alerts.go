package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"
)

// alertReceiver stands in for the seller's alert webhook (ALERT_WEBHOOK_URL):
// it notes when the first new-case alert of every case arrived.
type alertReceiver struct {
	URL string
	srv *httptest.Server

	mu    sync.Mutex
	first map[string]time.Time
}

// newCaseAlert is the alert kind sent when a case opens.
const newCaseAlert = "new_case"

func startAlertReceiver() (*alertReceiver, error) {
	r := &alertReceiver{first: map[string]time.Time{}}
	r.srv = httptest.NewServer(http.HandlerFunc(r.receive))
	r.URL = r.srv.URL + "/alerts"
	return r, nil
}

func (r *alertReceiver) receive(w http.ResponseWriter, req *http.Request) {
	at := time.Now()
	var a struct {
		CaseID string `json:"case_id"`
		Kind   string `json:"kind"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, req.Body, 1<<20)).Decode(&a); err != nil {
		http.Error(w, "bad alert: "+err.Error(), http.StatusBadRequest)
		return
	}
	if a.Kind == newCaseAlert && a.CaseID != "" {
		r.mu.Lock()
		if _, seen := r.first[a.CaseID]; !seen {
			r.first[a.CaseID] = at
		}
		r.mu.Unlock()
	}
	w.WriteHeader(http.StatusNoContent)
}

// arrivedAt reports when the case's first new-case alert arrived.
func (r *alertReceiver) arrivedAt(caseID string) (time.Time, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	t, ok := r.first[caseID]
	return t, ok
}

// count reports how many of ids have been alerted.
func (r *alertReceiver) count(ids []string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, id := range ids {
		if _, ok := r.first[id]; ok {
			n++
		}
	}
	return n
}

func (r *alertReceiver) Close() { r.srv.Close() }

// postAlert is how the baseline workflow's activity alerts: the same JSON
// shape to the same receiver.
func postAlert(client *http.Client, url, caseID string) error {
	body := fmt.Sprintf(`{"case_id":%q,"kind":%q}`, caseID, newCaseAlert)
	resp, err := client.Post(url, "application/json", strings.NewReader(body))
	if err != nil {
		return fmt.Errorf("post alert: %w", err)
	}
	resp.Body.Close()
	if resp.StatusCode >= 300 {
		return fmt.Errorf("post alert: %s", resp.Status)
	}
	return nil
}
