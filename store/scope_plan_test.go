package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/store"
	"github.com/redress-hq/redress/store/storetest"
)

// TestScopedInboxReadsByIndex: under every scope's policy an inbox page
// (open cases, newest first) is read by index, as it was without policies.
// One policy OR-ing every scope together made PostgreSQL expect almost no
// row to pass it and sort the whole table instead (migration 00044).
func TestScopedInboxReadsByIndex(t *testing.T) {
	ctx := context.Background()
	s := storetest.New(t)
	_, err := s.CreateOrganisation(ctx, "acme", "Acme")
	require.NoError(t, err)
	_, err = s.CreateShop(ctx, store.Shop{OrgID: "acme", Marketplace: cases.MercadoLibre, ShopID: "shop-1", Enabled: true})
	require.NoError(t, err)
	for i := range 3000 {
		c := newCase(fmt.Sprintf("r-%d", i), day0.Add(time.Duration(i)*time.Minute))
		require.NoError(t, s.SyncCase(ctx, cases.SyncBatch{Case: c}))
	}
	_, err = s.DB().Exec(`ANALYZE cases`)
	require.NoError(t, err)
	for _, sc := range []struct{ role, org, shops string }{
		{"redress_system", "*", ""},
		{"redress_org", "acme", ""},
		{"redress_shops", "acme", "mercadolibre:shop-1,ebay:other"},
	} {
		tx, err := s.DB().Beginx()
		require.NoError(t, err)
		_, err = tx.Exec(`SELECT set_config('role', $1, true), set_config('app.org_id', $2, true), set_config('app.shop_ids', $3, true)`,
			sc.role, sc.org, sc.shops)
		require.NoError(t, err)
		var plan []string
		require.NoError(t, tx.Select(&plan, `EXPLAIN (ANALYZE, TIMING off)
SELECT * FROM cases WHERE status = 'open' ORDER BY opened_at DESC, id DESC LIMIT 50`))
		require.NoError(t, tx.Rollback())
		text := strings.Join(plan, "\n")
		assert.Contains(t, text, "Index Scan", "%s:\n%s", sc.role, text)
		assert.NotContains(t, text, "Seq Scan", "%s:\n%s", sc.role, text)
		assert.Contains(t, text, "rows=50 loops=1)", "%s sees its 50 newest:\n%s", sc.role, text)
	}
}
