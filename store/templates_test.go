package store_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/store"
	"github.com/redress-hq/redress/store/storetest"
)

func TestTemplatesAreVersioned(t *testing.T) {
	s := storetest.New(t)
	ctx := context.Background()
	key := store.MessageTemplate{OrgID: "default", Marketplace: cases.MercadoLibre, Purpose: cases.PurposeFirstContact, Language: cases.LangES}

	texts, err := s.SellerTexts(ctx, cases.MercadoLibre, "1001")
	require.NoError(t, err)
	assert.Equal(t, "1001", texts.ShopName, "a shop without a display name signs with its id")
	assert.Empty(t, texts.Templates)

	key.Body = "¡Hola! {apology}\n{shop}"
	v1, err := s.SaveTemplate(ctx, key, "ana")
	require.NoError(t, err)
	assert.Equal(t, 1, v1.Version)
	again, err := s.SaveTemplate(ctx, key, "ana")
	require.NoError(t, err)
	assert.Equal(t, 1, again.Version, "saving the same body again adds no version")

	key.Body = "¡Buen día! {apology}\n{shop}"
	v2, err := s.SaveTemplate(ctx, key, "li")
	require.NoError(t, err)
	assert.Equal(t, v1.ID, v2.ID)
	assert.Equal(t, 2, v2.Version)

	versions, err := s.TemplateVersions(ctx, "default", v1.ID)
	require.NoError(t, err)
	require.Len(t, versions, 2)
	assert.Equal(t, "li", versions[0].CreatedBy)
	assert.Equal(t, "¡Hola! {apology}\n{shop}", versions[1].Body)

	texts, err = s.SellerTexts(ctx, cases.MercadoLibre, "1001")
	require.NoError(t, err)
	require.Len(t, texts.Templates, 1)
	assert.Equal(t, 2, texts.Templates[0].Version)
	other, err := s.SellerTexts(ctx, cases.EBay, "1001")
	require.NoError(t, err)
	assert.Empty(t, other.Templates, "templates are per marketplace")

	_, err = s.WithdrawTemplate(ctx, "default", v1.ID, "li")
	require.NoError(t, err)
	texts, err = s.SellerTexts(ctx, cases.MercadoLibre, "1001")
	require.NoError(t, err)
	assert.Empty(t, texts.Templates, "a withdrawn template gives way to the shipped text")
	back, err := s.SaveTemplate(ctx, key, "li")
	require.NoError(t, err)
	assert.Equal(t, 3, back.Version, "saving a withdrawn template brings it back as a new version")
	assert.True(t, back.Active)

	_, err = s.GetTemplate(ctx, "another-org", v1.ID)
	assert.ErrorIs(t, err, store.ErrNotFound)

	// Every change, and only a change, is in the admin audit trail.
	trail, err := s.ListAdminEvents(ctx, 0, 50)
	require.NoError(t, err)
	var actions []string
	for _, ev := range trail {
		if ev.Target == v1.ID {
			actions = append(actions, ev.Action+" by "+ev.Actor)
		}
	}
	assert.Equal(t, []string{"template.saved by li", "template.withdrawn by li", "template.saved by li", "template.saved by ana"}, actions)
}
