package cases

import (
	"fmt"
	"sort"
	"time"
)

// PolicyDoc is an SLA policy as data: rules per marketplace and issue that
// set deadline durations, the reminder ratio and a business-hours calendar.
// Rules apply in order over the playbook's own policy (SLAFor); a rule with
// no marketplace or issue matches every one.
type PolicyDoc struct {
	Rules []PolicyRule `json:"rules"`
}

// PolicyRule is one rule of a PolicyDoc.
type PolicyRule struct {
	Marketplace   Marketplace               `json:"marketplace,omitempty"`
	Issue         Issue                     `json:"issue,omitempty"`
	Durations     map[DeadlineKind]Duration `json:"durations,omitempty"`
	ReminderRatio float64                   `json:"reminder_ratio,omitempty"`
	// BusinessHours counts only these hours of the day ("none" clears a
	// calendar the platform's policy has).
	BusinessHours *HoursSpec `json:"business_hours,omitempty"`
}

// HoursSpec is a business-hours calendar: [Start, End) hours in TimeZone.
type HoursSpec struct {
	None     bool   `json:"none,omitempty"`
	Start    int    `json:"start"`
	End      int    `json:"end"`
	TimeZone string `json:"time_zone,omitempty"` // IANA name; UTC when empty
}

// Validate checks a policy document.
func (d PolicyDoc) Validate() error {
	for i, r := range d.Rules {
		if r.Marketplace != "" && !r.Marketplace.Valid() {
			return fmt.Errorf("rule %d: unknown marketplace %q", i, r.Marketplace)
		}
		if r.Issue != "" && !r.Issue.Valid() {
			return fmt.Errorf("rule %d: unknown issue %q", i, r.Issue)
		}
		for k, v := range r.Durations {
			if v <= 0 {
				return fmt.Errorf("rule %d: duration of %s must be positive", i, k)
			}
		}
		if r.ReminderRatio < 0 || r.ReminderRatio >= 1 {
			return fmt.Errorf("rule %d: reminder_ratio must be in [0, 1)", i)
		}
		if h := r.BusinessHours; h != nil && !h.None {
			if h.Start < 0 || h.End > 24 || h.Start >= h.End {
				return fmt.Errorf("rule %d: business hours must satisfy 0 <= start < end <= 24", i)
			}
			if _, err := time.LoadLocation(h.TimeZone); err != nil {
				return fmt.Errorf("rule %d: time zone %q: %w", i, h.TimeZone, err)
			}
		}
	}
	return nil
}

// For is the policy a case of marketplace m and issue gets under d.
func (d PolicyDoc) For(m Marketplace, issue Issue) SLAPolicy {
	p := SLAFor(m, issue, nil)
	for _, r := range d.Rules {
		if (r.Marketplace != "" && r.Marketplace != m) || (r.Issue != "" && r.Issue != issue) {
			continue
		}
		for k, v := range r.Durations {
			p.set(k, time.Duration(v))
		}
		if r.ReminderRatio > 0 {
			p.ReminderRatio = r.ReminderRatio
		}
		if h := r.BusinessHours; h != nil {
			if h.None {
				p.BusinessHours = nil
			} else {
				loc, err := time.LoadLocation(h.TimeZone)
				if err != nil {
					loc = time.UTC
				}
				p.BusinessHours = &BusinessHours{StartHour: h.Start, EndHour: h.End, Location: loc}
			}
		}
	}
	return p
}

func (p *SLAPolicy) set(k DeadlineKind, d time.Duration) {
	switch k {
	case DeadlineFirstContact:
		p.FirstContact = d
	case DeadlineSolution:
		p.Solution = d
	case DeadlinePublicReply:
		p.PublicReply = d
	case DeadlineAppeal:
		p.Appeal = d
	case DeadlineResolution:
		p.Resolution = d
	case DeadlineReship:
		p.Reship = d
	}
}

// DeadlineVerdict is how a deadline came out: met on time, breached (met late or
// never met before it came due), or neither (cancelled or still pending
// before it came due).
type DeadlineVerdict string

const (
	DeadlineVerdictMet      DeadlineVerdict = "met"
	DeadlineVerdictBreached DeadlineVerdict = "breached"
	DeadlineVerdictNone     DeadlineVerdict = "none"
)

// WhatIfRow compares, for one deadline kind on one marketplace, how the
// deadlines of past cases came out with how they would have under a
// proposed policy, each case's own events folded.
type WhatIfRow struct {
	Kind        DeadlineKind `json:"kind"`
	Marketplace Marketplace  `json:"marketplace"`
	Deadlines   int          `json:"deadlines"`
	Now         Tally        `json:"now"`
	Proposed    Tally        `json:"proposed"`
}

// Tally counts verdicts and how late the breached ones were.
type Tally struct {
	Met      int `json:"met"`
	Breached int `json:"breached"`
	// LateBySeconds is the total lateness of the breached deadlines that were
	// eventually met or closed; AvgLateBySeconds its mean over breaches.
	LateBySeconds    int64 `json:"late_by_seconds"`
	AvgLateBySeconds int64 `json:"avg_late_by_seconds"`
}

func (t *Tally) add(v DeadlineVerdict, late int64) {
	switch v {
	case DeadlineVerdictMet:
		t.Met++
	case DeadlineVerdictBreached:
		t.Breached++
		t.LateBySeconds += late
	}
}

// CaseHistory is one case's events in order, with its marketplace and issue
// as the index has them: cases opened before case_opened carried the review
// fold without them.
type CaseHistory struct {
	Marketplace Marketplace
	Issue       Issue
	Events      []Event
}

// WhatIf folds each case's events and reports, per deadline kind and
// marketplace, met and breached deadlines and lateness as they were and as
// they would have been under the proposed policy, as of now (a deadline
// still pending counts only once it has come due by now).
func WhatIf(histories []CaseHistory, proposal PolicyDoc, now time.Time) ([]WhatIfRow, error) {
	rows := map[[2]string]*WhatIfRow{}
	for _, h := range histories {
		events := h.Events
		st, err := Fold(events)
		if err != nil {
			return nil, err
		}
		if st.Case.Marketplace == "" {
			st.Case.Marketplace = h.Marketplace
		}
		if st.Case.Issue == "" {
			st.Case.Issue = h.Issue
		}
		cancelledAt := map[DeadlineKind]time.Time{}
		for _, e := range events {
			if e.Type == EventDeadlineCancelled {
				if d, err := decode[DeadlineData](e); err == nil {
					cancelledAt[d.Kind] = e.At
				}
			}
		}
		end := now
		if st.Case.ClosedAt != nil {
			end = *st.Case.ClosedAt
		}
		policy := proposal.For(st.Case.Marketplace, st.Case.Issue)
		for _, dl := range st.Deadlines {
			stop := end
			if at, ok := cancelledAt[dl.Kind]; ok {
				stop = at
			}
			nowV, nowLate := verdictOf(dl, dl.DueAt, stop)
			due := dl.DueAt
			if d := policy.Duration(dl.Kind); d > 0 {
				due = policy.Due(dl.StartedAt, d)
			}
			propV, propLate := verdictOf(dl, due, stop)
			if nowV == DeadlineVerdictNone && propV == DeadlineVerdictNone {
				continue
			}
			key := [2]string{string(dl.Kind), string(st.Case.Marketplace)}
			row := rows[key]
			if row == nil {
				row = &WhatIfRow{Kind: dl.Kind, Marketplace: st.Case.Marketplace}
				rows[key] = row
			}
			row.Deadlines++
			row.Now.add(nowV, nowLate)
			row.Proposed.add(propV, propLate)
		}
	}
	out := make([]WhatIfRow, 0, len(rows))
	for _, r := range rows {
		for _, t := range []*Tally{&r.Now, &r.Proposed} {
			if t.Breached > 0 {
				t.AvgLateBySeconds = t.LateBySeconds / int64(t.Breached)
			}
		}
		out = append(out, *r)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Kind != out[j].Kind {
			return out[i].Kind < out[j].Kind
		}
		return out[i].Marketplace < out[j].Marketplace
	})
	return out, nil
}

// verdictOf judges a deadline against a due time: met by MetAt, or — never
// met — breached once due passed before stop (close, cancellation or now).
func verdictOf(dl Deadline, due, stop time.Time) (DeadlineVerdict, int64) {
	if dl.MetAt != nil {
		if dl.MetAt.After(due) {
			return DeadlineVerdictBreached, LateBy(due, *dl.MetAt)
		}
		return DeadlineVerdictMet, 0
	}
	if due.Before(stop) {
		return DeadlineVerdictBreached, LateBy(due, stop)
	}
	return DeadlineVerdictNone, 0
}
