package store_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/store"
	"github.com/redress-hq/redress/store/storetest"
)

func taskID(t cases.Task) string { return t.ID }

func TestListTasksPaginatesByDueNullsLast(t *testing.T) {
	s := storetest.New(t)
	ctx := context.Background()
	c := newCase("r-1", day0)
	var tasks []cases.Task
	for i := range 17 {
		var due *time.Time
		if i%5 != 0 {
			due = at(time.Duration(i%4) * time.Hour) // ties on purpose
		}
		tasks = append(tasks, newTask(c, i, due))
	}
	mustSync(t, s, cases.SyncBatch{Case: c, Tasks: tasks})

	got := collectPages(t, taskID, func(cursor string) (store.Page[cases.Task], error) {
		return s.ListTasks(ctx, store.TaskFilter{Cursor: cursor, Limit: 3})
	})
	all, err := s.ListTasks(ctx, store.TaskFilter{Limit: 100})
	require.NoError(t, err)
	require.Len(t, all.Items, 17)
	var ordered []string
	for i, task := range all.Items {
		ordered = append(ordered, task.ID)
		if i == 0 {
			continue
		}
		prev := all.Items[i-1]
		switch {
		case prev.DueAt == nil:
			assert.Nil(t, task.DueAt, "tasks without due time come last")
			assert.Less(t, prev.ID, task.ID)
		case task.DueAt != nil:
			assert.True(t, prev.DueAt.Before(*task.DueAt) || prev.DueAt.Equal(*task.DueAt) && prev.ID < task.ID)
		}
	}
	assert.Equal(t, ordered, got)

	_, err = s.ListTasks(ctx, store.TaskFilter{Cursor: "garbage!"})
	assert.ErrorIs(t, err, store.ErrInvalid)
}

func TestListTasksFilters(t *testing.T) {
	s := storetest.New(t)
	ctx := context.Background()
	c1 := newCase("r-1", day0)
	c2 := newCase("r-2", day0)
	c2.Marketplace, c2.ShopID = cases.Amazon, "shop-az"
	c2.ID = cases.CaseIDFor(c2.Marketplace, c2.ShopID, c2.ReviewID)
	c2.WorkflowID = cases.WorkflowIDFor(c2.ID)

	open := newTask(c1, 1, at(1*time.Hour))
	claimed := newTask(c1, 2, at(2*time.Hour))
	claimed.Status, claimed.Assignee = cases.TaskClaimed, "ana"
	done := newTask(c1, 3, at(3*time.Hour))
	done.Status, done.Assignee, done.CompletedBy = cases.TaskCompleted, "ana", "ana"
	done.Result = json.RawMessage(`{"ok": true}`)
	approval := newTask(c2, 1, at(4*time.Hour))
	approval.ID = fmt.Sprintf("%s-%s-1", c2.ID, cases.TaskApproveRemedy)
	approval.Kind, approval.Role = cases.TaskApproveRemedy, cases.RoleManager
	noDue := newTask(c2, 2, nil)
	mustSync(t, s, cases.SyncBatch{Case: c1, Tasks: []cases.Task{open, claimed, done}})
	mustSync(t, s, cases.SyncBatch{Case: c2, Tasks: []cases.Task{approval, noDue}})

	now := day0.Add(150 * time.Minute)
	tests := []struct {
		name   string
		filter store.TaskFilter
		want   []cases.Task
	}{
		{"inbox", store.TaskFilter{}, []cases.Task{open, claimed, approval, noDue}},
		{"all", store.TaskFilter{Status: "all"}, []cases.Task{open, claimed, done, approval, noDue}},
		{"completed", store.TaskFilter{Status: "completed"}, []cases.Task{done}},
		{"kind", store.TaskFilter{Kind: "approve_remedy"}, []cases.Task{approval}},
		{"assignee", store.TaskFilter{Assignee: "ana", Status: "all"}, []cases.Task{claimed, done}},
		{"role", store.TaskFilter{Role: "manager"}, []cases.Task{approval}},
		{"case", store.TaskFilter{CaseID: c2.ID}, []cases.Task{approval, noDue}},
		{"marketplace", store.TaskFilter{Marketplace: "amazon"}, []cases.Task{approval, noDue}},
		{"shop", store.TaskFilter{ShopID: "shop-1"}, []cases.Task{open, claimed}},
		{"due before", store.TaskFilter{DueBefore: at(2 * time.Hour)}, []cases.Task{open}},
		{"overdue", store.TaskFilter{Overdue: true, Now: now}, []cases.Task{open, claimed}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := s.ListTasks(ctx, tt.filter)
			require.NoError(t, err)
			var got, want []string
			for _, x := range p.Items {
				got = append(got, x.ID)
			}
			for _, x := range tt.want {
				want = append(want, x.ID)
			}
			assert.Equal(t, want, got)
		})
	}

	got, err := s.GetTask(ctx, done.ID)
	require.NoError(t, err)
	assert.JSONEq(t, `{"ok": true}`, string(got.Result))
	_, err = s.GetTask(ctx, "missing")
	assert.ErrorIs(t, err, store.ErrNotFound)

	for _, f := range []store.TaskFilter{{Status: "done"}, {Kind: "dance"}, {Role: "system"}, {Marketplace: "etsy"}} {
		_, err := s.ListTasks(ctx, f)
		assert.ErrorIs(t, err, store.ErrInvalid, "%+v", f)
	}
}
