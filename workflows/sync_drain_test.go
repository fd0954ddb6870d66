package workflows

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/redress-hq/redress/cases"
)

// An update that records while the case's index write is in flight sees
// the playbook running, not resting, and leaves its event to that write.
// The case must ship it before it rests: in the R1 drill a case waiting
// on an incident showed 7 of its 9 events for as long as it waited.
func TestEventsRecordedDuringASyncReachTheIndexBeforeTheCaseRests(t *testing.T) {
	h := newHarness(t, cases.EBay, "arrived broken, the screen is cracked", 1)
	h.syncDelay = time.Minute // every index write spans a minute of workflow time
	for i, at := range []time.Duration{10 * time.Second, 30 * time.Second} {
		h.send(at, UpdateAddNote, NoteRequest{NoteID: fmt.Sprintf("n-%d", i), Text: "looking into it", Actor: agent}, "")
	}
	var recorded, indexed int64
	h.at(30*time.Minute, func() { // resting: waiting for the buyer and the verify task
		v, err := h.env.QueryWorkflow(QueryState)
		require.NoError(t, err)
		var st CaseState
		require.NoError(t, v.Get(&st))
		recorded, indexed = st.EventCount, h.index().Seq
	})
	h.send(6*time.Hour, UpdateCloseCase, CloseCaseRequest{Reason: "test over", Actor: manager}, "")
	h.run()
	require.Len(t, h.events(cases.EventNoteAdded), 2)
	require.NotZero(t, recorded)
	require.Equal(t, recorded, indexed, "while the case rests, the index holds every event it recorded")
}

// Version 7: the index writes of the playbook come from inside the workflow
// task; those of a task that ran an update are activities. Every batch
// carries its task's fence: an activity's batch may have to replace what a
// lost attempt of its task wrote from inside it (R5 caught a contact task
// shown open after an update completed it, when the activity's batch had
// none). (The test environment reports one history length throughout, so
// here every sync after the first update is an activity; the recorded v7
// histories check the choice task by task.)
func TestIndexWritesAreFencedLocalActivitiesOutsideUpdateTasks(t *testing.T) {
	h := newHarness(t, cases.EBay, "arrived broken, the screen is cracked", 1)
	h.send(6*time.Hour, UpdateCloseCase, CloseCaseRequest{Reason: "test over", Actor: manager}, "")
	h.run()
	var local, activity int
	for i, b := range h.batches {
		require.NotNil(t, b.Fence, "batch %d carries its task's fence", i)
		require.NotEmpty(t, b.Events)
		if h.localSync[i] {
			local++
		} else {
			activity++
		}
	}
	require.Positive(t, local, "the playbook's first wait writes from inside its task")
	require.Positive(t, activity, "the manager's close is an update")
}
