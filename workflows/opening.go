package workflows

import (
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/redress-hq/redress/activities"
	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/store"
)

// WithShop lays a shop's policy over the settings (the deployment's
// defaults): its zone and currency, and every policy value it sets.
func (s CaseSettings) WithShop(sh store.Shop) CaseSettings {
	s.Shop = sh.OrgID + "/" + sh.Key()
	s.Currency = sh.Currency
	if sh.TimeZone != "" {
		s.TimeZone = sh.TimeZone
	}
	p := sh.Policy
	if p.ApprovalLimit != nil {
		s.ApprovalLimit = cases.Money(*p.ApprovalLimit)
	}
	if p.AutoFirstContact != nil {
		s.AutoContact = *p.AutoFirstContact
	}
	if p.NoReplyWaitS != nil {
		s.NoReplyAfter = time.Duration(*p.NoReplyWaitS) * time.Second
	}
	if p.FollowUpDelayS != nil {
		s.FollowUpDelay = time.Duration(*p.FollowUpDelayS) * time.Second
	}
	if p.ReviewCheckDelayS != nil {
		s.ReviewCheckDelay = time.Duration(*p.ReviewCheckDelayS) * time.Second
	}
	if len(p.SLAOverrides) > 0 {
		s.SLAOverrides = make(map[cases.DeadlineKind]time.Duration, len(p.SLAOverrides))
		for _, kind := range cases.DeadlineKinds {
			if seconds, ok := p.SLAOverrides[string(kind)]; ok {
				s.SLAOverrides[kind] = time.Duration(seconds) * time.Second
			}
		}
	}
	if c := sh.BusinessHours; c.StartHour != c.EndHour || len(c.Holidays) > 0 {
		s.Calendar = &ShopCalendar{StartHour: c.StartHour, EndHour: c.EndHour, Holidays: c.Holidays}
	}
	return s
}

// slaFor is the case's SLA policy for an issue: the platform's, with the
// shop's no-reply wait, its own durations and its calendar over it.
func (r *caseRun) slaFor(issue cases.Issue) cases.SLAPolicy {
	p := cases.SLAFor(r.in.Review.Marketplace, issue, r.loc)
	if d := r.settings.NoReplyAfter; d > 0 {
		p.NoReplyAfter = d
	}
	p = p.WithOverrides(r.settings.SLAOverrides)
	if c := r.settings.Calendar; c != nil {
		bh := cases.BusinessHours{StartHour: 0, EndHour: 24, Location: r.loc}
		if p.BusinessHours != nil {
			bh = *p.BusinessHours
		}
		if c.StartHour < c.EndHour {
			bh.StartHour, bh.EndHour = c.StartHour, c.EndHour
		}
		bh.Holidays = c.Holidays
		p.BusinessHours = &bh
	}
	return p
}

// readOpening (events-not-rows v5, for a case started with ShopAtOpen):
// the case reads its shop's policy and the seller's texts itself, in a
// local activity of its first workflow task, before anything depends on
// them. It retries until the store answers: a case waits for its shop's
// rules rather than opening with the wrong ones.
func (r *caseRun) readOpening(ctx workflow.Context) error {
	var o activities.Opening
	in := activities.OpeningInput{Marketplace: r.in.Review.Marketplace, ShopID: r.in.Review.ShopID}
	if err := r.run(ctx, syncOptions, acts.ReadOpening, in).Get(ctx, &o); err != nil {
		return err
	}
	if o.Shop != nil {
		r.settings = r.settings.WithShop(*o.Shop)
	}
	if o.Texts != nil {
		r.texts = o.Texts
	}
	return nil
}
