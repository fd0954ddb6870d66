package ordercare

import "time"

// NextSendTime returns t when it is outside quiet hours in loc, else the end
// of the quiet hours (start inclusive, end exclusive; a window may span
// midnight, e.g. 21–8).
func NextSendTime(t time.Time, loc *time.Location, start, end int) time.Time {
	if loc == nil {
		loc = time.UTC
	}
	if start == end {
		return t
	}
	lt := t.In(loc)
	h := lt.Hour()
	quiet := false
	if start < end {
		quiet = h >= start && h < end
	} else {
		quiet = h >= start || h < end
	}
	if !quiet {
		return t
	}
	day := lt
	if start > end && h >= start { // evening: the window ends tomorrow morning
		day = lt.AddDate(0, 0, 1)
	}
	return time.Date(day.Year(), day.Month(), day.Day(), end, 0, 0, 0, loc).In(t.Location())
}
