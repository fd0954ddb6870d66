package api

import (
	"context"
	"errors"

	"go.temporal.io/api/serviceerror"

	"github.com/redress-hq/redress/intake"
	"github.com/redress-hq/redress/store"
)

// pollShopNow brings the shop's poll schedule in line with the shop at
// once: created when it is enabled and polled, deleted otherwise. A failure
// is only logged: the worker's reconciler reads the shop table and corrects
// it at its next pass.
func (s *Server) pollShopNow(ctx context.Context, sh store.Shop) {
	if s.temporal == nil || s.cfg.PollInterval <= 0 {
		return
	}
	tctx, cancel := s.temporalContext(ctx)
	defer cancel()
	var err error
	if sh.Enabled && sh.Poll {
		err = intake.EnsureSchedules(tctx, s.temporal, []intake.Shop{{Marketplace: sh.Marketplace, ShopID: sh.ShopID, OrgID: sh.OrgID}}, s.cfg.PollInterval)
	} else {
		err = s.temporal.ScheduleClient().GetHandle(tctx, intake.PollWorkflowID(sh.Marketplace, sh.ShopID)).Delete(tctx)
		var nf *serviceerror.NotFound
		if errors.As(err, &nf) {
			err = nil
		}
	}
	if err != nil {
		s.log.WarnContext(ctx, "poll schedule not updated; the reconciler will", "shop", sh.Key(), "error", err)
	}
}
