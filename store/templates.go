package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/redress-hq/redress/cases"
)

// MessageTemplate is a seller's template with its current version's body.
type MessageTemplate struct {
	ID          string                `db:"id" json:"id"`
	OrgID       string                `db:"org_id" json:"org_id"`
	Marketplace cases.Marketplace     `db:"marketplace" json:"marketplace"`
	Purpose     cases.TemplatePurpose `db:"purpose" json:"purpose"`
	Issue       cases.Issue           `db:"issue" json:"issue"`
	Language    string                `db:"language" json:"language"`
	Version     int                   `db:"current_version" json:"version"`
	Body        string                `db:"body" json:"body"`
	Active      bool                  `db:"active" json:"active"`
	CreatedAt   time.Time             `db:"created_at" json:"created_at"`
	UpdatedAt   time.Time             `db:"updated_at" json:"updated_at"`
}

// TemplateVersion is one saved version of a template.
type TemplateVersion struct {
	Version   int       `db:"version" json:"version"`
	Body      string    `db:"body" json:"body"`
	CreatedBy string    `db:"created_by" json:"created_by"`
	CreatedAt time.Time `db:"created_at" json:"created_at"`
}

// Seller returns the template as the case workflow uses it.
func (t MessageTemplate) Seller() cases.SellerTemplate {
	return cases.SellerTemplate{ID: t.ID, Version: t.Version, Purpose: t.Purpose, Issue: t.Issue, Language: t.Language, Body: t.Body}
}

const templateSelect = `SELECT t.id, t.org_id, t.marketplace, t.purpose, t.issue, t.language, t.current_version, v.body,
		t.active, t.created_at, t.updated_at
	FROM message_templates t JOIN message_template_versions v ON v.template_id = t.id AND v.version = t.current_version`

// SaveTemplate saves body as the next version of the organisation's
// template for (marketplace, purpose, issue, language), creating it on the
// first save. Saving the current body of an active template again changes
// nothing, so a retried save does not add a version. The caller has
// checked the body (cases.CheckSellerTemplate).
func (s *Store) SaveTemplate(ctx context.Context, t MessageTemplate, by string) (MessageTemplate, error) {
	if t.OrgID == "" {
		t.OrgID = orgDefault
	}
	var out MessageTemplate
	err := s.auditedTx(ctx, func(tx *sqlx.Tx) (AdminEvent, error) {
		var changed bool
		var err error
		out, changed, err = saveTemplateTx(ctx, tx, t, by)
		if err != nil || !changed {
			return AdminEvent{}, err
		}
		return AdminEvent{OrgID: out.OrgID, Actor: by, Action: "template.saved", Target: out.ID, Detail: auditDetail(map[string]any{
			"version": out.Version, "marketplace": out.Marketplace, "purpose": out.Purpose, "issue": out.Issue, "language": out.Language})}, nil
	})
	if err != nil {
		return MessageTemplate{}, wrap("save template", err)
	}
	return out, nil
}

// saveTemplateTx writes the next version; changed is false when the body
// is already the current one of an active template.
func saveTemplateTx(ctx context.Context, tx *sqlx.Tx, t MessageTemplate, by string) (out MessageTemplate, changed bool, err error) {
	var cur MessageTemplate
	err = tx.GetContext(ctx, &cur, templateSelect+`
		WHERE t.org_id = $1 AND t.marketplace = $2 AND t.purpose = $3 AND t.issue = $4 AND t.language = $5
		FOR UPDATE OF t`, t.OrgID, t.Marketplace, t.Purpose, t.Issue, t.Language)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		id, err := randomID("tpl_")
		if err != nil {
			return out, false, err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO message_templates (id, org_id, marketplace, purpose, issue, language, current_version)
			VALUES ($1, $2, $3, $4, $5, $6, 1)`, id, t.OrgID, t.Marketplace, t.Purpose, t.Issue, t.Language); err != nil {
			return out, false, err
		}
		cur = MessageTemplate{ID: id, Version: 1}
	case err != nil:
		return out, false, err
	case cur.Active && cur.Body == t.Body:
		return cur, false, nil
	default:
		cur.Version++
		if _, err := tx.ExecContext(ctx, `UPDATE message_templates SET current_version = $2, active = true, updated_at = now()
			WHERE id = $1`, cur.ID, cur.Version); err != nil {
			return out, false, err
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO message_template_versions (template_id, version, body, created_by)
		VALUES ($1, $2, $3, $4)`, cur.ID, cur.Version, t.Body, by); err != nil {
		return out, false, err
	}
	err = tx.GetContext(ctx, &out, templateSelect+` WHERE t.id = $1`, cur.ID)
	return out, err == nil, err
}

// WithdrawTemplate makes cases use the shipped text again; the versions stay.
func (s *Store) WithdrawTemplate(ctx context.Context, orgID, id, by string) (MessageTemplate, error) {
	err := s.auditedTx(ctx, func(tx *sqlx.Tx) (AdminEvent, error) {
		res, err := tx.ExecContext(ctx, `UPDATE message_templates SET active = false, updated_at = now()
			WHERE org_id = $1 AND id = $2`, orgID, id)
		if err != nil {
			return AdminEvent{}, err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return AdminEvent{}, ErrNotFound
		}
		return AdminEvent{OrgID: orgID, Actor: by, Action: "template.withdrawn", Target: id}, nil
	})
	if err != nil {
		return MessageTemplate{}, wrap("withdraw template "+id, err)
	}
	return s.GetTemplate(ctx, orgID, id)
}

// GetTemplate returns one of the organisation's templates.
func (s *Store) GetTemplate(ctx context.Context, orgID, id string) (MessageTemplate, error) {
	var t MessageTemplate
	if err := s.db.GetContext(ctx, &t, templateSelect+` WHERE t.org_id = $1 AND t.id = $2`, orgID, id); err != nil {
		return MessageTemplate{}, wrap("get template "+id, err)
	}
	return t, nil
}

// TemplateVersions returns every version of a template, newest first.
func (s *Store) TemplateVersions(ctx context.Context, orgID, id string) ([]TemplateVersion, error) {
	out := []TemplateVersion{}
	err := s.db.SelectContext(ctx, &out, `SELECT v.version, v.body, v.created_by, v.created_at
		FROM message_template_versions v JOIN message_templates t ON t.id = v.template_id
		WHERE t.org_id = $1 AND t.id = $2 ORDER BY v.version DESC`, orgID, id)
	if err != nil {
		return nil, wrap("template versions "+id, err)
	}
	return out, nil
}

// TemplateFilter narrows ListTemplates; zero fields match all.
type TemplateFilter struct {
	OrgID       string
	Marketplace cases.Marketplace
	Purpose     cases.TemplatePurpose
	Language    string
}

// ListTemplates returns the organisation's templates, active and withdrawn.
func (s *Store) ListTemplates(ctx context.Context, f TemplateFilter) ([]MessageTemplate, error) {
	out := []MessageTemplate{}
	err := s.db.SelectContext(ctx, &out, templateSelect+`
		WHERE t.org_id = $1 AND ($2 = '' OR t.marketplace = $2) AND ($3 = '' OR t.purpose = $3) AND ($4 = '' OR t.language = $4)
		ORDER BY t.marketplace, t.purpose, t.issue, t.language LIMIT 1000`, f.OrgID, f.Marketplace, f.Purpose, f.Language)
	if err != nil {
		return nil, wrap("list templates", err)
	}
	return out, nil
}

// SellerTexts returns what a case of the shop sends with: the shop's
// display name (its id when it has none) and its seller templates.
func (s *Store) SellerTexts(ctx context.Context, m cases.Marketplace, shopID string) (cases.SellerTexts, error) {
	var name sql.NullString
	err := s.db.GetContext(ctx, &name, `SELECT NULLIF(display_name, '') FROM shops WHERE marketplace = $1 AND shop_id = $2`, m, shopID)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return cases.SellerTexts{}, wrap("shop name", err)
	}
	templates, err := s.SellerTemplates(ctx, m, shopID)
	return cases.SellerTexts{ShopName: cmp.Or(name.String, shopID), Templates: templates}, err
}

// SellerTemplates are the active templates of the shop's organisation for
// the shop's marketplace.
func (s *Store) SellerTemplates(ctx context.Context, m cases.Marketplace, shopID string) ([]cases.SellerTemplate, error) {
	var rows []MessageTemplate
	err := s.db.SelectContext(ctx, &rows, templateSelect+`
		WHERE t.active AND t.org_id = `+orgOfShopSQL+` AND t.marketplace = $1
		ORDER BY t.purpose, t.issue, t.language`, m, shopID)
	if err != nil {
		return nil, wrap("seller templates", err)
	}
	var out []cases.SellerTemplate
	for _, r := range rows {
		out = append(out, r.Seller())
	}
	return out, nil
}
