package api

import (
	"context"
	"time"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/store"
)

// Store is what the API reads from the case index; *store.Store satisfies it.
type Store interface {
	Ping(ctx context.Context) error
	GetCase(ctx context.Context, id string) (cases.Case, error)
	CaseAsOf(ctx context.Context, id string, t time.Time) (cases.State, error)
	EventsOfCasesOpened(ctx context.Context, from, to time.Time) ([]cases.CaseHistory, error)
	ListCases(ctx context.Context, f store.CaseFilter) (store.Page[cases.Case], error)
	ListEvents(ctx context.Context, caseID string, afterSeq int64, limit int) ([]cases.Event, error)
	ListDeadlines(ctx context.Context, caseID string) ([]cases.Deadline, error)
	GetTask(ctx context.Context, id string) (cases.Task, error)
	ListTasks(ctx context.Context, f store.TaskFilter) (store.Page[cases.Task], error)
	GetIncident(ctx context.Context, id string) (cases.Incident, error)
	ListIncidents(ctx context.Context, f store.IncidentFilter) (store.Page[cases.Incident], error)
	CreateToken(ctx context.Context, name string, role cases.Role, tokenHash string) (store.Token, error)
	TokenByHash(ctx context.Context, tokenHash string) (store.Token, error)
	RevokeToken(ctx context.Context, id string) error
	RecordWebhookDelivery(ctx context.Context, marketplace, deliveryID string) (first bool, err error)
	FindCaseByOrder(ctx context.Context, m cases.Marketplace, shopID, orderID string) (cases.Case, error)
	SetCourierVolume(ctx context.Context, shopID, courier string, month time.Time, shipments int) error
	Report(ctx context.Context, f store.ReportFilter) (store.Report, error)
	// Buyers' access and erasure requests (privacy.go).
	EraseBuyer(ctx context.Context, m cases.Marketplace, buyerID, reason string, by cases.Actor) (store.Erasure, error)
	ExportBuyer(ctx context.Context, m cases.Marketplace, buyerID, reason string, by cases.Actor) (store.BuyerExport, error)
}

var _ Store = (*store.Store)(nil)
