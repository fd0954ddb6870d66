package activities

import (
	"context"
	"errors"
	"time"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/store"
)

// PriorContactInput asks for the order's first qualifying pre-emptive
// contact answered within [From, To].
type PriorContactInput struct {
	Marketplace cases.Marketplace `json:"marketplace"`
	ShopID      string            `json:"shop_id"`
	OrderID     string            `json:"order_id"`
	From        time.Time         `json:"from"`
	To          time.Time         `json:"to"`
}

// PriorContactResult is that contact, when there is one.
type PriorContactResult struct {
	Found   bool                `json:"found"`
	Contact *store.PriorContact `json:"contact,omitempty"`
}

// PriorContactFinder is the store's read of an order's pre-emptive contacts.
type PriorContactFinder interface {
	FirstPriorContact(ctx context.Context, m cases.Marketplace, shopID, orderID string, from, to time.Time) (store.PriorContact, error)
}

var _ PriorContactFinder = (*store.Store)(nil)

// FindPriorContact reads the order's first qualifying prior contact. It only
// reads, so a retry is harmless; a store that keeps no order history (or a
// case without an order) finds none.
func (a *Activities) FindPriorContact(ctx context.Context, in PriorContactInput) (PriorContactResult, error) {
	f, ok := a.Store.(PriorContactFinder)
	if !ok || in.OrderID == "" {
		return PriorContactResult{}, nil
	}
	pc, err := f.FirstPriorContact(ctx, in.Marketplace, in.ShopID, in.OrderID, in.From, in.To)
	if errors.Is(err, store.ErrNotFound) {
		return PriorContactResult{}, nil
	}
	if err != nil {
		return PriorContactResult{}, err
	}
	return PriorContactResult{Found: true, Contact: &pc}, nil
}
