package cases

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestWhatIfComparesNowWithTheProposal(t *testing.T) {
	var doc PolicyDoc
	require.NoError(t, json.Unmarshal([]byte(`{"rules": [
		{"marketplace": "ebay", "durations": {"first_contact": "4h", "resolution": "12h"}, "reminder_ratio": 0.5},
		{"issue": "quality", "business_hours": {"start": 9, "end": 18, "time_zone": "America/Sao_Paulo"}}
	]}`), &doc))
	require.NoError(t, doc.Validate())
	p := doc.For(EBay, IssueQuality)
	require.Equal(t, 4*time.Hour, p.FirstContact)
	require.Equal(t, 12*time.Hour, p.Resolution)
	require.Equal(t, 3*time.Hour, p.Solution, "what no rule sets stays the playbook's")
	require.Equal(t, 0.5, p.ReminderRatio)
	require.NotNil(t, p.BusinessHours)
	require.Equal(t, 24*time.Hour, doc.For(Amazon, IssueLogisticsDelay).FirstContact)

	// Without business hours, to keep the arithmetic plain.
	doc.Rules = doc.Rules[:1]
	rows, err := WhatIf([]CaseHistory{{Events: foldScript()}}, doc, foldStart.Add(48*time.Hour))
	require.NoError(t, err)
	require.Len(t, rows, 2)
	fc, res := rows[0], rows[1]
	require.Equal(t, DeadlineFirstContact, fc.Kind)
	require.Equal(t, EBay, fc.Marketplace)
	require.Equal(t, Tally{Met: 1}, fc.Now, "met at 500 min of 600")
	require.Equal(t, 1, fc.Proposed.Breached, "4 h: met 260 min late")
	require.Equal(t, int64(260*60), fc.Proposed.LateBySeconds)

	require.Equal(t, DeadlineResolution, res.Kind)
	require.Equal(t, 1, res.Now.Breached, "due at 480 min, never met, closed at 520")
	require.Equal(t, int64(40*60), res.Now.AvgLateBySeconds)
	require.Equal(t, Tally{}, res.Proposed, "12 h: not yet due when the case closed")
}

// A case opened before case_opened carried the review folds without its
// marketplace: the index's identity stands in.
func TestWhatIfOlderCasesTakeTheirIdentityFromTheIndex(t *testing.T) {
	events := foldScript()
	events[0] = NewEvent("c1", 1, EventCaseOpened, SystemActor, foldStart, CaseOpenedData{ReviewID: "r1"})
	rows, err := WhatIf([]CaseHistory{{Marketplace: EBay, Issue: IssueQuality, Events: events}}, PolicyDoc{}, foldStart.Add(48*time.Hour))
	require.NoError(t, err)
	require.NotEmpty(t, rows)
	for _, r := range rows {
		require.Equal(t, EBay, r.Marketplace)
	}
}

func TestPolicyDocValidate(t *testing.T) {
	for _, bad := range []string{
		`{"rules": [{"marketplace": "etsy"}]}`,
		`{"rules": [{"issue": "rudeness"}]}`,
		`{"rules": [{"reminder_ratio": 1.5}]}`,
		`{"rules": [{"business_hours": {"start": 18, "end": 9}}]}`,
		`{"rules": [{"business_hours": {"start": 8, "end": 18, "time_zone": "Mars/Olympus"}}]}`,
	} {
		var d PolicyDoc
		require.NoError(t, json.Unmarshal([]byte(bad), &d), bad)
		require.Error(t, d.Validate(), bad)
	}
}
