package workflows

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/redress-hq/redress/cases"
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
