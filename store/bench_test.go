package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/store"
	"github.com/redress-hq/redress/store/storetest"
)

// BenchmarkSyncCase measures a typical workflow flush: the case row, two
// new events, a task and a deadline, at a rising version.
func BenchmarkSyncCase(b *testing.B) {
	s := storetest.New(b)
	ctx := context.Background()
	c := newCase("bench", day0)
	seq := int64(0)
	b.ResetTimer()
	for i := range b.N {
		c.Version = int64(i + 1)
		task := newTask(c, 1, at(24*time.Hour))
		task.Version = c.Version
		batch := cases.SyncBatch{
			Case:      c,
			Events:    []cases.Event{newEvent(c.ID, seq+1, day0), newEvent(c.ID, seq+2, day0)},
			Tasks:     []cases.Task{task},
			Deadlines: []cases.Deadline{deadline(cases.DeadlineFirstContact, cases.DeadlinePending)},
		}
		seq += 2
		if err := s.SyncCase(ctx, batch); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkListCasesFiltered measures an inbox-style page over 2,000 cases.
func BenchmarkListCasesFiltered(b *testing.B) {
	s := storetest.New(b)
	ctx := context.Background()
	for i := range 2000 {
		c := newCase(fmt.Sprintf("r-%d", i), day0.Add(time.Duration(i)*time.Minute))
		if i%3 == 0 {
			c.Status = cases.StatusClosed
		}
		if err := s.SyncCase(ctx, cases.SyncBatch{Case: c}); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for range b.N {
		if _, err := s.ListCases(ctx, store.CaseFilter{Status: "open", Issue: "logistics_delay", Limit: 50}); err != nil {
			b.Fatal(err)
		}
	}
}
