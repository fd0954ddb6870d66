package simulator

import (
	"log/slog"
	"testing"

	"github.com/redress-hq/redress/cases"
)

func TestOrdersIndexedPerShop(t *testing.T) {
	s := New(Options{Logger: slog.New(slog.DiscardHandler)})
	s.mu.Lock()
	defer s.mu.Unlock()
	a1 := &Order{ID: "1", Platform: cases.EBay, ShopID: "a"}
	a2 := &Order{ID: "2", Platform: cases.EBay, ShopID: "a"}
	b1 := &Order{ID: "3", Platform: cases.EBay, ShopID: "b"}
	t1 := &Order{ID: "1", Platform: cases.Taobao, ShopID: "a"}
	for _, o := range []*Order{a1, a2, b1, t1} {
		s.putOrder(o)
	}
	if got := s.ordersOf(cases.EBay, "a"); len(got) != 2 || got[0] != a1 || got[1] != a2 {
		t.Fatalf("eBay shop a: %v", got)
	}
	if got := s.ordersOf(cases.EBay, "b"); len(got) != 1 || got[0] != b1 {
		t.Fatalf("eBay shop b: %v", got)
	}
	if got := s.ordersOf(cases.Taobao, "a"); len(got) != 1 || got[0] != t1 {
		t.Fatalf("Taobao shop a: %v", got)
	}
	// An order stored again under its id replaces the old one, also when
	// it moved shop: no shop lists it twice or keeps the old copy.
	moved := &Order{ID: "1", Platform: cases.EBay, ShopID: "b"}
	s.putOrder(moved)
	if got := s.ordersOf(cases.EBay, "a"); len(got) != 1 || got[0] != a2 {
		t.Fatalf("eBay shop a after the move: %v", got)
	}
	if got := s.ordersOf(cases.EBay, "b"); len(got) != 2 || got[1] != moved {
		t.Fatalf("eBay shop b after the move: %v", got)
	}
	if s.orders[key(cases.EBay, "1")] != moved {
		t.Fatal("the order map does not hold the new order")
	}
}
