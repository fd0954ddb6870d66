package cases

import (
	"fmt"
	"time"
)

// BusinessHours is the daily window in which SLA time runs, in the shop's
// zone. Every day counts, weekends included: Mercado Libre's rule only
// excludes 21:00–08:00, and Amazon expects replies within 24 h including
// weekends.
type BusinessHours struct {
	StartHour, EndHour int            // e.g. 8, 21: time outside [Start, End) does not count
	Location           *time.Location // shop time zone; nil = UTC
	// Holidays are local dates ("2006-01-02") on which no time counts: a
	// shop's own calendar (issue 12).
	Holidays []string
}

// MercadoLibreHours is the window Mercado Libre counts reply times in.
func MercadoLibreHours(loc *time.Location) BusinessHours {
	return BusinessHours{StartHour: 8, EndHour: 21, Location: loc}
}

// normalized returns bh ready to use. A window that makes no sense (hours
// outside 0–24, start not before end) counts every hour, so bad shop
// settings degrade to wall-clock deadlines instead of deadlines that never
// come due.
func (bh BusinessHours) normalized() BusinessHours {
	if bh.Location == nil {
		bh.Location = time.UTC
	}
	if bh.StartHour < 0 || bh.EndHour > 24 || bh.StartHour >= bh.EndHour {
		bh.StartHour, bh.EndHour = 0, 24
	}
	return bh
}

// window returns the business window of the local calendar day (y, m, d).
// time.Date resolves the hours in the zone, so a DST change inside the
// window makes it an hour longer or shorter in real time, as a clock on the
// shop's wall would.
// A holiday's window is empty.
func (bh BusinessHours) window(y int, m time.Month, d int) (start, end time.Time) {
	start = time.Date(y, m, d, bh.StartHour, 0, 0, 0, bh.Location)
	if bh.holiday(y, m, d) {
		return start, start
	}
	return start, time.Date(y, m, d, bh.EndHour, 0, 0, 0, bh.Location)
}

// holiday reports whether the local date is one of the shop's holidays.
func (bh BusinessHours) holiday(y int, m time.Month, d int) bool {
	if len(bh.Holidays) == 0 {
		return false
	}
	date := fmt.Sprintf("%04d-%02d-%02d", y, int(m), d)
	for _, h := range bh.Holidays {
		if h == date {
			return true
		}
	}
	return false
}

// AddBusinessDuration returns the moment d of business time after from.
// A start outside the window begins counting at the next opening. d ≤ 0
// returns from unchanged. The result is in from's location.
func AddBusinessDuration(from time.Time, d time.Duration, bh BusinessHours) time.Time {
	if d <= 0 {
		return from
	}
	bh = bh.normalized()
	t := from
	y, m, day := from.In(bh.Location).Date()
	for {
		start, end := bh.window(y, m, day)
		if t.Before(start) {
			t = start
		}
		if t.Before(end) {
			avail := end.Sub(t)
			if d <= avail {
				return t.Add(d).In(from.Location())
			}
			d -= avail
		}
		day++ // time.Date normalises day overflow into the next month
		y, m, day = time.Date(y, m, day, 12, 0, 0, 0, bh.Location).Date()
		t = time.Time{}
	}
}

// BusinessDurationBetween returns how much business time lies between from
// and to; 0 when to is not after from. It walks the days in between, so its
// cost grows with the span (a year is 365 cheap steps).
func BusinessDurationBetween(from, to time.Time, bh BusinessHours) time.Duration {
	if !to.After(from) {
		return 0
	}
	bh = bh.normalized()
	var total time.Duration
	y, m, day := from.In(bh.Location).Date()
	for {
		start, end := bh.window(y, m, day)
		if !start.Before(to) {
			return total
		}
		lo, hi := later(start, from), earlier(end, to)
		if hi.After(lo) {
			total += hi.Sub(lo)
		}
		day++
		y, m, day = time.Date(y, m, day, 12, 0, 0, 0, bh.Location).Date()
	}
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func earlier(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// LoadZone loads a shop's IANA time zone, "" meaning UTC. It reads the zone
// database, so call it outside workflows (at the API or when starting a
// workflow) and pass the *time.Location in.
func LoadZone(name string) (*time.Location, error) {
	if name == "" {
		return time.UTC, nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("load time zone %q: %w", name, err)
	}
	return loc, nil
}
