package simulator

import (
	"encoding/json"
	"errors"
	"net/http"

	"github.com/redress-hq/redress/cases"
)

// adminHandler is the /_sim/ API for driving the simulator over HTTP:
//
//	POST /_sim/shops                  Shop                      register a shop
//	POST /_sim/reviews                NewReview                 create an order and its review
//	POST /_sim/reviews/{id}/revise    {rating,text}             (also /_sim/reviews/{platform}/{id}/revise)
//	POST /_sim/reviews/{id}/follow-up {text}                    Taobao 追评
//	POST /_sim/reviews/{id}/remove
//	POST /_sim/appeals                Appeal                    a person filed an appeal
//	POST /_sim/buyer-messages         {platform,order_id,text}
//	GET  /_sim/ledger                 {entries,duplicates}
//	PUT  /_sim/faults                 {platform,endpoint,spec}  (zero spec clears)
func (s *Simulator) adminHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /_sim/shops", func(w http.ResponseWriter, r *http.Request) {
		var sh Shop
		if !readAdmin(w, r, &sh) {
			return
		}
		if !sh.Platform.Valid() || sh.ID == "" {
			adminError(w, http.StatusBadRequest, errors.New("platform and id are required"))
			return
		}
		s.Seed(sh)
		writeJSON(w, http.StatusCreated, sh)
	})
	mux.HandleFunc("POST /_sim/reviews", func(w http.ResponseWriter, r *http.Request) {
		var in NewReview
		if !readAdmin(w, r, &in) {
			return
		}
		rv, o, err := s.AddReview(in)
		if err != nil {
			adminError(w, http.StatusBadRequest, err)
			return
		}
		writeJSON(w, http.StatusCreated, map[string]any{"review": rv, "order": o})
	})
	// platformOf resolves a review's platform from the path, or from its id.
	platformOf := func(r *http.Request) cases.Marketplace {
		if p := r.PathValue("platform"); p != "" {
			return cases.Marketplace(p)
		}
		p, _ := s.PlatformOfReview(r.PathValue("id"))
		return p
	}
	revise := func(w http.ResponseWriter, r *http.Request) {
		var in struct {
			Rating int    `json:"rating"`
			Text   string `json:"text"`
		}
		if !readAdmin(w, r, &in) {
			return
		}
		if in.Rating < 1 || in.Rating > 5 {
			adminError(w, http.StatusBadRequest, errors.New("rating must be 1-5"))
			return
		}
		answer(w, s.Revise(platformOf(r), r.PathValue("id"), in.Rating, in.Text))
	}
	mux.HandleFunc("POST /_sim/reviews/{id}/revise", revise)
	mux.HandleFunc("POST /_sim/reviews/{platform}/{id}/revise", revise)
	mux.HandleFunc("POST /_sim/reviews/{id}/follow-up", func(w http.ResponseWriter, r *http.Request) {
		var in struct {
			Text string `json:"text"`
		}
		if !readAdmin(w, r, &in) {
			return
		}
		answer(w, s.AddFollowUp(platformOf(r), r.PathValue("id"), in.Text))
	})
	mux.HandleFunc("POST /_sim/reviews/{id}/remove", func(w http.ResponseWriter, r *http.Request) {
		answer(w, s.RemoveReview(platformOf(r), r.PathValue("id")))
	})
	mux.HandleFunc("POST /_sim/appeals", func(w http.ResponseWriter, r *http.Request) {
		var in Appeal
		if !readAdmin(w, r, &in) {
			return
		}
		a, err := s.FileAppeal(in)
		if err != nil {
			adminError(w, http.StatusNotFound, err)
			return
		}
		writeJSON(w, http.StatusCreated, a)
	})
	mux.HandleFunc("POST /_sim/buyer-messages", func(w http.ResponseWriter, r *http.Request) {
		var in struct {
			Platform cases.Marketplace `json:"platform"`
			OrderID  string            `json:"order_id"`
			Text     string            `json:"text"`
		}
		if !readAdmin(w, r, &in) {
			return
		}
		m, err := s.AddBuyerMessage(in.Platform, in.OrderID, in.Text)
		if err != nil {
			adminError(w, http.StatusNotFound, err)
			return
		}
		writeJSON(w, http.StatusCreated, m)
	})
	mux.HandleFunc("GET /_sim/ledger", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]any{"entries": s.Ledger(), "duplicates": s.Duplicates()})
	})
	mux.HandleFunc("PUT /_sim/faults", func(w http.ResponseWriter, r *http.Request) {
		var in struct {
			Platform cases.Marketplace `json:"platform"`
			Endpoint string            `json:"endpoint"`
			Spec     FaultSpec         `json:"spec"`
		}
		if !readAdmin(w, r, &in) {
			return
		}
		if !in.Platform.Valid() {
			adminError(w, http.StatusBadRequest, errors.New("unknown platform"))
			return
		}
		s.SetFaults(in.Platform, in.Endpoint, in.Spec)
		w.WriteHeader(http.StatusNoContent)
	})
	return mux
}

func readAdmin(w http.ResponseWriter, r *http.Request, v any) bool {
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(v); err != nil {
		adminError(w, http.StatusBadRequest, err)
		return false
	}
	return true
}

func adminError(w http.ResponseWriter, status int, err error) {
	writeJSON(w, status, map[string]string{"error": err.Error()})
}

func answer(w http.ResponseWriter, err error) {
	if err != nil {
		adminError(w, http.StatusNotFound, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
