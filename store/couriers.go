package store

import (
	"context"
	"time"
)

// SetCourierVolume records how many shipments a shop sent with a courier in
// the month containing month (its UTC calendar month), replacing an earlier
// upload for that month.
func (s *Store) SetCourierVolume(ctx context.Context, shopID, courier string, month time.Time, shipments int) error {
	switch {
	case shopID == "" || courier == "":
		return invalid("courier volume needs a shop and a courier")
	case month.IsZero():
		return invalid("courier volume needs a month")
	case shipments < 0:
		return invalid("shipments %d is negative", shipments)
	}
	_, err := s.db.ExecContext(ctx, `
INSERT INTO courier_volumes (shop_id, courier, month, shipments)
VALUES ($1, $2, $3, $4)
ON CONFLICT (shop_id, courier, month) DO UPDATE SET shipments = EXCLUDED.shipments`,
		shopID, courier, monthStart(month).Format(time.DateOnly), shipments)
	if err != nil {
		return wrap("set courier volume", err)
	}
	return nil
}

// monthStart is the first instant of t's calendar month in UTC.
func monthStart(t time.Time) time.Time {
	t = t.UTC()
	return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
}
