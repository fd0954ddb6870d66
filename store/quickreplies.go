package store

import (
	"context"
	"time"

	"github.com/redress-hq/redress/cases"
)

// QuickReply is a reusable answer per shop (or every shop of a marketplace) and language.
type QuickReply struct {
	OrgID       string            `db:"org_id" json:"-"` // the owning organisation (migration 00042)
	ID          string            `db:"id" json:"id"`
	Marketplace cases.Marketplace `db:"marketplace" json:"marketplace"`
	ShopID      string            `db:"shop_id" json:"shop_id"`
	Language    string            `db:"language" json:"language"`
	Name        string            `db:"name" json:"name"`
	Text        string            `db:"text" json:"text"`
	CreatedAt   time.Time         `db:"created_at" json:"created_at"`
	CreatedBy   string            `db:"created_by" json:"created_by"`
}

// AddQuickReply saves a quick reply.
func (s *Store) AddQuickReply(ctx context.Context, q QuickReply) (QuickReply, error) {
	err := s.db.GetContext(ctx, &q, `INSERT INTO quick_replies (id, marketplace, shop_id, language, name, text, created_at, created_by)
VALUES ($1, $2, $3, $4, $5, $6, now(), $7) RETURNING *`, q.ID, q.Marketplace, q.ShopID, q.Language, q.Name, q.Text, q.CreatedBy)
	return q, wrap("add quick reply", err)
}

// ListQuickReplies returns a shop's quick replies and its marketplace's shared ones.
func (s *Store) ListQuickReplies(ctx context.Context, m cases.Marketplace, shopID, lang string) ([]QuickReply, error) {
	out := []QuickReply{}
	err := s.db.SelectContext(ctx, &out, `SELECT * FROM quick_replies
WHERE marketplace = $1 AND (shop_id = '' OR shop_id = $2) AND ($3 = '' OR language = $3)
ORDER BY shop_id DESC, name, id`, m, shopID, lang)
	return out, wrap("list quick replies", err)
}
