package store

import (
	"context"
	"time"

	"github.com/redress-hq/redress/cases"
)

const incidentColumns = `id, case_id, workflow_id, marketplace, shop_id, call, step, error_class,
    message, attempts, params, status, resolution, resolved_by,
    created_at, updated_at, resolved_at, version`

// Incident status filters beyond the real statuses.
const (
	IncidentStatusOpen = ""    // open incidents, the ones waiting for a decision
	IncidentStatusAll  = "all" // any status
)

// IncidentFilter selects incidents; empty fields match everything except
// Status, where "" means open and "all" means any status. CreatedAfter is
// inclusive, CreatedBefore exclusive. Incidents come newest first.
type IncidentFilter struct {
	Marketplace   string
	ShopID        string
	Call          string
	ErrorClass    string
	Status        string
	CaseID        string
	CreatedBefore *time.Time
	CreatedAfter  *time.Time
	Cursor        string
	Limit         int
}

const incidentSort = "created_at"

// GetIncident returns one incident, or ErrNotFound.
func (s *Store) GetIncident(ctx context.Context, id string) (cases.Incident, error) {
	var in cases.Incident
	if err := s.db.GetContext(ctx, &in, `SELECT `+incidentColumns+` FROM incidents WHERE id = $1`, id); err != nil {
		return cases.Incident{}, wrap("get incident "+id, err)
	}
	ins := []cases.Incident{in}
	return ins[0], s.opener(nil).openIncidents(ctx, ins)
}

// ListIncidents returns one page of incidents matching f.
func (s *Store) ListIncidents(ctx context.Context, f IncidentFilter) (Page[cases.Incident], error) {
	q, err := f.where()
	if err != nil {
		return Page[cases.Incident]{}, err
	}
	limit, err := pageLimit(f.Limit)
	if err != nil {
		return Page[cases.Incident]{}, err
	}
	cursor, err := decodeCursor(f.Cursor, incidentSort)
	if err != nil {
		return Page[cases.Incident]{}, err
	}
	if err := q.afterDesc("created_at", cursor); err != nil {
		return Page[cases.Incident]{}, err
	}

	var rows []cases.Incident
	stmt := `SELECT ` + incidentColumns + `
FROM incidents
` + q.clause() + `
ORDER BY created_at DESC, id DESC
` + q.limit(limit)
	if err := s.db.SelectContext(ctx, &rows, stmt, q.args...); err != nil {
		return Page[cases.Incident]{}, wrap("list incidents", err)
	}
	if err := s.opener(nil).openIncidents(ctx, rows); err != nil {
		return Page[cases.Incident]{}, err
	}
	return paginate(rows, limit, func(in cases.Incident) cursorKey {
		return cursorKey{Sort: incidentSort, At: timePtr(in.CreatedAt), ID: in.ID}
	}), nil
}

func (f IncidentFilter) where() (*query, error) {
	if f.Marketplace != "" && !cases.Marketplace(f.Marketplace).Valid() {
		return nil, invalid("unknown marketplace %q", f.Marketplace)
	}
	q := &query{}
	switch cases.IncidentStatus(f.Status) {
	case IncidentStatusOpen:
		q.where("status = 'open'")
	case IncidentStatusAll:
	case cases.IncidentOpen, cases.IncidentRetrying, cases.IncidentResolved, cases.IncidentSkipped:
		q.whereEq("status", f.Status)
	default:
		return nil, invalid("unknown incident status %q", f.Status)
	}
	q.whereEq("marketplace", f.Marketplace)
	q.whereEq("shop_id", f.ShopID)
	q.whereEq("call", f.Call)
	q.whereEq("error_class", f.ErrorClass)
	q.whereEq("case_id", f.CaseID)
	if f.CreatedAfter != nil {
		q.where("created_at >= " + q.arg(*f.CreatedAfter))
	}
	if f.CreatedBefore != nil {
		q.where("created_at < " + q.arg(*f.CreatedBefore))
	}
	return q, nil
}
