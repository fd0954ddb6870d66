package worker_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/testsuite"

	"github.com/redress-hq/redress/activities"
	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace"
	"github.com/redress-hq/redress/store"
	"github.com/redress-hq/redress/worker"
	"github.com/redress-hq/redress/workflows"
)

// memoryIndex folds the events it is sent, as the store does.
type memoryIndex struct {
	mu    sync.Mutex
	state cases.State
}

func (m *memoryIndex) SyncCase(_ context.Context, b cases.SyncBatch) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, e := range b.Events {
		if err := m.state.Apply(e); err != nil {
			return err
		}
	}
	return nil
}

func (m *memoryIndex) AppendEvents(ctx context.Context, b cases.SyncBatch) (store.Appended, error) {
	return store.Appended{}, m.SyncCase(ctx, b)
}

type noMarkets struct{}

func (noMarkets) Get(m cases.Marketplace) (marketplace.Connector, error) {
	return nil, errors.New("no connector configured for " + string(m))
}

// Register wires everything the workflow calls under the names it calls
// them by: with no connector configured, the case opens incidents (instead
// of failing on an unregistered activity) and a manager can still close it.
func TestRegisterWiresWorkflowAndActivities(t *testing.T) {
	var suite testsuite.WorkflowTestSuite
	env := suite.NewTestWorkflowEnvironment()
	index := &memoryIndex{}
	worker.Register(env, &activities.Activities{Store: index, Markets: noMarkets{}})

	rv := cases.Review{Marketplace: cases.EBay, ShopID: "s", ReviewID: "r", OrderID: "o", Rating: 1, Text: "poor quality"}
	in := workflows.CaseInput{CaseID: cases.CaseIDFor(rv.Marketplace, rv.ShopID, rv.ReviewID), Review: rv}
	env.RegisterDelayedCallback(func() {
		env.UpdateWorkflow(workflows.UpdateCloseCase, "close", &testsuite.TestUpdateCallback{
			OnReject: func(err error) { t.Errorf("close rejected: %v", err) },
		}, workflows.CloseCaseRequest{Reason: "no connector", Actor: cases.Actor{ID: "m", Role: cases.RoleManager}})
	}, time.Minute)
	env.ExecuteWorkflow("CaseWorkflow", in)
	require.NoError(t, env.GetWorkflowError())
	var res workflows.CaseResult
	require.NoError(t, env.GetWorkflowResult(&res))
	require.Equal(t, cases.OutcomeClosedByManager, res.Outcome)
	require.NotEmpty(t, index.state.Case.ID)
	require.Equal(t, cases.StatusClosed, index.state.Case.Status)
}

func TestOptionsLetInFlightCallsFinish(t *testing.T) {
	o := worker.Options()
	require.GreaterOrEqual(t, o.WorkerStopTimeout, 30*time.Second, "a marketplace call may take 30 s")
	require.Positive(t, o.MaxConcurrentActivityExecutionSize)
}
