package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/store"
	"github.com/redress-hq/redress/store/storetest"
)

func TestTokens(t *testing.T) {
	s := storetest.New(t)
	ctx := context.Background()

	tok, err := s.CreateToken(ctx, "ops bot", cases.RoleAutomation, "hash-1")
	require.NoError(t, err)
	assert.NotEmpty(t, tok.ID)
	assert.Equal(t, cases.RoleAutomation, tok.Role)
	assert.Nil(t, tok.LastUsedAt)

	_, err = s.CreateToken(ctx, "copy", cases.RoleAdmin, "hash-1")
	assert.ErrorIs(t, err, store.ErrConflict, "a hash is unique")
	_, err = s.CreateToken(ctx, "bad", cases.RoleSystem, "hash-2")
	assert.ErrorIs(t, err, store.ErrInvalid, "the workflow's role is not for tokens")

	got, err := s.TokenByHash(ctx, "hash-1")
	require.NoError(t, err)
	assert.Equal(t, tok.ID, got.ID)
	require.NotNil(t, got.LastUsedAt, "first use is recorded")
	firstUse := *got.LastUsedAt

	got, err = s.TokenByHash(ctx, "hash-1")
	require.NoError(t, err)
	require.NotNil(t, got.LastUsedAt)
	assert.True(t, firstUse.Equal(*got.LastUsedAt), "uses within a minute are not written again")

	// Age the last use past the interval: the next use is recorded.
	_, err = s.DB().Exec(`UPDATE api_tokens SET last_used_at = now() - interval '2 minutes' WHERE id = $1`, tok.ID)
	require.NoError(t, err)
	got, err = s.TokenByHash(ctx, "hash-1")
	require.NoError(t, err)
	assert.WithinDuration(t, time.Now(), *got.LastUsedAt, 30*time.Second)

	_, err = s.TokenByHash(ctx, "unknown")
	assert.ErrorIs(t, err, store.ErrNotFound)

	require.NoError(t, s.RevokeToken(ctx, tok.ID))
	require.NoError(t, s.RevokeToken(ctx, tok.ID), "revoking twice is fine")
	_, err = s.TokenByHash(ctx, "hash-1")
	assert.ErrorIs(t, err, store.ErrNotFound, "a revoked token does not authenticate")
	assert.ErrorIs(t, s.RevokeToken(ctx, "tok_missing"), store.ErrNotFound)
}
