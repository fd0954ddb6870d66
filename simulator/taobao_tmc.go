package simulator

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/redress-hq/redress/cases"
)

// TMC, as Taobao delivers it to an app that pulls: messages wait in the
// app's queue; taobao.tmc.messages.consume hands out a batch, and a message
// not confirmed with taobao.tmc.messages.confirm comes again after
// tmcRedeliverAfter.

const tmcRedeliverAfter = 30 * time.Second

type tmcMessage struct {
	id          int64
	topic       string
	userNick    string
	content     string
	pubTime     time.Time
	handedOutAt time.Time
	confirmed   bool
}

// queueTradeRated publishes taobao_trade_TradeRated for a rate that was
// added or changed; callers hold s.mu.
func (s *Simulator) queueTradeRated(r *Review) {
	o := s.orders[key(cases.Taobao, r.OrderID)]
	content, _ := json.Marshal(map[string]any{"tid": topNumber(r.OrderID), "oid": topNumber(r.ID), "rater": "buyer",
		"buyer_nick": o.BuyerName, "seller_nick": r.ShopID, "payment": o.Amount.String(), "status": "TRADE_FINISHED", "type": "guarantee_trade"})
	s.tmc = append(s.tmc, &tmcMessage{id: int64(4000000000 + s.nextID()), topic: "taobao_trade_TradeRated", userNick: r.ShopID,
		content: string(content), pubTime: s.now()})
}

// PendingTMC counts the messages not yet confirmed.
func (s *Simulator) PendingTMC() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, m := range s.tmc {
		if !m.confirmed {
			n++
		}
	}
	return n
}

// taobaoTMC serves the app-level TMC methods; callers hold s.mu.
func (s *Simulator) taobaoTMC(w http.ResponseWriter, f url.Values) {
	switch f.Get("method") {
	case "taobao.tmc.messages.consume":
		quantity := 100
		if v := f.Get("quantity"); v != "" {
			quantity, _ = strconv.Atoi(v)
		}
		if quantity < 10 || quantity > 200 {
			topError(w, 41, "Invalid arguments", "isv.invalid-parameter:quantity", "quantity must be 10-200")
			return
		}
		now := s.now()
		batch := []any{}
		for _, m := range s.tmc {
			if len(batch) == quantity {
				break
			}
			if m.confirmed || (!m.handedOutAt.IsZero() && now.Sub(m.handedOutAt) < tmcRedeliverAfter) {
				continue
			}
			m.handedOutAt = now
			batch = append(batch, map[string]any{"id": m.id, "topic": m.topic, "user_nick": m.userNick, "user_id": 100000 + len(m.userNick),
				"content": m.content, "pub_time": topTime(m.pubTime), "pub_app_key": s.opts.Apps[cases.Taobao].ClientID})
		}
		topOK(w, "taobao.tmc.messages.consume", map[string]any{"messages": topArray("tmc_message", batch)})
	case "taobao.tmc.messages.confirm":
		ids := strings.Split(f.Get("s_message_ids"), ",")
		if f.Get("s_message_ids") == "" || len(ids) > 200 {
			topError(w, 41, "Invalid arguments", "isv.invalid-parameter:s_message_ids", "s_message_ids must list 1-200 ids")
			return
		}
		for _, id := range ids {
			for _, m := range s.tmc {
				if strconv.FormatInt(m.id, 10) == id {
					m.confirmed = true
				}
			}
		}
		topOK(w, "taobao.tmc.messages.confirm", map[string]any{"is_success": true})
	}
}
