package mercadolibre

import (
	"context"
	"strings"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace"
)

// A seller may not start a post-sale conversation with free messages: on
// Mercado Envíos 2 it must choose a reason from the action guide
// (otherwise blocked_by_conversation_started_by_seller). Redress's messages
// are its own words, so the reason is the free-text option OTHER. Packs
// outside the reason flow answer 400 blocked_by_excepted_case ("se solicita
// utilizar el recurso de mensajería") and take the ordinary message.

const freeTextReason = "OTHER"

type actionGuide struct {
	Options []struct {
		ID           string `json:"id"`
		Enabled      bool   `json:"enabled"`
		Type         string `json:"type"` // template, free_text
		CharLimit    *int   `json:"char_limit"`
		CapAvailable int    `json:"cap_available"`
	} `json:"options"`
}

// startRefusal says why a text of n characters cannot start the
// conversation with the free-text reason; empty when it can.
func (g actionGuide) startRefusal(n int) string {
	for _, o := range g.Options {
		if o.ID != freeTextReason {
			continue
		}
		switch {
		case !o.Enabled:
			return "reason_other_disabled"
		case o.CapAvailable <= 0:
			return "reason_other_exhausted"
		case o.CharLimit != nil && n > *o.CharLimit:
			return "reason_other_too_long"
		}
		return ""
	}
	return "reason_other_unavailable" // e.g. after delivery on most sites
}

// actionGuide reads the pack's reasons; excepted reports a pack outside the flow.
func (c *Client) actionGuide(ctx context.Context, op, shopID, pack string) (g actionGuide, excepted bool, err error) {
	err = c.get(ctx, op, shopID, pathf("/messages/action_guide/packs/%s", pack)+"?tag=post_sale", nil, &g)
	if me, ok := marketplace.AsError(err); ok && me.Status == 400 && strings.Contains(me.Message, "blocked_by_excepted_case") {
		return actionGuide{}, true, nil
	}
	return g, false, err
}

// startConversation sends the seller's first message of the pack.
func (c *Client) startConversation(ctx context.Context, op string, o order, req marketplace.MessageRequest) (message, error) {
	g, excepted, err := c.actionGuide(ctx, op, req.ShopID, o.pack())
	if err != nil {
		return message{}, err
	}
	if excepted {
		return c.sendMessage(ctx, op, o, req)
	}
	if why := g.startRefusal(len([]rune(req.Text))); why != "" {
		return message{}, marketplace.Invalid(cases.MercadoLibre, op, why, "the action guide offers no free-text reason to start this conversation")
	}
	var m message
	body := map[string]string{"option_id": freeTextReason, "text": req.Text}
	target := c.cfg.BaseURL + pathf("/messages/action_guide/packs/%s/option", o.pack()) + "?tag=post_sale"
	err = c.post(ctx, op, req.ShopID, target, body, nil, &m)
	return m, err
}
