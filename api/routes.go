package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/redress-hq/redress/cases"
)

// Who may call what. Admins may do everything; the other roles get what
// their job needs: agents work tasks, managers decide and audit,
// automations feed reviews and retry failed calls.
var (
	agent, manager, automation, admin = cases.RoleAgent, cases.RoleManager, cases.RoleAutomation, cases.RoleAdmin

	anyRole    = []cases.Role{agent, manager, automation, admin}
	staff      = []cases.Role{agent, manager, admin}
	managers   = []cases.Role{manager, admin}
	operators  = []cases.Role{manager, automation, admin}
	feeders    = []cases.Role{automation, admin}
	adminsOnly = []cases.Role{admin}
)

// routeKey identifies a route in the access matrix.
type routeKey struct{ Method, Path string }

// routes registers every endpoint; the roles passed here are the access matrix.
func (s *Server) routes() {
	e := s.echo
	e.Use(
		middleware.RequestID(),
		s.observe,
		middleware.RecoverWithConfig(middleware.RecoverConfig{
			DisableStackAll: true,
			LogErrorFunc: func(c echo.Context, err error, stack []byte) error {
				s.log.ErrorContext(c.Request().Context(), "handler panicked",
					"request_id", requestID(c), "error", err, "stack", string(stack))
				return err
			},
		}),
		middleware.BodyLimit(s.cfg.BodyLimit),
	)

	// Operations, and webhooks (verified by each platform's signature, not a token).
	e.GET("/healthz", s.healthz)
	e.GET("/readyz", s.readyz)
	e.GET("/metrics", echo.WrapHandler(promhttp.HandlerFor(s.gatherer, promhttp.HandlerOpts{})))
	e.GET("/openapi.json", s.openAPI)
	e.POST("/v1/webhooks/:marketplace", s.receiveWebhook)
	e.GET("/v1/webhooks/:marketplace", s.answerWebhookChallenge)

	s.handle(http.MethodPost, "/v1/reviews", s.createReview, feeders...)

	s.handle(http.MethodGet, "/v1/cases", s.listCases, anyRole...)

	// Buyers' access and erasure requests (docs/privacy.md).
	s.handle(http.MethodPost, "/v1/privacy/erasures", s.eraseBuyer, managers...)
	s.handle(http.MethodGet, "/v1/privacy/buyers/:marketplace/:buyer_id/export", s.exportBuyer, managers...)
	s.handle(http.MethodGet, "/v1/cases/:id", s.getCase, anyRole...)
	s.handle(http.MethodGet, "/v1/cases/:id/events", s.listEvents, anyRole...)
	s.handle(http.MethodPost, "/v1/cases/:id/buyer-replies", s.addBuyerReply, anyRole...)
	s.handle(http.MethodPost, "/v1/cases/:id/notes", s.addNote, staff...)
	s.handle(http.MethodPost, "/v1/cases/:id/reclassify", s.reclassify, staff...)
	s.handle(http.MethodPost, "/v1/cases/:id/close", s.closeCase, managers...)

	s.handle(http.MethodGet, "/v1/tasks", s.listTasks, staff...)
	s.handle(http.MethodGet, "/v1/tasks/:id", s.getTask, staff...)
	s.handle(http.MethodPost, "/v1/tasks/:id/claim", s.claimTask, staff...)
	s.handle(http.MethodPost, "/v1/tasks/:id/unclaim", s.unclaimTask, staff...)
	s.handle(http.MethodPost, "/v1/tasks/:id/assign", s.assignTask, managers...)
	s.handle(http.MethodPost, "/v1/tasks/:id/complete", s.completeTask, staff...)

	s.handle(http.MethodGet, "/v1/incidents", s.listIncidents, anyRole...)
	s.handle(http.MethodGet, "/v1/incidents/:id", s.getIncident, anyRole...)
	s.handle(http.MethodPost, "/v1/incidents/:id/retry", s.retryIncident, operators...)
	s.handle(http.MethodPost, "/v1/incidents/:id/skip", s.skipIncident, operators...)
	s.handle(http.MethodPost, "/v1/incidents/retry", s.retryIncidents, operators...)

	s.handle(http.MethodGet, "/v1/reports/weekly", s.weeklyReport, managers...)
	s.handle(http.MethodPost, "/v1/sla/whatif", s.slaWhatIf, managers...)
	s.handle(http.MethodPut, "/v1/couriers/:courier/volumes/:month", s.setCourierVolume, managers...)

	s.handle(http.MethodPost, "/v1/tokens", s.createToken, adminsOnly...)
	s.handle(http.MethodGet, "/v1/tokens", s.listTokens, adminsOnly...)
	s.handle(http.MethodDelete, "/v1/tokens/:id", s.revokeToken, adminsOnly...)

	// Issue 12: organisations, their shops and people; every change lands
	// in the admin audit trail. Signing in needs no token.
	e.POST("/v1/login", s.login)
	// Creating organisations is the deployment admin's alone (checked in the
	// handler), beyond the role matrix.
	e.POST("/v1/organisations", s.createOrganisation, s.requireRoles(adminsOnly))
	s.handle(http.MethodGet, "/v1/organisations", s.listOrganisations, adminsOnly...)
	s.handle(http.MethodPut, "/v1/organisations/:org/retention", s.putOrganisationRetention, adminsOnly...)
	s.handle(http.MethodGet, "/v1/shops", s.listShops, anyRole...)
	s.handle(http.MethodPost, "/v1/shops", s.createShop, adminsOnly...)
	s.handle(http.MethodGet, "/v1/shops/:marketplace/:shop", s.getShop, anyRole...)
	s.handle(http.MethodPatch, "/v1/shops/:marketplace/:shop", s.patchShop, managers...)
	s.handle(http.MethodPost, "/v1/shops/:marketplace/:shop/disable", s.disableShop, managers...)
	s.handle(http.MethodPut, "/v1/shops/:marketplace/:shop/credentials", s.putShopCredentials, adminsOnly...)
	s.handle(http.MethodPost, "/v1/shops/:marketplace/:shop/connect", s.connectShop, adminsOnly...)
	// The platform sends the seller's browser back here; the state authenticates.
	e.GET("/v1/oauth/:marketplace/callback", s.oauthCallback)
	s.handle(http.MethodGet, "/v1/users", s.listUsers, managers...)
	s.handle(http.MethodPost, "/v1/users", s.createUser, adminsOnly...)
	s.handle(http.MethodGet, "/v1/users/:id", s.getUser, managers...)
	s.handle(http.MethodPatch, "/v1/users/:id", s.patchUser, adminsOnly...)
	s.handle(http.MethodPut, "/v1/users/:id/password", s.setUserPassword, adminsOnly...)
	s.handle(http.MethodGet, "/v1/admin/audit", s.adminAudit, managers...)

	// Issue 15: order care (automations feed orders and messages; agents read
	// and work them; managers change shop settings, templates and quick replies).
	s.handle(http.MethodGet, "/v1/order-care/allowances", s.orderCareAllowances, anyRole...)
	s.handle(http.MethodGet, "/v1/shops/:marketplace/:shop/order-care", s.getOrderCareShop, anyRole...)
	s.handle(http.MethodPut, "/v1/shops/:marketplace/:shop/order-care", s.putOrderCareShop, managers...)
	s.handle(http.MethodPut, "/v1/shops/:marketplace/:shop/touchpoint-templates/:touchpoint/:language", s.putTouchpointTemplate, managers...)
	s.handle(http.MethodPost, "/v1/orders", s.postOrderEvent, feeders...)
	s.handle(http.MethodGet, "/v1/orders/:marketplace/:shop/:order", s.getCareOrder, anyRole...)
	s.handle(http.MethodGet, "/v1/cases/:id/order-care", s.getCaseOrderCare, anyRole...)

	s.handle(http.MethodGet, "/v1/preemptive-tasks", s.listPreemptiveTasks, staff...)
	s.handle(http.MethodPost, "/v1/preemptive-tasks/:id/complete", s.completePreemptiveTask, staff...)

	s.handle(http.MethodPost, "/v1/messages", s.postBuyerMessage, feeders...)
	s.handle(http.MethodGet, "/v1/messages", s.listBuyerMessages, staff...)
	s.handle(http.MethodGet, "/v1/messages/:id", s.getBuyerMessage, staff...)
	s.handle(http.MethodPost, "/v1/messages/:id/answer", s.answerBuyerMessage, staff...)
	s.handle(http.MethodPost, "/v1/messages/:id/escalate", s.escalateBuyerMessage, staff...)
	s.handle(http.MethodPost, "/v1/messages/batch-answer", s.batchAnswer, staff...)
	s.handle(http.MethodGet, "/v1/quick-replies", s.listQuickReplies, staff...)
	s.handle(http.MethodPost, "/v1/quick-replies", s.addQuickReply, managers...)
	s.handle(http.MethodGet, "/v1/reports/order-care", s.orderCareReport, managers...)

	// Issue 12: the seller's own templates, and where its alerts go.
	s.handle(http.MethodGet, "/v1/templates", s.listTemplates, staff...)
	s.handle(http.MethodPost, "/v1/templates", s.saveTemplate, managers...)
	s.handle(http.MethodGet, "/v1/templates/:id", s.getTemplate, staff...)
	s.handle(http.MethodDelete, "/v1/templates/:id", s.withdrawTemplate, managers...)
	s.handle(http.MethodPost, "/v1/templates/:id/preview", s.previewTemplate, staff...)
	s.handle(http.MethodPost, "/v1/templates/preview", s.previewDraft, staff...)
	s.handle(http.MethodGet, "/v1/alert-channels", s.listAlertChannels, managers...)
	s.handle(http.MethodPost, "/v1/alert-channels", s.createAlertChannel, managers...)
	s.handle(http.MethodGet, "/v1/alert-channels/:id", s.getAlertChannel, managers...)
	s.handle(http.MethodPut, "/v1/alert-channels/:id", s.updateAlertChannel, managers...)
	s.handle(http.MethodDelete, "/v1/alert-channels/:id", s.deleteAlertChannel, managers...)
	s.handle(http.MethodGet, "/v1/alert-deliveries", s.listAlertDeliveries, managers...)

	s.mountConsole() // the browser console under /ui, admitted by the matrix above
}

// handle registers a route that needs a token of one of roles.
func (s *Server) handle(method, path string, h echo.HandlerFunc, roles ...cases.Role) {
	s.access[routeKey{method, path}] = roles
	s.echo.Add(method, path, h, s.requireRoles(roles))
}
