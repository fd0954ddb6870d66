package store

import (
	"context"

	"github.com/jmoiron/sqlx"

	"github.com/redress-hq/redress/cases"
)

// The message centre's messages are sealed with their buyer's key, like
// cases (a listing question without a buyer gets a key of its own).

func messageSubject(m BuyerMessage) cases.Case {
	return cases.Case{ID: m.ID, Marketplace: m.Marketplace, ShopID: m.ShopID, BuyerID: m.BuyerID}
}

// sealMessageText seals a text of message m (its text or its answer).
func (s *Store) sealMessageText(ctx context.Context, m BuyerMessage, text string) (string, error) {
	if s.dataRing() == nil || text == "" {
		return text, nil
	}
	err := s.db.inTx(ctx, func(tx *sqlx.Tx) error {
		seal, err := s.sealerFor(ctx, tx, messageSubject(m))
		text = seal.sealString(text, m.ID)
		return err
	})
	return text, err
}

func (o *opener) openMessages(ctx context.Context, ms []BuyerMessage) (err error) {
	ids := map[string]bool{}
	for _, m := range ms {
		keyIDOf(m.Text, ids)
		keyIDOf(m.AnswerText, ids)
	}
	if err := o.prefetch(ctx, ids); err != nil {
		return err
	}
	for i := range ms {
		m := &ms[i]
		if m.Text, err = o.openString(ctx, m.Text, m.ID); err != nil {
			return err
		}
		if m.AnswerText, err = o.openString(ctx, m.AnswerText, m.ID); err != nil {
			return err
		}
	}
	return nil
}

func (s *Store) openMessage(ctx context.Context, m BuyerMessage, err error) (BuyerMessage, error) {
	if err != nil {
		return m, err
	}
	ms := []BuyerMessage{m}
	err = s.opener(nil).openMessages(ctx, ms)
	return ms[0], err
}
