package workflows

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/redress-hq/redress/cases"
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
