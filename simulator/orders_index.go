package simulator

import "github.com/redress-hq/redress/cases"

// putOrder stores an order and keeps the per-shop index that the
// platforms' list and search endpoints read; callers hold s.mu. Those
// endpoints used to scan every order of every shop, which made a long
// run (P6's 100,000 cases) slower with every case it opened.
func (s *Simulator) putOrder(o *Order) {
	k := key(o.Platform, o.ID)
	if old, ok := s.orders[k]; ok {
		list := s.byShop[key(old.Platform, old.ShopID)]
		for i, cand := range list {
			if cand == old {
				list = append(list[:i:i], list[i+1:]...)
				break
			}
		}
		s.byShop[key(old.Platform, old.ShopID)] = list
	}
	s.orders[k] = o
	s.byShop[key(o.Platform, o.ShopID)] = append(s.byShop[key(o.Platform, o.ShopID)], o)
}

// ordersOf is one shop's orders on one platform, oldest first; callers
// hold s.mu and must not keep the slice.
func (s *Simulator) ordersOf(m cases.Marketplace, shopID string) []*Order {
	return s.byShop[key(m, shopID)]
}
