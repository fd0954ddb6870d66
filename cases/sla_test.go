package cases

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSLAForDefaults(t *testing.T) {
	for _, m := range []Marketplace{EBay, Amazon, Taobao} {
		for _, issue := range Issues {
			p := SLAFor(m, issue, nil)
			resolution := 12 * time.Hour
			if issue == IssueQuality {
				resolution = 8 * time.Hour
			}
			assert.Equal(t, SLAPolicy{
				FirstContact: 24 * time.Hour, Solution: 3 * time.Hour, NoReplyAfter: 12 * time.Hour,
				PublicReply: 24 * time.Hour, Appeal: 24 * time.Hour, Resolution: resolution,
				Reship: 48 * time.Hour, ReminderRatio: 0.8,
			}, p, "%s/%s", m, issue)
		}
	}
}

func TestSLAForMercadoLibre(t *testing.T) {
	sp, err := LoadZone("America/Sao_Paulo")
	require.NoError(t, err)
	for _, issue := range Issues {
		p := SLAFor(MercadoLibre, issue, sp)
		want := 12 * time.Hour
		if issue == IssueQuality {
			want = 8 * time.Hour // the ML seed: quality problems within 8 h
		}
		assert.Equal(t, want, p.FirstContact, issue)
		assert.Equal(t, want, p.Resolution, issue)
		assert.Equal(t, 24*time.Hour, p.Appeal, issue)
		require.NotNil(t, p.BusinessHours)
		assert.Equal(t, BusinessHours{StartHour: 8, EndHour: 21, Location: sp}, *p.BusinessHours)
	}
	assert.Equal(t, time.UTC, SLAFor(MercadoLibre, IssueQuality, nil).BusinessHours.Location)
}

func TestSLADueAndRemindAt(t *testing.T) {
	sp, err := LoadZone("America/Sao_Paulo")
	require.NoError(t, err)
	// Mercado Libre: a quality review at 19:00 → 2 h today, 6 h tomorrow from 08:00.
	p := SLAFor(MercadoLibre, IssueQuality, sp)
	from := time.Date(2026, 6, 1, 19, 0, 0, 0, sp)
	assert.True(t, time.Date(2026, 6, 2, 14, 0, 0, 0, sp).Equal(p.Due(from, p.FirstContact)))
	// 80 % of 8 business hours = 6 h 24 min → 2 h today, 4 h 24 min tomorrow.
	assert.True(t, time.Date(2026, 6, 2, 12, 24, 0, 0, sp).Equal(p.RemindAt(from, p.FirstContact)))

	// Wall clock elsewhere.
	tb := SLAFor(Taobao, IssueLogisticsDelay, nil)
	from = time.Date(2026, 6, 1, 23, 0, 0, 0, time.UTC)
	assert.Equal(t, from.Add(24*time.Hour), tb.Due(from, tb.FirstContact))
	assert.Equal(t, from.Add(19*time.Hour+12*time.Minute), tb.RemindAt(from, tb.FirstContact))

	// A ratio out of range reminds at the deadline itself.
	tb.ReminderRatio = 0
	assert.Equal(t, from.Add(3*time.Hour), tb.RemindAt(from, tb.Solution))
}

func TestSLADeadline(t *testing.T) {
	p := SLAFor(EBay, IssueDamagedOrLost, nil)
	from := time.Date(2026, 6, 1, 10, 0, 0, 0, time.UTC)
	for _, k := range []DeadlineKind{DeadlineFirstContact, DeadlineSolution, DeadlinePublicReply, DeadlineAppeal, DeadlineResolution, DeadlineReship} {
		d := p.Deadline(k, from)
		assert.Equal(t, k, d.Kind)
		assert.Equal(t, DeadlinePending, d.Status)
		assert.Equal(t, from.Add(p.Duration(k)), d.DueAt, k)
		assert.True(t, d.RemindAt.After(from) && d.RemindAt.Before(d.DueAt), k)
	}
	assert.Equal(t, 48*time.Hour, p.Duration(DeadlineReship))
	assert.Equal(t, time.Duration(0), p.Duration(DeadlineKind("bogus")))
}
