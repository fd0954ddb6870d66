package cases

import (
	"math/rand/v2"
	"testing"
	"time"
	_ "time/tzdata" // tests must not depend on the machine's zone database

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := LoadZone(name)
	require.NoError(t, err)
	return loc
}

func TestAddBusinessDurationMercadoLibreHours(t *testing.T) {
	sp := mustZone(t, "America/Sao_Paulo")
	bh := MercadoLibreHours(sp)
	at := func(y int, m time.Month, d, h, min int) time.Time { return time.Date(y, m, d, h, min, 0, 0, sp) }
	cases := []struct {
		name string
		from time.Time
		d    time.Duration
		want time.Time
	}{
		{"inside the window", at(2026, 3, 10, 9, 0), 2 * time.Hour, at(2026, 3, 10, 11, 0)},
		{"ends exactly at closing", at(2026, 3, 10, 8, 0), 13 * time.Hour, at(2026, 3, 10, 21, 0)},
		{"crosses the night", at(2026, 3, 10, 20, 0), 8 * time.Hour, at(2026, 3, 11, 15, 0)},
		{"starts at night", at(2026, 3, 10, 22, 30), 8 * time.Hour, at(2026, 3, 11, 16, 0)},
		{"starts after midnight", at(2026, 3, 11, 0, 15), 8 * time.Hour, at(2026, 3, 11, 16, 0)},
		{"starts before opening", at(2026, 3, 11, 3, 0), 8 * time.Hour, at(2026, 3, 11, 16, 0)},
		{"starts at closing", at(2026, 3, 10, 21, 0), 1 * time.Hour, at(2026, 3, 11, 9, 0)},
		{"twelve hours", at(2026, 3, 10, 12, 0), 12 * time.Hour, at(2026, 3, 11, 11, 0)},
		{"weekend counts", at(2026, 3, 14, 20, 0), 2 * time.Hour, at(2026, 3, 15, 9, 0)}, // Saturday → Sunday
		{"new year", at(2026, 12, 31, 20, 0), 2 * time.Hour, at(2027, 1, 1, 9, 0)},
		{"end of february", at(2028, 2, 28, 20, 30), 14 * time.Hour, at(2028, 3, 1, 8, 30)}, // leap day counted
		{"48 h are 3 days and 9 h", at(2026, 3, 10, 8, 0), 48 * time.Hour, at(2026, 3, 13, 17, 0)},
		{"zero", at(2026, 3, 10, 22, 0), 0, at(2026, 3, 10, 22, 0)},
		{"negative", at(2026, 3, 10, 22, 0), -time.Hour, at(2026, 3, 10, 22, 0)},
	}
	for _, c := range cases {
		got := AddBusinessDuration(c.from, c.d, bh)
		assert.True(t, c.want.Equal(got), "%s: want %s, got %s", c.name, c.want, got)
		if c.d > 0 {
			assert.Equal(t, c.d, BusinessDurationBetween(c.from, got, bh), c.name)
		}
	}
}

func TestAddBusinessDurationKeepsTheCallersLocation(t *testing.T) {
	sp := mustZone(t, "America/Sao_Paulo")
	from := time.Date(2026, 3, 10, 23, 30, 0, 0, time.UTC) // 20:30 in São Paulo
	got := AddBusinessDuration(from, time.Hour, MercadoLibreHours(sp))
	assert.Equal(t, time.UTC, got.Location())
	assert.True(t, time.Date(2026, 3, 11, 11, 30, 0, 0, time.UTC).Equal(got), got) // 30 min today, 30 min from 08:00
}

func TestBusinessHoursAcrossDaylightSavingChanges(t *testing.T) {
	ny := mustZone(t, "America/New_York")
	// 2026-03-08: clocks jump from 02:00 to 03:00, the local day has 23 hours.
	allDay := BusinessHours{StartHour: 0, EndHour: 24, Location: ny}
	from := time.Date(2026, 3, 8, 0, 0, 0, 0, ny)
	got := AddBusinessDuration(from, 24*time.Hour, allDay)
	assert.True(t, time.Date(2026, 3, 9, 1, 0, 0, 0, ny).Equal(got), got)
	assert.Equal(t, 24*time.Hour, BusinessDurationBetween(from, got, allDay))

	// A window spanning the jump is an hour shorter in real time.
	night := BusinessHours{StartHour: 1, EndHour: 4, Location: ny}
	from = time.Date(2026, 3, 8, 1, 0, 0, 0, ny)
	assert.True(t, time.Date(2026, 3, 8, 4, 0, 0, 0, ny).Equal(AddBusinessDuration(from, 2*time.Hour, night)))
	assert.True(t, time.Date(2026, 3, 9, 1, 30, 0, 0, ny).Equal(AddBusinessDuration(from, 150*time.Minute, night)))

	// 2026-11-01: clocks fall back from 02:00 to 01:00; the same window lasts 4 hours.
	from = time.Date(2026, 11, 1, 1, 0, 0, 0, ny)
	end := time.Date(2026, 11, 1, 4, 0, 0, 0, ny)
	assert.Equal(t, 4*time.Hour, end.Sub(from))
	assert.Equal(t, 4*time.Hour, BusinessDurationBetween(from, end, night))
	assert.True(t, end.Equal(AddBusinessDuration(from, 4*time.Hour, night)))

	// The 08:00–21:00 window is unaffected: the change happens at night.
	bh := BusinessHours{StartHour: 8, EndHour: 21, Location: ny}
	from = time.Date(2026, 3, 7, 20, 0, 0, 0, ny)
	assert.True(t, time.Date(2026, 3, 8, 9, 0, 0, 0, ny).Equal(AddBusinessDuration(from, 2*time.Hour, bh)))
}

func TestBusinessDurationBetween(t *testing.T) {
	sp := mustZone(t, "America/Sao_Paulo")
	bh := MercadoLibreHours(sp)
	at := func(d, h int) time.Time { return time.Date(2026, 5, d, h, 0, 0, 0, sp) }
	assert.Equal(t, time.Duration(0), BusinessDurationBetween(at(2, 10), at(2, 10), bh))
	assert.Equal(t, time.Duration(0), BusinessDurationBetween(at(2, 10), at(1, 10), bh), "reversed")
	assert.Equal(t, time.Duration(0), BusinessDurationBetween(at(2, 22), at(3, 7), bh), "night only")
	assert.Equal(t, 13*time.Hour, BusinessDurationBetween(at(2, 0), at(3, 0), bh), "one full day")
	assert.Equal(t, 3*time.Hour, BusinessDurationBetween(at(2, 19), at(3, 9), bh))
	assert.Equal(t, 7*13*time.Hour, BusinessDurationBetween(at(1, 0), at(8, 0), bh), "a week")
}

func TestBusinessHoursBadSettingsCountWallClock(t *testing.T) {
	from := time.Date(2026, 5, 2, 22, 0, 0, 0, time.UTC)
	for _, bh := range []BusinessHours{
		{StartHour: 21, EndHour: 8},
		{StartHour: 9, EndHour: 9},
		{StartHour: -1, EndHour: 10},
		{StartHour: 8, EndHour: 25},
	} {
		assert.True(t, from.Add(5*time.Hour).Equal(AddBusinessDuration(from, 5*time.Hour, bh)), "%+v", bh)
	}
}

// Property: Due(from, d) then BusinessDurationBetween(from, due) == d, and
// a longer duration never yields an earlier deadline.
func TestAddBusinessDurationRoundTripsAndIsMonotonic(t *testing.T) {
	zones := []string{"UTC", "America/Sao_Paulo", "America/New_York", "America/Santiago", "Asia/Shanghai", "Europe/Madrid"}
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 3000; i++ {
		loc := mustZone(t, zones[rng.IntN(len(zones))])
		start := rng.IntN(24)
		bh := BusinessHours{StartHour: start, EndHour: start + 1 + rng.IntN(24-start), Location: loc}
		from := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(rng.Int64N(int64(3 * 365 * 24 * time.Hour))))
		d := time.Duration(rng.Int64N(int64(30 * 24 * time.Hour)))
		due := AddBusinessDuration(from, d, bh)
		require.Equal(t, d, BusinessDurationBetween(from, due, bh), "from %s d %s bh %+v", from, d, bh)
		later := AddBusinessDuration(from, d+time.Minute, bh)
		require.False(t, later.Before(due), "monotonic: from %s d %s", from, d)
	}
}

func TestLoadZone(t *testing.T) {
	loc, err := LoadZone("")
	require.NoError(t, err)
	assert.Equal(t, time.UTC, loc)
	loc, err = LoadZone("America/Sao_Paulo")
	require.NoError(t, err)
	assert.Equal(t, "America/Sao_Paulo", loc.String())
	_, err = LoadZone("Mars/Olympus_Mons")
	assert.Error(t, err)
}

// A shop's holiday counts no business time: a deadline that would fall on
// it moves to the next working day, and time across it is not counted.
func TestBusinessHoursSkipHolidays(t *testing.T) {
	sp, err := LoadZone("America/Sao_Paulo")
	if err != nil {
		t.Fatal(err)
	}
	bh := MercadoLibreHours(sp)
	bh.Holidays = []string{"2026-11-02"}             // Finados, a Monday
	from := time.Date(2026, 10, 30, 20, 0, 0, 0, sp) // Friday 20:00, one business hour left
	// 1 h Friday + 13 h Saturday + 13 h Sunday, Monday closed, 3 h Tuesday from 08:00.
	got := AddBusinessDuration(from, 30*time.Hour, bh)
	if want := time.Date(2026, 11, 3, 11, 0, 0, 0, sp); !got.Equal(want) {
		t.Errorf("due %v, want %v", got, want)
	}
	if d := BusinessDurationBetween(from, got, bh); d != 30*time.Hour {
		t.Errorf("business time between %v, want 30h", d)
	}
	bh.Holidays = nil
	if got := AddBusinessDuration(from, 30*time.Hour, bh); !got.Equal(time.Date(2026, 11, 2, 11, 0, 0, 0, sp)) {
		t.Errorf("without the holiday due %v, want Monday 11:00", got)
	}
}

func TestSLAOverrides(t *testing.T) {
	p := SLAFor(EBay, IssueQuality, nil).WithOverrides(map[DeadlineKind]time.Duration{
		DeadlineFirstContact: 6 * time.Hour, DeadlineSolution: 0})
	if p.FirstContact != 6*time.Hour || p.Solution != 3*time.Hour {
		t.Errorf("first contact %v solution %v, want 6h and the platform's 3h", p.FirstContact, p.Solution)
	}
}
