package store_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/redress-hq/redress/store"
	"github.com/redress-hq/redress/store/storetest"
)

// Several processes (separate pools) reserving calls on one shop's quota get
// slots that never exceed it: any burst+1 consecutive slots span at least
// burst intervals.
func TestReserveQuotaSharedAcrossPools(t *testing.T) {
	ctx := context.Background()
	dsn := storetest.NewDSN(t)
	const pools, perPool, burst = 4, 25, 3
	const interval = 20 * time.Millisecond
	var (
		mu    sync.Mutex
		slots []time.Time
		wg    sync.WaitGroup
	)
	for range pools {
		s, err := store.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		for range 5 { // five goroutines per process
			wg.Go(func() {
				for range perPool / 5 {
					slot, err := s.ReserveQuotaSlot(ctx, "mercadolibre/default/1001", interval, burst)
					if err != nil {
						t.Error(err)
						return
					}
					mu.Lock()
					slots = append(slots, slot.At)
					mu.Unlock()
				}
			})
		}
	}
	wg.Wait()
	if len(slots) != pools*perPool {
		t.Fatalf("got %d slots, want %d", len(slots), pools*perPool)
	}
	slices.SortFunc(slots, func(a, b time.Time) int { return a.Compare(b) })
	// Slots are on the database's clock (microseconds); a quota broken by N
	// processes would be off by whole intervals.
	const jitter = 10 * time.Microsecond
	for i := range slots {
		for j := i + burst; j < len(slots); j++ { // slots i..j are j-i+1 calls
			if span, least := slots[j].Sub(slots[i]), time.Duration(j-i+1-burst)*interval; span < least-jitter {
				t.Fatalf("slots %d..%d span %s, want at least %s: quota exceeded", i, j, span, least)
			}
		}
	}
	total := slots[len(slots)-1].Sub(slots[0])
	if want := time.Duration(len(slots)-burst) * interval; total < want-jitter {
		t.Fatalf("%d slots spread over %s, want at least %s", len(slots), total, want)
	}
	t.Logf("%d processes x %d calls: %d slots over %s (quota %d per %s, burst %d)", pools, perPool, len(slots), total.Round(time.Millisecond), 1, interval, burst)
}

// Each shop has its own quota, and a bad call is refused.
func TestReserveQuotaPerKey(t *testing.T) {
	ctx := context.Background()
	s := storetest.New(t)
	for _, key := range []string{"a", "b"} {
		if wait, err := s.ReserveQuota(ctx, key, time.Hour, 1); err != nil || wait != 0 {
			t.Fatalf("first call on %s: wait %s, %v", key, wait, err)
		}
	}
	if wait, err := s.ReserveQuota(ctx, "a", time.Hour, 1); err != nil || wait < 59*time.Minute {
		t.Fatalf("second call on a: wait %s, %v; want about an hour", wait, err)
	}
	if _, err := s.ReserveQuota(ctx, "", time.Second, 1); err == nil {
		t.Fatal("empty key accepted")
	}
}

// WithLock serialises holders across pools; TryWithLock skips a held lock.
func TestAdvisoryLockAcrossPools(t *testing.T) {
	ctx := context.Background()
	dsn := storetest.NewDSN(t)
	var stores []*store.Store
	for range 3 {
		s, err := store.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		stores = append(stores, s)
	}
	var inside, most, runs int
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, s := range stores {
		for range 4 {
			wg.Go(func() {
				err := s.WithLock(ctx, "refresh/mercadolibre/1001", func(context.Context) error {
					mu.Lock()
					inside++
					most = max(most, inside)
					runs++
					mu.Unlock()
					time.Sleep(2 * time.Millisecond) // widen the window a broken lock would show
					mu.Lock()
					inside--
					mu.Unlock()
					return nil
				})
				if err != nil {
					t.Error(err)
				}
			})
		}
	}
	wg.Wait()
	if most != 1 || runs != 12 {
		t.Fatalf("at most %d holders at once over %d runs; want 1 over 12", most, runs)
	}
	held := make(chan struct{})
	release := make(chan struct{})
	go func() {
		_ = stores[0].WithLock(ctx, "owner", func(context.Context) error {
			close(held)
			<-release
			return nil
		})
	}()
	<-held
	ran, err := stores[1].TryWithLock(ctx, "owner", func(context.Context) error { return nil })
	close(release)
	if err != nil || ran {
		t.Fatalf("TryWithLock on a held lock: ran=%v, %v", ran, err)
	}
}
