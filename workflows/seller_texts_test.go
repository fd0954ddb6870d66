package workflows

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"

	"github.com/redress-hq/redress/activities"
	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/store"
)

// A case opened with the seller's texts sends the seller's first contact
// and public reply, signed with the shop's display name, and records the
// versions it opened with; without texts (cases started before issue 12)
// it sends the shipped ones signed with the shop id.
func TestSellerTextsAreWhatTheCaseSends(t *testing.T) {
	h := newHarness(t, cases.MercadoLibre, issueTexts[cases.IssueLogisticsDelay], 1)
	h.in.Texts = &cases.SellerTexts{ShopName: "Casa Norte", Templates: []cases.SellerTemplate{
		{ID: "tpl_fc", Version: 3, Purpose: cases.PurposeFirstContact, Language: cases.LangEN,
			Body: "Hi, this is {shop}. {apology} Tell us what happened and we will fix it today."},
		{ID: "tpl_pr", Version: 1, Purpose: cases.PurposePublicReply, Issue: cases.IssueLogisticsDelay, Language: cases.LangEN,
			Body: "Sorry about {noun}. We have written to you privately to make it right."},
	}}
	h.verifyAs(10*time.Minute, cases.RespCourier)
	h.run()

	require.NotEmpty(t, h.messages)
	first := h.messages[0].Request.Text
	require.True(t, strings.HasPrefix(first, "Hi, this is Casa Norte. We are sorry your order took longer"), first)
	require.Len(t, h.replies, 1)
	require.Equal(t, "Sorry about the delivery delay. We have written to you privately to make it right.", h.replies[0].Request.Text)

	opened := h.events(cases.EventCaseOpened)
	require.Len(t, opened, 1)
	require.Contains(t, string(opened[0].Data), `"shop_name":"Casa Norte"`)
	require.Contains(t, string(opened[0].Data), `{"id":"tpl_fc","version":3,"purpose":"first_contact","language":"en"}`)

	shipped := newHarness(t, cases.MercadoLibre, issueTexts[cases.IssueLogisticsDelay], 1)
	shipped.verifyAs(10*time.Minute, cases.RespCourier)
	shipped.run()
	require.NotEmpty(t, shipped.messages)
	require.True(t, strings.HasSuffix(shipped.messages[0].Request.Text, "shop-1 team"), shipped.messages[0].Request.Text)
	require.NotContains(t, string(shipped.events(cases.EventCaseOpened)[0].Data), "texts")
}

// A case started with ShopAtOpen reads its shop and the seller's texts in
// its first workflow task (events-not-rows v5): the shop's approval limit,
// in its currency, decides whether the remedy needs a manager, the messages
// sign with the shop's display name, and the case's first event records the
// settings and texts it keeps.
func TestCaseReadsItsShopWhenItOpens(t *testing.T) {
	h := newHarness(t, cases.MercadoLibre, issueTexts[cases.IssueLogisticsDelay], 1)
	h.in.ShopAtOpen = true
	limit := int64(1000) // 10.00 in the shop's currency: any refund needs a manager
	var asked []activities.OpeningInput
	h.env.OnActivity(acts.ReadOpening, mock.Anything, mock.Anything).Return(func(_ context.Context, in activities.OpeningInput) (activities.Opening, error) {
		asked = append(asked, in)
		return activities.Opening{
			Shop: &store.Shop{OrgID: "acme", Marketplace: in.Marketplace, ShopID: in.ShopID, Currency: "ARS",
				Policy: store.Policy{ApprovalLimit: &limit}},
			Texts: &cases.SellerTexts{ShopName: "Casa Norte"},
		}, nil
	})
	h.verifyAs(10*time.Minute, cases.RespCourier)
	h.run()

	require.Equal(t, []activities.OpeningInput{{Marketplace: cases.MercadoLibre, ShopID: h.in.Review.ShopID}}, asked)
	require.NotEmpty(t, h.messages)
	require.True(t, strings.HasSuffix(h.messages[0].Request.Text, "Casa Norte team"), h.messages[0].Request.Text)
	opened := string(h.events(cases.EventCaseOpened)[0].Data)
	require.Contains(t, opened, `"shop":"acme/mercadolibre:`+h.in.Review.ShopID+`"`)
	require.Contains(t, opened, `"approval_limit":10.00`)
	require.Contains(t, opened, `"shop_name":"Casa Norte"`)
}
