package main

import (
	"context"
	"encoding/json"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/testsuite"
)

// The baseline must do what P2 says it does: the same number of
// activities, the sleeps, and finish only after every update.
func TestShapeWorkflowRunsItsShape(t *testing.T) {
	var suite testsuite.WorkflowTestSuite
	env := suite.NewTestWorkflowEnvironment()
	env.RegisterActivity(NoopActivity)
	var ran atomic.Int32
	env.SetOnActivityStartedListener(func(*activity.Info, context.Context, converter.EncodedValues) { ran.Add(1) })
	s := shape{Activities: 5, Updates: 2, Waits: []time.Duration{time.Second, time.Second}}
	for i := range s.Updates {
		env.RegisterDelayedCallback(func() {
			env.UpdateWorkflow(shapeUpdate, "", &testsuite.TestUpdateCallback{
				OnReject:   func(err error) { t.Errorf("update %d rejected: %v", i, err) },
				OnAccept:   func() {},
				OnComplete: func(any, error) {},
			}, json.RawMessage(`{"task_id":"t"}`))
		}, time.Duration(i+1)*time.Hour)
	}
	env.ExecuteWorkflow(ShapeWorkflow, s, json.RawMessage(`{"case_id":"cs_x"}`))
	require.True(t, env.IsWorkflowCompleted())
	require.NoError(t, env.GetWorkflowError())
	require.Equal(t, int32(5), ran.Load())
}

func TestClosedLoopSteadyRate(t *testing.T) {
	res := closedLoop(context.Background(), 4, 800*time.Millisecond, func(context.Context, int) error {
		time.Sleep(10 * time.Millisecond)
		return nil
	})
	// Little's law: 4 busy clients complete 4 calls per mean latency.
	want := 4 / (res.Latency.Mean / 1000)
	require.InEpsilon(t, want, res.rate(), 0.35)
	require.Zero(t, res.Failed)
	require.GreaterOrEqual(t, res.Latency.P50, 10.0)
}
