package drills

import (
	"fmt"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/simulator"
)

// drillShops are the demo shops plus perPlatform-1 more on each platform.
// Client-side rate limits are per shop (Amazon: 1 call/s), so a thousand
// cases on one shop a platform would measure the quota, not the faults;
// spread over shops they run as a real seller base would.
func drillShops(perPlatform int) []simulator.Shop {
	shops := simulator.DemoShops()
	for i := 2; i <= perPlatform; i++ {
		for _, demo := range simulator.DemoShops() {
			shops = append(shops, simulator.Shop{Platform: demo.Platform,
				ID: fmt.Sprintf("%s%d", demo.ID, i), Token: fmt.Sprintf("%s-%d", demo.Token, i)})
		}
	}
	return shops
}

// shopFor picks the i-th case's shop on platform m, round robin.
func (d *drill) shopFor(m cases.Marketplace, i int) string {
	var ids []string
	for _, s := range d.shops {
		if s.Platform == m {
			ids = append(ids, s.ID)
		}
	}
	return ids[(i/len(reviewTemplates))%len(ids)]
}
