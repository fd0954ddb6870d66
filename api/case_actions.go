package api

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/workflows"
)

type buyerReplyRequest struct {
	// MessageID deduplicates: the same message entered twice is recorded once.
	MessageID string `json:"message_id" validate:"max=200"`
	Text      string `json:"text" validate:"required,max=10000"`
	At        string `json:"at" validate:"omitempty,rfc3339"`
}

func (s *Server) addBuyerReply(c echo.Context) error {
	caseID, err := caseParam(c)
	if err != nil {
		return err
	}
	var req buyerReplyRequest
	if err := s.decodeJSON(c, &req, false); err != nil {
		return err
	}
	at := time.Now().UTC()
	if req.At != "" {
		at, _ = time.Parse(time.RFC3339, req.At) // validated
	}
	msgID := req.MessageID
	if msgID == "" {
		msgID = "api-" + idempotencyKey(c)
	}
	p := caller(c)
	source := "agent"
	if p.Role == cases.RoleAutomation {
		source = "automation"
	}
	reply := workflows.BuyerReply{MessageID: msgID, Text: req.Text, At: at, Source: source, Actor: p.actor()}
	return s.respondUpdate(c, caseID, workflows.UpdateBuyerReply, updateID(c, workflows.UpdateBuyerReply, msgID), reply)
}

type noteRequest struct {
	Text string `json:"text" validate:"required,max=10000"`
}

func (s *Server) addNote(c echo.Context) error {
	caseID, err := caseParam(c)
	if err != nil {
		return err
	}
	var req noteRequest
	if err := s.decodeJSON(c, &req, false); err != nil {
		return err
	}
	noteID := idempotencyKey(c)
	note := workflows.NoteRequest{NoteID: noteID, Text: req.Text, Actor: caller(c).actor()}
	return s.respondUpdate(c, caseID, workflows.UpdateAddNote, updateID(c, workflows.UpdateAddNote, ""), note)
}

type reclassifyRequest struct {
	Issue  string `json:"issue" validate:"required,issue"`
	Reason string `json:"reason" validate:"required,max=2000"`
}

func (s *Server) reclassify(c echo.Context) error {
	caseID, err := caseParam(c)
	if err != nil {
		return err
	}
	var req reclassifyRequest
	if err := s.decodeJSON(c, &req, false); err != nil {
		return err
	}
	r := workflows.ReclassifyRequest{Issue: cases.Issue(req.Issue), Reason: req.Reason, Actor: caller(c).actor()}
	return s.respondUpdate(c, caseID, workflows.UpdateReclassify, updateID(c, workflows.UpdateReclassify, ""), r)
}

type closeRequest struct {
	Reason string `json:"reason" validate:"required,max=2000"`
}

func (s *Server) closeCase(c echo.Context) error {
	caseID, err := caseParam(c)
	if err != nil {
		return err
	}
	var req closeRequest
	if err := s.decodeJSON(c, &req, false); err != nil {
		return err
	}
	r := workflows.CloseCaseRequest{Reason: req.Reason, Actor: caller(c).actor()}
	// A case closes once, so a repeated close replays the first answer.
	return s.respondUpdate(c, caseID, workflows.UpdateCloseCase, updateID(c, workflows.UpdateCloseCase, caseID), r)
}

func caseParam(c echo.Context) (string, error) {
	id := c.Param("id")
	if !validCaseID(id) {
		return "", notFound("case")
	}
	return id, nil
}

// respondUpdate runs an Update and answers with its result.
func (s *Server) respondUpdate(c echo.Context, caseID, name, id string, arg any) error {
	res, err := s.updateCase(c.Request().Context(), caseID, name, id, arg)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, res)
}
