package intake

import (
	"context"
	"errors"
	"time"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/store"
	"github.com/redress-hq/redress/workflows"
)

// ShopPolicySource gives a new case its shop's settings; *store.Store
// satisfies it.
type ShopPolicySource interface {
	ShopForCase(ctx context.Context, m cases.Marketplace, shopID string) (store.Shop, error)
}

// SettingsFor are the settings a case of shop (m, shopID) opens with: the
// deployment's defaults overlaid by the shop's own policy. The case keeps
// them for its whole life (they travel in its start input and are recorded
// in its first event), so a later change of the shop's policy never rewrites
// a running or finished case. An unregistered shop, or a store that cannot
// answer, gives the defaults: a review is never held back for its settings.
func SettingsFor(ctx context.Context, src ShopPolicySource, defaults workflows.CaseSettings, m cases.Marketplace, shopID string) (workflows.CaseSettings, error) {
	if src == nil {
		return defaults, nil
	}
	sh, err := src.ShopForCase(ctx, m, shopID)
	if errors.Is(err, store.ErrNotFound) {
		return defaults, nil
	}
	if err != nil {
		return defaults, err
	}
	return ApplyShopPolicy(defaults, sh), nil
}

// ApplyShopPolicy lays a shop's policy over the defaults.
func ApplyShopPolicy(s workflows.CaseSettings, sh store.Shop) workflows.CaseSettings {
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
	return s
}
