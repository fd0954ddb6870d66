package cases

import "time"

// SLAPolicy holds the playbook's deadlines for one case.
type SLAPolicy struct {
	FirstContact time.Duration // after the review: 24 h (Mercado Libre: 12 h, 8 h for quality)
	Solution     time.Duration // after the buyer's reply: 3 h
	// NoReplyAfter: after the first contact, with no reply, private contact is
	// deemed failed. 12 h, so that with the 24 h public-reply deadline that
	// follows, an unanswered review is answered in public within about a day
	// and a half: the seed says unhandled bad reviews must not sit visible
	// for long, and half a day covers a buyer in another part of their day.
	NoReplyAfter  time.Duration
	PublicReply   time.Duration  // after private contact failed: 24 h
	Appeal        time.Duration  // after the review: 24 h
	Resolution    time.Duration  // handling finished after the review: 12 h; 8 h for quality
	Reship        time.Duration  // reship dispatched after the remedy is chosen: 48 h
	ReminderRatio float64        // a reminder fires at this share of each deadline: 0.8
	BusinessHours *BusinessHours // nil = wall-clock hours; Mercado Libre counts 08:00–21:00 in the shop's zone
}

// DefaultReminderRatio: remind at 80 % of every deadline.
const DefaultReminderRatio = 0.8

// SLAFor returns the policy for a marketplace and issue in the shop's time
// zone (nil loc = UTC). Sources: the Taobao seed (24 h contact, 3 h solution,
// 24 h public reply, 48 h reship) and the Mercado Libre seed's table
// (12 h; 8 h for quality problems; 24 h for malicious reviews), counted in
// Mercado Libre's business hours. On Mercado Libre every duration of the
// policy counts business hours, the reship's 48 h included, so the seller is
// never due to act at night; callers wanting wall-clock time for one kind
// use time.Add themselves.
func SLAFor(m Marketplace, issue Issue, loc *time.Location) SLAPolicy {
	if loc == nil {
		loc = time.UTC
	}
	resolution := 12 * time.Hour
	if issue == IssueQuality {
		resolution = 8 * time.Hour
	}
	p := SLAPolicy{
		FirstContact:  24 * time.Hour,
		Solution:      3 * time.Hour,
		NoReplyAfter:  12 * time.Hour,
		PublicReply:   24 * time.Hour,
		Appeal:        24 * time.Hour,
		Resolution:    resolution,
		Reship:        48 * time.Hour,
		ReminderRatio: DefaultReminderRatio,
	}
	if m == MercadoLibre {
		p.FirstContact = resolution
		bh := MercadoLibreHours(loc)
		p.BusinessHours = &bh
	}
	return p
}

// Duration returns the policy's duration for a deadline kind (0 if unknown).
func (p SLAPolicy) Duration(k DeadlineKind) time.Duration {
	switch k {
	case DeadlineFirstContact:
		return p.FirstContact
	case DeadlineSolution:
		return p.Solution
	case DeadlinePublicReply:
		return p.PublicReply
	case DeadlineAppeal:
		return p.Appeal
	case DeadlineResolution:
		return p.Resolution
	case DeadlineReship:
		return p.Reship
	}
	return 0
}

// Due adds d to from, counting only business hours when the policy has them.
func (p SLAPolicy) Due(from time.Time, d time.Duration) time.Time {
	if p.BusinessHours == nil {
		return from.Add(d)
	}
	return AddBusinessDuration(from, d, *p.BusinessHours)
}

// RemindAt is the moment ReminderRatio of the way from 'from' to the
// deadline, in business time when the policy has business hours. A ratio
// outside (0, 1) reminds at the deadline itself.
func (p SLAPolicy) RemindAt(from time.Time, d time.Duration) time.Time {
	ratio := p.ReminderRatio
	if ratio <= 0 || ratio >= 1 {
		ratio = 1
	}
	return p.Due(from, time.Duration(float64(d)*ratio))
}

// Deadline returns a pending deadline of kind k started at from.
func (p SLAPolicy) Deadline(k DeadlineKind, from time.Time) Deadline {
	d := p.Duration(k)
	return Deadline{Kind: k, StartedAt: from, DueAt: p.Due(from, d), RemindAt: p.RemindAt(from, d), Status: DeadlinePending}
}

// WithOverrides returns the policy with a shop's own durations for some
// deadline kinds (issue 12); kinds it does not name, and durations that are
// not positive, keep the platform's.
func (p SLAPolicy) WithOverrides(o map[DeadlineKind]time.Duration) SLAPolicy {
	for _, k := range DeadlineKinds {
		if d := o[k]; d > 0 {
			p.set(k, d)
		}
	}
	return p
}
