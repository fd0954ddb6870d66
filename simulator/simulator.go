// Package simulator is a stand-in for the four marketplaces: it serves
// their wire formats under /mercadolibre, /taobao, /ebay and /amazon (the
// same paths the connectors call, so MARKETPLACE_BASE_URL=http://host:port
// points every connector at it), enforces their rules (reply lengths, one
// reply per review, Mercado Libre's chat block after a refund, Taobao's
// reply window and 追评 rule, no public replies on Amazon), injects faults on
// demand, and keeps a ledger of every side effect so tests can prove writes
// happened exactly once.
//
// Running it for the connectors (after SeedDemo):
//
//	MARKETPLACE_BASE_URL=http://127.0.0.1:8099
//	MELI_CLIENT_ID=sim-meli MELI_CLIENT_SECRET=sim-meli-secret
//	TAOBAO_APP_KEY=sim-taobao TAOBAO_APP_SECRET=sim-taobao-secret
//	EBAY_CLIENT_ID=sim-ebay EBAY_CLIENT_SECRET=sim-ebay-secret
//	AMAZON_LWA_CLIENT_ID=sim-amazon AMAZON_LWA_CLIENT_SECRET=sim-amazon-secret
//	MARKETPLACE_SHOP_TOKENS=mercadolibre:1001:TG-demo-meli,taobao:demo-shop:demo-session,ebay:demo-seller:demo-ebay-refresh,amazon:A1DEMOSELLER:Atzr|demo
//
// The /_sim/ admin API (see adminHandler) creates reviews, buyer messages
// and faults, and returns the ledger.
package simulator

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"sync"
	"time"

	"github.com/redress-hq/redress/cases"
)

// App is Redress's application on one platform, as the platform knows it.
type App struct {
	ClientID     string `json:"client_id"`     // Taobao app key, ML/eBay/Amazon client id
	ClientSecret string `json:"client_secret"` // Taobao app secret (signs TOP calls)
}

// Options configure a simulator.
type Options struct {
	// Seed makes fault injection repeatable.
	Seed uint64
	// Apps are the registered applications; DefaultApps when nil.
	Apps map[cases.Marketplace]App
	// WebhookURL, if set, receives notifications at WebhookURL/{platform}
	// for new reviews and buyer messages.
	WebhookURL string
	// AccessTokenTTL is how long issued OAuth access tokens live (default 6 h).
	AccessTokenTTL time.Duration
	HTTPClient     *http.Client // for webhooks
	Logger         *slog.Logger
}

// DefaultApps are the credentials SeedDemo and tests use; point the
// connectors at them with MELI_CLIENT_ID=sim-meli etc.
func DefaultApps() map[cases.Marketplace]App {
	return map[cases.Marketplace]App{
		cases.MercadoLibre: {ClientID: "sim-meli", ClientSecret: "sim-meli-secret"},
		cases.Taobao:       {ClientID: "sim-taobao", ClientSecret: "sim-taobao-secret"},
		cases.EBay:         {ClientID: "sim-ebay", ClientSecret: "sim-ebay-secret"},
		cases.Amazon:       {ClientID: "sim-amazon", ClientSecret: "sim-amazon-secret"},
	}
}

// Simulator holds the platforms' state. It is safe for concurrent use.
type Simulator struct {
	opts Options
	log  *slog.Logger

	mu      sync.Mutex
	rand    *rand.Rand
	seq     int
	shops   map[string]*Shop // platform\x00id
	orders  map[string]*Order
	byShop  map[string][]*Order // platform\x00shop → its orders (putOrder)
	reviews map[string]*Review
	coupons map[string][]*Coupon // by order key
	reships map[string][]*Reship
	ledger  []LedgerEntry
	faults  []faultRule
	auth    map[cases.Marketplace]*oauthState
	traffic trafficState // per-shop quotas and call counters (quota.go)
	// mpKeys remembers Mercado Pago refunds by X-Idempotency-Key.
	mpKeys map[string]*Refund
	// events counts webhook deliveries, for delivery ids.
	events int
	// tmc is Taobao's TMC queue of the app (see taobao_tmc.go).
	tmc []*tmcMessage
	// amazon holds SP-API reports and MCF orders (see amazon_reports.go, amazon_mcf.go).
	amazon amazonState
	// meliQ holds Mercado Libre's pre-sale questions (see mercadolibre_questions.go).
	meliQ meliQuestions
}

// New returns an empty simulator.
func New(opts Options) *Simulator {
	if opts.Apps == nil {
		opts.Apps = DefaultApps()
	}
	if opts.AccessTokenTTL <= 0 {
		opts.AccessTokenTTL = 6 * time.Hour
	}
	if opts.HTTPClient == nil {
		opts.HTTPClient = &http.Client{Timeout: 5 * time.Second}
	}
	log := opts.Logger
	if log == nil {
		log = slog.Default()
	}
	s := &Simulator{
		opts: opts, log: log.With("component", "simulator"),
		rand:    rand.New(rand.NewPCG(opts.Seed, opts.Seed^0x5eed)),
		shops:   map[string]*Shop{},
		orders:  map[string]*Order{},
		byShop:  map[string][]*Order{},
		reviews: map[string]*Review{},
		coupons: map[string][]*Coupon{},
		reships: map[string][]*Reship{},
		auth:    map[cases.Marketplace]*oauthState{},
		mpKeys:  map[string]*Refund{},
	}
	for _, m := range cases.Marketplaces {
		s.auth[m] = newOAuthState()
	}
	return s
}

// Handler serves the four platforms and the /_sim/ admin API.
func (s *Simulator) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/mercadolibre/", s.withFaults(cases.MercadoLibre, restEndpoint("/mercadolibre"), meliError, s.meliHandler()))
	mux.Handle("/taobao/", s.withFaults(cases.Taobao, topEndpoint, topFault, s.taobaoHandler()))
	mux.Handle("/ebay/", s.withFaults(cases.EBay, restEndpoint("/ebay"), ebayFault, s.ebayHandler()))
	mux.Handle("/amazon/", s.withFaults(cases.Amazon, restEndpoint("/amazon"), amazonFault, s.amazonHandler()))
	mux.Handle("/_sim/", s.adminHandler())
	return mux
}

func (s *Simulator) now() time.Time { return time.Now().UTC() }

// nextID returns a fresh numeric id; callers hold s.mu.
func (s *Simulator) nextID() int {
	s.seq++
	return s.seq
}

func (s *Simulator) newID(prefix string) string {
	return fmt.Sprintf("%s%d", prefix, 2000000000+s.nextID())
}

func key(m cases.Marketplace, id string) string { return string(m) + "\x00" + id }

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// readJSON decodes a request body; false means it answered 400 already.
func readJSON(w http.ResponseWriter, r *http.Request, v any, fail errorWriter) bool {
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(v); err != nil {
		fail(w, http.StatusBadRequest, "bad_request", "invalid JSON body: "+err.Error(), 0)
		return false
	}
	return true
}
