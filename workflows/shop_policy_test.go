package workflows

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"

	"github.com/redress-hq/redress/activities"
	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/store"
)

// Issue 12: each shop's approval limit is in its own currency, copied into
// the case when it opens. The same refund of 59.90 needs no approval in a
// shop selling in CNY whose limit is ¥500.00, and a manager's in a shop
// selling in USD whose limit is $50.00 (one global APPROVAL_LIMIT compared
// both against the same number); each case records the settings it keeps.
func TestShopsApplyTheirOwnApprovalLimits(t *testing.T) {
	for _, tc := range []struct {
		name          string
		market        cases.Marketplace
		currency      string
		limit         cases.Money
		needsApproval bool
	}{
		{"CNY shop, limit 500.00", cases.EBay, "CNY", 50000, false},
		{"USD shop, limit 50.00", cases.EBay, "USD", 5000, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, tc.market, issueTexts[cases.IssueQuality], 1)
			h.in.Review.Currency = tc.currency
			h.in.Settings.ApprovalLimit, h.in.Settings.Currency = tc.limit, tc.currency
			h.in.Settings.Shop = "acme/" + string(tc.market) + ":shop-1"
			h.verifyAs(10*time.Minute, cases.RespMerchant)
			h.buyerReplies(20*time.Minute, "m-1")
			h.complete(30*time.Minute, cases.TaskChooseRemedy, 1, agent, CompleteTaskRequest{Remedy: &RemedyChoice{Type: cases.RemedyRefundNoReturn}})
			if tc.needsApproval {
				h.complete(40*time.Minute, cases.TaskApproveRemedy, 1, manager, CompleteTaskRequest{Approval: &Approval{Approved: true}})
			}
			h.run()

			_, asked := h.tasks()[h.taskID(cases.TaskApproveRemedy, 1)]
			require.Equal(t, tc.needsApproval, asked, "approval asked")
			require.Len(t, h.refunds, 1)
			require.Equal(t, cases.Money(5990), h.refunds[0].Request.Amount)

			opened := h.events(cases.EventCaseOpened)
			require.Len(t, opened, 1)
			var data struct {
				Settings CaseSettings `json:"settings"`
			}
			require.NoError(t, json.Unmarshal(opened[0].Data, &data))
			require.Equal(t, tc.limit, data.Settings.ApprovalLimit, "the case records the limit it keeps")
			require.Equal(t, tc.currency, data.Settings.Currency)
		})
	}
}

// Issue 12: a shop's own SLA durations and its holidays move the case's
// deadlines. The shop (read when the case opens) gives first contact 2 h
// instead of eBay's 24 h; another shop of the same platform is closed on the
// review's day, so its first-contact clock starts the day after.
func TestShopSLAOverridesAndHolidaysMoveDeadlines(t *testing.T) {
	due := func(t *testing.T, shop store.Shop) time.Time {
		h := newHarness(t, cases.EBay, issueTexts[cases.IssueQuality], 1)
		h.in.ShopAtOpen = true
		h.env.OnActivity(acts.ReadOpening, mock.Anything, mock.Anything).Return(activities.Opening{Shop: &shop}, nil)
		h.send(20*time.Minute, UpdateCloseCase, CloseCaseRequest{Reason: "test over", Actor: manager}, "")
		h.run()
		for _, e := range h.events(cases.EventDeadlineSet) {
			var d cases.DeadlineData
			require.NoError(t, json.Unmarshal(e.Data, &d))
			if d.Kind == cases.DeadlineFirstContact {
				return d.DueAt
			}
		}
		t.Fatal("no first-contact deadline")
		return time.Time{}
	}
	shop := store.Shop{OrgID: "acme", Marketplace: cases.EBay, ShopID: "shop-1", Currency: "USD",
		Policy: store.Policy{SLAOverrides: store.SLAOverrides{string(cases.DeadlineFirstContact): 7200}}}
	require.Equal(t, testStart.Add(2*time.Hour), due(t, shop), "the shop's 2 h")

	closed := store.Shop{OrgID: "acme", Marketplace: cases.EBay, ShopID: "shop-1", Currency: "USD",
		BusinessHours: store.Calendar{Holidays: []string{testStart.UTC().Format("2006-01-02")}}}
	dayAfter := time.Date(testStart.Year(), testStart.Month(), testStart.Day()+1, 0, 0, 0, 0, time.UTC)
	require.Equal(t, dayAfter.Add(24*time.Hour), due(t, closed), "no time counts on the shop's holiday")
}
