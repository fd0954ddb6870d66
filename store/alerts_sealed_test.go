package store_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/internal/keyring"
	"github.com/redress-hq/redress/store"
	"github.com/redress-hq/redress/store/storetest"
)

func TestAlertChannelKeysAreSealedAtRest(t *testing.T) {
	s := storetest.New(t)
	s.UseDataKeys(keyring.Generate("k1"))
	ctx := context.Background()

	robot := "https://oapi.dingtalk.com/robot/send?access_token=tok-SECRET-1"
	ch, err := s.CreateAlertChannel(ctx, store.AlertChannel{Name: "ding", Type: store.ChannelDingTalk, URL: robot,
		Secret: "SEC-signing-key", Enabled: true}, "ana")
	require.NoError(t, err)
	assert.True(t, ch.HasSecret)
	assert.Equal(t, "https://oapi.dingtalk.com/…", ch.URL)

	var row struct {
		URL    string `db:"url"`
		Secret string `db:"secret"`
		Sealed []byte `db:"sealed"`
		Key    string `db:"sealed_key"`
	}
	require.NoError(t, s.DB().Get(&row, `SELECT url, secret, sealed, sealed_key FROM alert_channels WHERE id = $1`, ch.ID))
	assert.Equal(t, "https://oapi.dingtalk.com/…", row.URL, "only the host is in clear")
	assert.Empty(t, row.Secret)
	assert.Equal(t, "k1", row.Key)
	assert.False(t, bytes.Contains(row.Sealed, []byte("tok-SECRET-1")) || bytes.Contains(row.Sealed, []byte("SEC-signing-key")))

	// Delivery reads them opened; an update without them keeps them.
	_, err = s.UpdateAlertChannel(ctx, store.AlertChannel{ID: ch.ID, OrgID: "default", Name: "ding (ops)", Type: store.ChannelDingTalk, Enabled: true}, "ana")
	require.NoError(t, err)
	got, err := s.AlertChannelsFor(ctx, cases.Taobao, "shop-9")
	require.NoError(t, err)
	require.Len(t, got, 1)
	assert.Equal(t, robot, got[0].URL)
	assert.Equal(t, "SEC-signing-key", got[0].Secret)
	assert.Equal(t, "ding (ops)", got[0].Name)

	// A sealed blob moved onto another channel does not open.
	other, err := s.CreateAlertChannel(ctx, store.AlertChannel{Name: "other", Type: store.ChannelSlack, URL: "https://hooks.slack.com/services/X", Enabled: true}, "ana")
	require.NoError(t, err)
	_, err = s.DB().Exec(`UPDATE alert_channels SET sealed = (SELECT sealed FROM alert_channels WHERE id = $1) WHERE id = $2`, ch.ID, other.ID)
	require.NoError(t, err)
	_, err = s.GetAlertChannel(ctx, "default", other.ID)
	assert.Error(t, err)
}
