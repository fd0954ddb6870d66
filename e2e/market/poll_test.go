package market

import (
	"context"
	"testing"
	"time"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/intake"
	"github.com/redress-hq/redress/internal/testenv"
)

// A shop's poll opens cases for the negative reviews since its cursor and
// moves the cursor on; the next poll opens nothing. The reviews here arrive
// as 5★ (their notifications open nothing) and are then changed to 1–2★ on
// the platform, which notifies nobody: only polling can catch them.
func TestPollOpensCasesSinceCursor(t *testing.T) {
	ctx := context.Background()
	for _, m := range []cases.Marketplace{cases.EBay, cases.Taobao} {
		t.Run(string(m), func(t *testing.T) {
			// Catch up first: the shop's earlier reviews are not this test's.
			if _, err := stack.PollShop(ctx, m, shops[m]); err != nil {
				t.Fatalf("first poll: %v", err)
			}
			before := cursorOf(t, m)
			// Taobao's cursor has second precision: the edits must be newer.
			time.Sleep(1100 * time.Millisecond)
			var edited []simReview
			for _, rating := range []int{1, 2} {
				r := addReview(t, m, 5, "Great, thanks")
				if err := stack.Simulator.Revise(m, r.SimID, rating, qualityComplaints[m]); err != nil {
					t.Fatal(err)
				}
				r.Rating = rating
				edited = append(edited, r)
			}

			res, err := stack.PollShop(ctx, m, shops[m])
			if err != nil {
				t.Fatalf("poll: %v", err)
			}
			if res.Started != len(edited) || res.Found < len(edited) {
				t.Errorf("poll found %d and started %d, want %d started", res.Found, res.Started, len(edited))
			}
			for _, r := range edited {
				v := waitCase(t, r.CaseID(), func(testenv.CaseView) bool { return true })
				// eBay and Taobao know negative/neutral, not stars: 1–2★ reads as 1★.
				if v.Case.Rating > 3 || v.Case.OrderID != r.OrderID {
					t.Errorf("case %s: rating %d order %s, want a negative review of %s", r.CaseID(), v.Case.Rating, v.Case.OrderID, r.OrderID)
				}
			}
			after := cursorOf(t, m)
			if after == "" || after == before {
				t.Errorf("cursor did not move: %q", after)
			}

			again, err := stack.PollShop(ctx, m, shops[m])
			if err != nil {
				t.Fatalf("second poll: %v", err)
			}
			if again.Started != 0 {
				t.Errorf("second poll started %d cases, want 0", again.Started)
			}
		})
	}
}

// A poll schedule (intake.EnsureSchedules, as `redress serve` sets up for
// POLL_SHOPS) finds an edited review on its own.
func TestPollScheduleOpensCase(t *testing.T) {
	ctx := context.Background()
	m := cases.EBay
	if _, err := stack.PollShop(ctx, m, shops[m]); err != nil {
		t.Fatalf("first poll: %v", err)
	}
	if err := intake.EnsureSchedules(ctx, stack.Temporal, []intake.Shop{{Marketplace: m, ShopID: shops[m]}}, time.Second); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = stack.Temporal.ScheduleClient().GetHandle(ctx, intake.PollWorkflowID(m, shops[m])).Delete(ctx)
	})
	r := addReview(t, m, 5, "Fine")
	if err := stack.Simulator.Revise(m, r.SimID, 1, qualityComplaints[m]); err != nil {
		t.Fatal(err)
	}
	waitCase(t, r.CaseID(), func(v testenv.CaseView) bool { return v.Case.Rating == 1 })
}

func cursorOf(t *testing.T, m cases.Marketplace) string {
	t.Helper()
	c, err := stack.Store.GetCursor(context.Background(), m, shops[m])
	if err != nil {
		t.Fatal(err)
	}
	return c
}
