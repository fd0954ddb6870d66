package privacy_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/internal/keyring"
	"github.com/redress-hq/redress/privacy"
	"github.com/redress-hq/redress/store"
	"github.com/redress-hq/redress/store/storetest"
)

var closedAt = time.Date(2026, 1, 10, 12, 0, 0, 0, time.UTC)

// closedCase writes a case of buyer-1 closed at closedAt, its data sealed.
func closedCase(t *testing.T, s *store.Store) string {
	t.Helper()
	id := cases.CaseIDFor(cases.MercadoLibre, "shop-1", "r-retention")
	opened := closedAt.Add(-72 * time.Hour)
	c := cases.Case{
		ID: id, WorkflowID: cases.WorkflowIDFor(id), Marketplace: cases.MercadoLibre, ShopID: "shop-1",
		ReviewID: "r-retention", BuyerID: "buyer-1", BuyerName: "Josefina Ruiz", Rating: 1,
		Severity: cases.SeverityBad, Text: "nunca llegó", Language: "es", Issue: cases.IssueLogisticsDelay,
		Stage: cases.StageClosed, Status: cases.StatusClosed, Outcome: cases.OutcomeRevised,
		ReviewCreatedAt: opened, OpenedAt: opened, UpdatedAt: closedAt, ClosedAt: &closedAt, Version: 1,
	}
	require.NoError(t, s.SyncCase(context.Background(), cases.SyncBatch{Case: c}))
	return id
}

// runRetention runs one scheduled run whose clock reads now, over the real store.
func runRetention(t *testing.T, s *store.Store, now time.Time, days int) int {
	t.Helper()
	return runRetentionAt(t, s, now, days, 1)
}

// runRetentionAt is runRetention as a run of the given version of the
// retention-per-organisation change (DefaultVersion: scheduled before it).
func runRetentionAt(t *testing.T, s *store.Store, now time.Time, days int, v workflow.Version) int {
	t.Helper()
	var suite testsuite.WorkflowTestSuite
	env := suite.NewTestWorkflowEnvironment()
	env.OnGetVersion("retention-per-organisation", workflow.DefaultVersion, 1).Return(v)
	env.SetStartTime(now)
	privacy.Register(env, &privacy.Activities{Store: s})
	env.ExecuteWorkflow(privacy.RetentionWorkflow, privacy.RetentionInput{Days: days})
	require.True(t, env.IsWorkflowCompleted())
	require.NoError(t, env.GetWorkflowError())
	var n int
	require.NoError(t, env.GetWorkflowResult(&n))
	return n
}

// The retention run a day before the case's 180 days are up shreds
// nothing; the one two days later shreds its buyer.
func TestRetentionShredsOnceTheDaysHavePassed(t *testing.T) {
	s := storetest.New(t)
	s.UseDataKeys(keyring.Generate("retention"))
	id := closedCase(t, s)

	assert.Zero(t, runRetention(t, s, closedAt.AddDate(0, 0, 179), 180))
	c, err := s.GetCase(context.Background(), id)
	require.NoError(t, err)
	assert.Equal(t, "Josefina Ruiz", c.BuyerName)

	assert.Equal(t, 1, runRetention(t, s, closedAt.AddDate(0, 0, 181), 180))
	c, err = s.GetCase(context.Background(), id)
	require.NoError(t, err)
	assert.Equal(t, store.Erased, c.BuyerName)
	assert.Equal(t, store.Erased, c.Text)
}

// An organisation's own retention is what the scheduled run applies; a run
// scheduled before organisations had their own applies the deployment's days
// to every one.
func TestRetentionRunAppliesTheOrganisationsOwnDays(t *testing.T) {
	ctx := context.Background()
	s := storetest.New(t)
	s.UseDataKeys(keyring.Generate("retention-org"))
	id := closedCase(t, s) // in the default organisation
	days := 30
	_, err := s.SetOrganisationRetention(ctx, store.DefaultOrg, &days)
	require.NoError(t, err)

	assert.Zero(t, runRetentionAt(t, s, closedAt.AddDate(0, 0, 31), 180, workflow.DefaultVersion),
		"a run from before the change keeps the deployment's 180 days")
	assert.Equal(t, 1, runRetention(t, s, closedAt.AddDate(0, 0, 31), 180))
	c, err := s.GetCase(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, store.Erased, c.BuyerName)
}

// The schedule is created once and follows a changed retention.
func TestRetentionScheduleOnTheDevServer(t *testing.T) {
	ctx := context.Background()
	cli := os.Getenv("TEMPORAL_CLI")
	if cli == "" {
		home, _ := os.UserHomeDir()
		cli = filepath.Join(home, ".cache", "redress", "temporal-v1.5.1", "temporal")
	}
	srv, err := testsuite.StartDevServer(ctx, testsuite.DevServerOptions{ExistingPath: cli, LogLevel: "error"})
	require.NoError(t, err)
	defer func() { _ = srv.Stop() }()
	c, err := client.DialContext(ctx, client.Options{HostPort: srv.FrontendHostPort(), Namespace: "default"})
	require.NoError(t, err)
	defer c.Close()

	require.NoError(t, privacy.EnsureRetentionSchedule(ctx, c, 180, 24*time.Hour))
	require.NoError(t, privacy.EnsureRetentionSchedule(ctx, c, 90, 12*time.Hour))
	desc, err := c.ScheduleClient().GetHandle(ctx, privacy.RetentionScheduleID).Describe(ctx)
	require.NoError(t, err)
	require.Len(t, desc.Schedule.Spec.Intervals, 1)
	assert.Equal(t, 12*time.Hour, desc.Schedule.Spec.Intervals[0].Every)
	action, ok := desc.Schedule.Action.(*client.ScheduleWorkflowAction)
	require.True(t, ok)
	require.Len(t, action.Args, 1)
	payload, ok := action.Args[0].(*commonpb.Payload) // Describe returns arguments encoded
	require.True(t, ok, "%T", action.Args[0])
	var in privacy.RetentionInput
	require.NoError(t, converter.GetDefaultDataConverter().FromPayload(payload, &in))
	assert.Equal(t, 90, in.Days)
}
