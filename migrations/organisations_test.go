package migrations_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/redress-hq/redress/migrations"
)

// TestSingleSellerDatabaseMovesIntoDefault: a database from before
// organisations (its shops only in the environment and in its rows) is
// migrated forward with every row and shop in the organisation 'default'.
func TestSingleSellerDatabaseMovesIntoDefault(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	require.NoError(t, migrations.DownTo(ctx, db, 39))
	_, err := db.Exec(`
INSERT INTO cases (id, workflow_id, marketplace, shop_id, review_id, rating, stage, status,
    review_created_at, opened_at, updated_at, version)
VALUES ('c1', 'w1', 'mercadolibre', '1001', 'r1', 1, 'contact', 'open', now(), now(), now(), 1);
INSERT INTO case_events (case_id, seq, type, actor, actor_role, at, data)
VALUES ('c1', 1, 'case_opened', 'redress', 'system', now(), '{}');
INSERT INTO api_tokens (id, name, role, token_hash) VALUES ('tok_1', 'ops', 'admin', 'h1');`)
	require.NoError(t, err)

	require.NoError(t, migrations.Up(ctx, db))
	var org, eventOrg, tokenOrg, shopOrg string
	require.NoError(t, db.QueryRow(`SELECT org_id FROM cases WHERE id = 'c1'`).Scan(&org))
	require.NoError(t, db.QueryRow(`SELECT org_id FROM case_events WHERE case_id = 'c1'`).Scan(&eventOrg))
	require.NoError(t, db.QueryRow(`SELECT org_id FROM api_tokens WHERE id = 'tok_1'`).Scan(&tokenOrg))
	require.NoError(t, db.QueryRow(`SELECT org_id FROM shops WHERE marketplace = 'mercadolibre' AND shop_id = '1001'`).Scan(&shopOrg))
	assert.Equal(t, []string{"default", "default", "default", "default"}, []string{org, eventOrg, tokenOrg, shopOrg})
}
