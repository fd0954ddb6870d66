package intake_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/intake"
	"github.com/redress-hq/redress/store"
	"github.com/redress-hq/redress/store/storetest"
	"github.com/redress-hq/redress/workflows"
)

// A case opens with its shop's policy over the deployment's defaults; an
// unregistered shop, and a policy left unset, keep the defaults.
func TestSettingsForTakesTheShopsPolicy(t *testing.T) {
	ctx := context.Background()
	st := storetest.New(t)
	_, err := st.CreateOrganisation(ctx, "acme", "Acme")
	require.NoError(t, err)
	limit, wait := int64(50000), int64(3600)
	_, err = st.CreateShop(ctx, store.Shop{OrgID: "acme", Marketplace: cases.Taobao, ShopID: "tb-1", Currency: "CNY",
		TimeZone: "Asia/Shanghai", Enabled: true,
		Policy: store.Policy{ApprovalLimit: &limit, AutoFirstContact: new(false), NoReplyWaitS: &wait}})
	require.NoError(t, err)
	defaults := workflows.CaseSettings{AutoContact: true, ApprovalLimit: 5000, FollowUpDelay: 24 * time.Hour,
		ReviewCheckDelay: 72 * time.Hour, TimeZone: "UTC"}

	got, err := intake.SettingsFor(ctx, st, defaults, cases.Taobao, "tb-1")
	require.NoError(t, err)
	assert.Equal(t, workflows.CaseSettings{AutoContact: false, ApprovalLimit: 50000, FollowUpDelay: 24 * time.Hour,
		ReviewCheckDelay: 72 * time.Hour, TimeZone: "Asia/Shanghai", NoReplyAfter: time.Hour,
		Shop: "acme/taobao:tb-1", Currency: "CNY"}, got)

	got, err = intake.SettingsFor(ctx, st, defaults, cases.EBay, "unregistered")
	require.NoError(t, err)
	assert.Equal(t, defaults, got)

	// A later change applies to the next case only: the settings are a copy.
	_, err = st.UpdateShop(ctx, cases.Taobao, "tb-1", store.ShopPatch{Policy: &store.Policy{ApprovalLimit: new(int64(1))}})
	require.NoError(t, err)
	next, err := intake.SettingsFor(ctx, st, defaults, cases.Taobao, "tb-1")
	require.NoError(t, err)
	assert.Equal(t, cases.Money(1), next.ApprovalLimit)
}
