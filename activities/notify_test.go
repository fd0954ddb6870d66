package activities_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"

	"github.com/redress-hq/redress/activities"
	"github.com/redress-hq/redress/cases"
)

func TestWebhookNotifierPostsWithIdempotencyKey(t *testing.T) {
	type got struct {
		key   string
		alert activities.Alert
	}
	received := make(chan got, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		var a activities.Alert
		_ = json.Unmarshal(body, &a)
		received <- got{r.Header.Get("Idempotency-Key"), a}
		w.WriteHeader(http.StatusAccepted)
	}))
	defer srv.Close()

	n := activities.WebhookNotifier{URL: srv.URL, Client: srv.Client()}
	al := activities.Alert{CaseID: "cs_1", Marketplace: cases.EBay, Kind: activities.AlertBreach,
		Deadline: cases.DeadlineFirstContact, Message: "late", IdempotencyKey: "cs_1:deadline_breached:9"}
	require.NoError(t, n.Notify(context.Background(), al))
	g := <-received
	require.Equal(t, "cs_1:deadline_breached:9", g.key)
	require.Equal(t, al, g.alert)
}

func TestWebhookNotifierReportsRefusal(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	err := activities.WebhookNotifier{URL: srv.URL}.Notify(context.Background(), activities.Alert{CaseID: "cs_1"})
	require.ErrorContains(t, err, "503")
}

func TestWebhookNotifierWithoutURLOnlyLogs(t *testing.T) {
	require.NoError(t, activities.WebhookNotifier{}.Notify(context.Background(), activities.Alert{CaseID: "cs_1"}))
}

func TestLoadZone(t *testing.T) {
	z, err := activities.LoadZone(context.Background(), "America/Sao_Paulo")
	require.NoError(t, err)
	require.Equal(t, "America/Sao_Paulo", z.Name)
	require.NotEmpty(t, z.TZData)

	_, err = activities.LoadZone(context.Background(), "../../etc/passwd")
	require.ErrorContains(t, err, "not an IANA name")
	_, err = activities.LoadZone(context.Background(), "Mars/Olympus_Mons")
	require.ErrorContains(t, err, "not found")
}

type refusingNotifier struct{ err error }

func (n refusingNotifier) Notify(context.Context, activities.Alert) error { return n.err }

func TestUndeliverableAlertIsNotRetried(t *testing.T) {
	var suite testsuite.WorkflowTestSuite
	for name, c := range map[string]struct {
		err       error
		retryable bool
	}{
		"refused for good": {fmt.Errorf("channel x: 404: %w", activities.ErrAlertUndeliverable), false},
		"busy receiver":    {errors.New("channel x: 503"), true},
	} {
		env := suite.NewTestActivityEnvironment()
		env.RegisterActivity(&activities.Activities{Notifier: refusingNotifier{c.err}})
		_, err := env.ExecuteActivity((&activities.Activities{}).AlertSeller, activities.Alert{CaseID: "c1", Kind: activities.AlertNewCase})
		require.Error(t, err, name)
		var appErr *temporal.ApplicationError
		require.True(t, errors.As(err, &appErr), "%s: %v", name, err)
		require.Equal(t, !c.retryable, appErr.NonRetryable(), name)
	}
}
