package activities_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/redress-hq/redress/activities"
	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/store"
	"github.com/redress-hq/redress/store/storetest"
	"github.com/redress-hq/redress/workflows"
)

// A case opens with its shop's policy over the deployment's defaults and its
// seller's texts; an unregistered shop keeps the defaults and the shipped
// texts; a later change of the shop applies to the next case only.
func TestReadOpeningTakesTheShopsPolicyAndTexts(t *testing.T) {
	ctx := context.Background()
	st := storetest.New(t)
	_, err := st.CreateOrganisation(ctx, "acme", "Acme")
	require.NoError(t, err)
	limit, wait := int64(50000), int64(3600)
	_, err = st.CreateShop(ctx, store.Shop{OrgID: "acme", Marketplace: cases.Taobao, ShopID: "tb-1", DisplayName: "Acme 旗舰店",
		Currency: "CNY", TimeZone: "Asia/Shanghai", Enabled: true,
		Policy: store.Policy{ApprovalLimit: &limit, AutoFirstContact: new(false), NoReplyWaitS: &wait}})
	require.NoError(t, err)
	acts := &activities.Activities{Store: st}
	defaults := workflows.CaseSettings{AutoContact: true, ApprovalLimit: 5000, FollowUpDelay: 24 * time.Hour,
		ReviewCheckDelay: 72 * time.Hour, TimeZone: "UTC"}

	o, err := acts.ReadOpening(ctx, activities.OpeningInput{Marketplace: cases.Taobao, ShopID: "tb-1"})
	require.NoError(t, err)
	require.NotNil(t, o.Shop)
	assert.Equal(t, workflows.CaseSettings{AutoContact: false, ApprovalLimit: 50000, FollowUpDelay: 24 * time.Hour,
		ReviewCheckDelay: 72 * time.Hour, TimeZone: "Asia/Shanghai", NoReplyAfter: time.Hour,
		Shop: "acme/taobao:tb-1", Currency: "CNY"}, defaults.WithShop(*o.Shop))
	require.NotNil(t, o.Texts)
	assert.Equal(t, "Acme 旗舰店", o.Texts.ShopName, "messages sign with the shop's display name")

	o, err = acts.ReadOpening(ctx, activities.OpeningInput{Marketplace: cases.EBay, ShopID: "unregistered"})
	require.NoError(t, err)
	assert.Nil(t, o.Shop, "an unregistered shop: the defaults")
	require.NotNil(t, o.Texts)
	assert.Equal(t, "unregistered", o.Texts.ShopName)
	assert.Empty(t, o.Texts.Templates)

	_, err = st.UpdateShop(ctx, cases.Taobao, "tb-1", store.ShopPatch{Policy: &store.Policy{ApprovalLimit: new(int64(1))}})
	require.NoError(t, err)
	o, err = acts.ReadOpening(ctx, activities.OpeningInput{Marketplace: cases.Taobao, ShopID: "tb-1"})
	require.NoError(t, err)
	assert.Equal(t, cases.Money(1), defaults.WithShop(*o.Shop).ApprovalLimit)
}
