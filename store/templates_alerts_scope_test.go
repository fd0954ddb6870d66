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

// Templates and alert channels are isolated by the database: a scope sees
// only its organisation's rows, whatever organisation the query names.
func TestTemplatesAndAlertChannelsAreIsolated(t *testing.T) {
	s := storetest.New(t)
	ctx := context.Background()
	_, err := s.CreateOrganisation(ctx, "orgb", "Seller B")
	require.NoError(t, err)
	asA := store.WithScope(ctx, store.OrgScope("default"))
	asB := store.WithScope(ctx, store.OrgScope("orgb"))

	tplB, err := s.SaveTemplate(asB, store.MessageTemplate{OrgID: "orgb", Marketplace: cases.EBay,
		Purpose: cases.PurposeFollowUp, Language: cases.LangEN, Body: "Hi! Is {noun} solved?"}, "b-manager")
	require.NoError(t, err)
	_, err = s.SaveTemplate(asA, store.MessageTemplate{OrgID: "orgb", Marketplace: cases.EBay,
		Purpose: cases.PurposeAppeal, Language: cases.LangEN, Body: "We ask the platform to assess this rating."}, "a-manager")
	assert.Error(t, err, "A cannot write B's template")

	_, err = s.GetTemplate(asA, "orgb", tplB.ID)
	assert.ErrorIs(t, err, store.ErrNotFound, "B's template does not exist for A")
	versions, err := s.TemplateVersions(asA, "orgb", tplB.ID)
	require.NoError(t, err)
	assert.Empty(t, versions)
	list, err := s.ListTemplates(asA, store.TemplateFilter{OrgID: "orgb"})
	require.NoError(t, err)
	assert.Empty(t, list)

	chB, err := s.CreateAlertChannel(asB, store.AlertChannel{OrgID: "orgb", Name: "b", Type: store.ChannelSlack, URL: "https://hooks.slack.com/b", Enabled: true}, "test")
	require.NoError(t, err)
	_, err = s.CreateAlertChannel(asA, store.AlertChannel{OrgID: "orgb", Name: "a into b", Type: store.ChannelSlack, URL: "https://hooks.slack.com/a", Enabled: true}, "test")
	assert.Error(t, err, "A cannot add a channel to B")
	channels, err := s.ListAlertChannels(asA, "orgb")
	require.NoError(t, err)
	assert.Empty(t, channels)
	_, err = s.GetAlertChannel(asA, "orgb", chB.ID)
	assert.ErrorIs(t, err, store.ErrNotFound)
	assert.ErrorIs(t, s.DeleteAlertChannel(asA, "orgb", chB.ID, "a"), store.ErrNotFound)

	// The worker (no scope: the system) delivers and logs for every organisation.
	require.NoError(t, s.RecordAlertDelivery(ctx, store.AlertDelivery{OrgID: "orgb", ChannelID: chB.ID, IdempotencyKey: "k1",
		Kind: "new_case", Status: store.DeliveryDelivered, Attempts: 1}))
	log, err := s.ListAlertDeliveries(asA, store.AlertDeliveryFilter{OrgID: "orgb"})
	require.NoError(t, err)
	assert.Empty(t, log, "B's delivery log is not A's to read")
	log, err = s.ListAlertDeliveries(asB, store.AlertDeliveryFilter{OrgID: "orgb"})
	require.NoError(t, err)
	assert.Len(t, log, 1)
}
