package api

import (
	"context"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/redress-hq/redress/store"
)

// AlertStore keeps alert channels and their delivery log; *store.Store satisfies it.
type AlertStore interface {
	CreateAlertChannel(ctx context.Context, c store.AlertChannel, by string) (store.AlertChannel, error)
	UpdateAlertChannel(ctx context.Context, c store.AlertChannel, by string) (store.AlertChannel, error)
	DeleteAlertChannel(ctx context.Context, orgID, id, by string) error
	GetAlertChannel(ctx context.Context, orgID, id string) (store.AlertChannel, error)
	ListAlertChannels(ctx context.Context, orgID string) ([]store.AlertChannel, error)
	ListAlertDeliveries(ctx context.Context, f store.AlertDeliveryFilter) ([]store.AlertDelivery, error)
}

var _ AlertStore = (*store.Store)(nil)

// alertChannelRequest is a channel as managers send it. The secret and the
// URL are write-only: an update without them keeps the saved ones.
type alertChannelRequest struct {
	Name        string   `json:"name" validate:"required,max=100"`
	Type        string   `json:"type" validate:"required,oneof=webhook slack dingtalk wecom email"`
	Language    string   `json:"language" validate:"omitempty,oneof=en es pt zh"`
	Marketplace string   `json:"marketplace" validate:"omitempty,marketplace"`
	ShopID      string   `json:"shop_id" validate:"max=200"`
	URL         string   `json:"url" validate:"omitempty,url,max=2000"`
	Secret      string   `json:"secret" validate:"max=500"`
	Recipients  []string `json:"recipients" validate:"max=20,dive,email"`
	Kinds       []string `json:"kinds" validate:"max=10,dive,oneof=new_case deadline_reminder deadline_breached incident order_risk"`
	Severities  []string `json:"severities" validate:"max=2,dive,oneof=bad mid"`
	Enabled     *bool    `json:"enabled"`
}

func (r alertChannelRequest) channel(org, id string) store.AlertChannel {
	enabled := r.Enabled == nil || *r.Enabled
	return store.AlertChannel{ID: id, OrgID: org, Name: r.Name, Type: store.AlertChannelType(r.Type), Language: r.Language, Marketplace: r.Marketplace,
		ShopID: r.ShopID, URL: r.URL, Secret: r.Secret, Recipients: r.Recipients, Kinds: r.Kinds, Severities: r.Severities, Enabled: enabled}
}

func (s *Server) alertStore() (AlertStore, error) {
	st, ok := s.store.(AlertStore)
	if !ok {
		return nil, newProblem(http.StatusNotImplemented, "not_implemented", "this server's store has no alert channels")
	}
	return st, nil
}

func (s *Server) listAlertChannels(c echo.Context) error {
	st, err := s.alertStore()
	if err != nil {
		return err
	}
	list, err := st.ListAlertChannels(c.Request().Context(), orgOfCaller(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"items": list})
}

func (s *Server) createAlertChannel(c echo.Context) error {
	st, err := s.alertStore()
	if err != nil {
		return err
	}
	var req alertChannelRequest
	if err := s.decodeJSON(c, &req, false); err != nil {
		return err
	}
	ch, err := st.CreateAlertChannel(c.Request().Context(), req.channel(orgOfCaller(c), ""), caller(c).Name)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, ch)
}

func (s *Server) getAlertChannel(c echo.Context) error {
	st, err := s.alertStore()
	if err != nil {
		return err
	}
	ch, err := st.GetAlertChannel(c.Request().Context(), orgOfCaller(c), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, ch)
}

func (s *Server) updateAlertChannel(c echo.Context) error {
	st, err := s.alertStore()
	if err != nil {
		return err
	}
	var req alertChannelRequest
	if err := s.decodeJSON(c, &req, false); err != nil {
		return err
	}
	ch, err := st.UpdateAlertChannel(c.Request().Context(), req.channel(orgOfCaller(c), c.Param("id")), caller(c).Name)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, ch)
}

func (s *Server) deleteAlertChannel(c echo.Context) error {
	st, err := s.alertStore()
	if err != nil {
		return err
	}
	if err := st.DeleteAlertChannel(c.Request().Context(), orgOfCaller(c), c.Param("id"), caller(c).Name); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// listAlertDeliveries reads the delivery log, newest first.
func (s *Server) listAlertDeliveries(c echo.Context) error {
	st, err := s.alertStore()
	if err != nil {
		return err
	}
	limit := 0
	if v := c.QueryParam("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 500 {
			return newProblem(http.StatusBadRequest, codeValidationFailed, "limit must be 1 to 500")
		}
		limit = n
	}
	list, err := st.ListAlertDeliveries(c.Request().Context(), store.AlertDeliveryFilter{
		OrgID: orgOfCaller(c), ChannelID: c.QueryParam("channel_id"), CaseID: c.QueryParam("case_id"),
		Status: c.QueryParam("status"), Limit: limit,
	})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"items": list})
}
