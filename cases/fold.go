package cases

import (
	"encoding/json"
	"fmt"
	"sort"
	"time"
)

// State is a case as its events make it: the case index row, its tasks,
// deadlines and incidents, and the conversation. It is the one definition of
// a case; the workflow, its Query and the store all obtain it the same way,
// by folding the case's events in sequence with Apply.
type State struct {
	Case         Case           `json:"case"`
	Tasks        []Task         `json:"tasks"`
	Deadlines    []Deadline     `json:"deadlines"`
	Incidents    []Incident     `json:"incidents"`
	Messages     []Message      `json:"messages"`
	PublicReply  *Message       `json:"public_reply,omitempty"`
	BuyerReplies []BuyerMessage `json:"buyer_replies"`
	Notes        []Note         `json:"notes"`
	// Seq is the sequence number of the last event folded in.
	Seq int64 `json:"seq"`
}

// Message is a private message or public reply the case sent.
type Message struct {
	Kind   string    `json:"kind"` // first_contact, remedy_offer, follow_up, public_reply
	Text   string    `json:"text"`
	At     time.Time `json:"at"`
	By     string    `json:"by"`
	Ref    string    `json:"ref,omitempty"` // the platform's id
	Manual bool      `json:"manual,omitempty"`
}

// BuyerMessage is a message from the buyer.
type BuyerMessage struct {
	MessageID string    `json:"message_id"`
	Text      string    `json:"text"`
	At        time.Time `json:"at"`
	Source    string    `json:"source"`
	Actor     Actor     `json:"actor"`
}

// Note is a person's note on the case.
type Note struct {
	NoteID string    `json:"note_id"`
	Text   string    `json:"text"`
	At     time.Time `json:"at"`
	Actor  Actor     `json:"actor"`
}

// Typed event payloads: what each event carries for the fold. Field names
// are the JSON keys recorded since the first version; the fold reads older
// events that lack the later fields as well as it can (see Apply).

// CaseOpenedData opens a case: the review itself, so that case_events alone
// rebuild the case.
type CaseOpenedData struct {
	Review       *Review   `json:"review,omitempty"`
	WorkflowID   string    `json:"workflow_id,omitempty"`
	ReviewDigest string    `json:"review_digest,omitempty"`
	ReviewID     string    `json:"review_id,omitempty"`
	OrderID      string    `json:"order_id,omitempty"`
	Rating       int       `json:"rating,omitempty"`
	ReceivedAt   time.Time `json:"received_at,omitempty"`
}

type ClassifiedData struct {
	Issue    Issue    `json:"issue"`
	Severity Severity `json:"severity"`
	Language string   `json:"language"`
}

type ReclassifiedData struct {
	From   Issue  `json:"from"`
	To     Issue  `json:"to"`
	Reason string `json:"reason"`
}

type StageChangedData struct {
	From Stage `json:"from"`
	To   Stage `json:"to"`
}

type EvidenceGatheredData struct {
	Courier string `json:"courier"`
}

type MessageSentData struct {
	Kind   string `json:"kind"`
	Text   string `json:"text,omitempty"`
	Ref    string `json:"ref,omitempty"`
	Manual bool   `json:"manual,omitempty"`
	// OutsideRedress: the agent reached the buyer outside Redress.
	OutsideRedress bool `json:"outside_redress,omitempty"`
}

type PublicReplyData struct {
	Posted         bool   `json:"posted"`
	Text           string `json:"text,omitempty"`
	Ref            string `json:"ref,omitempty"`
	SeenOnPlatform bool   `json:"seen_on_platform,omitempty"`
	Reason         string `json:"reason,omitempty"`
}

type BuyerRepliedData struct {
	MessageID string    `json:"message_id"`
	Text      string    `json:"text,omitempty"`
	Source    string    `json:"source"`
	At        time.Time `json:"at"`
}

type NoteAddedData struct {
	NoteID string `json:"note_id"`
	Text   string `json:"text"`
}

// TaskCreatedData carries the whole task (since issue 11); older events
// carry only its id, kind and role.
type TaskCreatedData struct {
	Task   *Task    `json:"task,omitempty"`
	TaskID string   `json:"task_id"`
	Kind   TaskKind `json:"kind"`
	Role   Role     `json:"role"`
}

type TaskChangedData struct {
	TaskID   string          `json:"task_id"`
	Assignee string          `json:"assignee,omitempty"`
	Result   json.RawMessage `json:"result,omitempty"`
	Reason   string          `json:"reason,omitempty"`
}

type DeadlineData struct {
	Kind          DeadlineKind `json:"kind"`
	StartedAt     time.Time    `json:"started_at,omitempty"`
	DueAt         time.Time    `json:"due_at,omitempty"`
	RemindAt      time.Time    `json:"remind_at,omitempty"`
	LateBySeconds int64        `json:"late_by_seconds,omitempty"`
	Reason        string       `json:"reason,omitempty"`
}

type VerifiedData struct {
	Responsibility Responsibility `json:"responsibility"`
}

type RemedyData struct {
	Type RemedyType `json:"type"`
	Cost Money      `json:"cost"`
}

// IncidentData carries the incident as it stands after the event (since
// issue 11); older events carry its id and a few fields.
type IncidentData struct {
	Incident   *Incident      `json:"incident,omitempty"`
	IncidentID string         `json:"incident_id"`
	Call       string         `json:"call,omitempty"`
	ErrorClass ErrorClass     `json:"error_class,omitempty"`
	Message    string         `json:"message,omitempty"`
	Attempts   int            `json:"attempts,omitempty"`
	Status     IncidentStatus `json:"status,omitempty"`
	Action     string         `json:"action,omitempty"`
	Reason     string         `json:"reason,omitempty"`
}

type ReviewChangedData struct {
	Review       *Review `json:"review,omitempty"`
	ReviewDigest string  `json:"review_digest,omitempty"`
}

type CaseClosedData struct {
	Outcome Outcome `json:"outcome"`
	Reason  string  `json:"reason"`
}

// EventDeadlineCancelled: a pending deadline the case's path no longer needs.
const EventDeadlineCancelled EventType = "deadline_cancelled"

// NewEvent builds an event with a typed payload.
func NewEvent(caseID string, seq int64, t EventType, actor Actor, at time.Time, data any) Event {
	raw, err := json.Marshal(data)
	if err != nil || data == nil || string(raw) == "null" {
		raw = json.RawMessage(`{}`)
	}
	return Event{CaseID: caseID, Seq: seq, Type: t, Actor: actor.ID, Role: actor.Role, At: at, Data: raw}
}

// Fold folds events (in sequence order) into a fresh state.
func Fold(events []Event) (State, error) {
	var s State
	for _, e := range events {
		if err := s.Apply(e); err != nil {
			return s, err
		}
	}
	return s, nil
}

// FoldUntil folds the events that happened at or before t: the case as it
// stood then.
func FoldUntil(events []Event, t time.Time) (State, error) {
	var s State
	for _, e := range events {
		if e.At.After(t) {
			break
		}
		if err := s.Apply(e); err != nil {
			return s, err
		}
	}
	return s, nil
}

// Apply folds one event into the state. It is pure: the result depends only
// on the state and the event. An event at or below the state's Seq was
// already applied and is ignored, so applying a batch twice is harmless.
func (s *State) Apply(e Event) error {
	if e.Seq != 0 && e.Seq <= s.Seq {
		return nil
	}
	s.init()
	if err := s.apply(e); err != nil {
		return fmt.Errorf("event %d (%s) of case %s: %w", e.Seq, e.Type, e.CaseID, err)
	}
	if e.Seq != 0 {
		s.Seq = e.Seq
	}
	s.derive(e)
	return nil
}

func (s *State) init() {
	if s.Tasks == nil {
		s.Tasks = []Task{}
	}
	if s.Deadlines == nil {
		s.Deadlines = []Deadline{}
	}
	if s.Incidents == nil {
		s.Incidents = []Incident{}
	}
	if s.Messages == nil {
		s.Messages = []Message{}
	}
	if s.BuyerReplies == nil {
		s.BuyerReplies = []BuyerMessage{}
	}
	if s.Notes == nil {
		s.Notes = []Note{}
	}
}

func decode[T any](e Event) (T, error) {
	var v T
	if len(e.Data) == 0 {
		return v, nil
	}
	err := json.Unmarshal(e.Data, &v)
	return v, err
}

func (s *State) apply(e Event) error {
	c := &s.Case
	actor := Actor{ID: e.Actor, Role: e.Role}
	switch e.Type {
	case EventCaseOpened:
		d, err := decode[CaseOpenedData](e)
		if err != nil {
			return err
		}
		s.open(e, d)
	case EventClassified:
		d, err := decode[ClassifiedData](e)
		if err != nil {
			return err
		}
		c.Issue, c.Severity, c.Language = d.Issue, d.Severity, d.Language
	case EventReclassified:
		d, err := decode[ReclassifiedData](e)
		if err != nil {
			return err
		}
		c.Issue = d.To
	case EventStageChanged:
		d, err := decode[StageChangedData](e)
		if err != nil {
			return err
		}
		c.Stage = d.To
	case EventEvidenceGathered:
		d, err := decode[EvidenceGatheredData](e)
		if err != nil {
			return err
		}
		c.Courier = d.Courier
	case EventMessageSent:
		d, err := decode[MessageSentData](e)
		if err != nil {
			return err
		}
		s.Messages = append(s.Messages, Message{Kind: d.Kind, Text: d.Text, At: e.At, By: e.Actor, Ref: d.Ref,
			Manual: d.Manual || d.OutsideRedress})
		if d.Kind == "first_contact" && c.FirstContactAt == nil {
			c.FirstContactAt = timeRef(e.At)
		}
	case EventPublicReplyPosted:
		d, err := decode[PublicReplyData](e)
		if err != nil {
			return err
		}
		if d.Posted && s.PublicReply == nil {
			m := Message{Kind: "public_reply", Text: d.Text, At: e.At, By: e.Actor, Ref: d.Ref}
			if d.SeenOnPlatform {
				m.By, m.Manual = "platform", true
			}
			s.PublicReply = &m
		}
	case EventBuyerReplied:
		d, err := decode[BuyerRepliedData](e)
		if err != nil {
			return err
		}
		at := d.At
		if at.IsZero() {
			at = e.At
		}
		s.BuyerReplies = append(s.BuyerReplies, BuyerMessage{MessageID: d.MessageID, Text: d.Text, At: at, Source: d.Source, Actor: actor})
	case EventNoteAdded:
		d, err := decode[NoteAddedData](e)
		if err != nil {
			return err
		}
		s.Notes = append(s.Notes, Note{NoteID: d.NoteID, Text: d.Text, At: e.At, Actor: actor})
	case EventTaskCreated, EventTaskClaimed, EventTaskUnclaimed, EventTaskAssigned, EventTaskCompleted, EventTaskCancelled:
		return s.applyTask(e)
	case EventDeadlineSet, EventDeadlineReminder, EventDeadlineMet, EventDeadlineBreached, EventDeadlineCancelled:
		return s.applyDeadline(e)
	case EventVerified:
		d, err := decode[VerifiedData](e)
		if err != nil {
			return err
		}
		c.Responsibility = d.Responsibility
	case EventRemedyChosen:
		d, err := decode[RemedyData](e)
		if err != nil {
			return err
		}
		c.Remedy, c.RemedyCost = d.Type, d.Cost
	case EventRemedyRejected:
		c.Remedy, c.RemedyCost = "", 0
	case EventRemedyCompleted:
		c.ResolvedAt = timeRef(e.At)
	case EventIncidentOpened, EventIncidentResolved:
		return s.applyIncident(e)
	case EventReviewChanged:
		d, err := decode[ReviewChangedData](e)
		if err != nil {
			return err
		}
		if d.Review != nil {
			c.Rating, c.Text = d.Review.Rating, d.Review.Text
			if sev, negative := SeverityOf(d.Review.Rating); negative && !d.Review.Removed {
				c.Severity = sev
			}
		}
		if d.ReviewDigest != "" {
			c.ReviewDigest = d.ReviewDigest
		}
	case EventCaseClosed:
		d, err := decode[CaseClosedData](e)
		if err != nil {
			return err
		}
		c.Outcome, c.Status, c.ClosedAt = d.Outcome, StatusClosed, timeRef(e.At)
		if c.ResolvedAt == nil {
			c.ResolvedAt = timeRef(e.At)
		}
	}
	// seller_alerted, escalated, remedy_approved, remedy_step_*,
	// remedy_compensated, appeal_*, follow_up_sent, review_checked,
	// message_blocked: on the record, no change to the state.
	return nil
}

func (s *State) open(e Event, d CaseOpenedData) {
	c := &s.Case
	c.ID = e.CaseID
	c.WorkflowID = d.WorkflowID
	if c.WorkflowID == "" {
		c.WorkflowID = WorkflowIDFor(e.CaseID)
	}
	if rv := d.Review; rv != nil {
		c.Marketplace, c.ShopID, c.ReviewID, c.OrderID, c.ItemID = rv.Marketplace, rv.ShopID, rv.ReviewID, rv.OrderID, rv.ItemID
		c.BuyerID, c.BuyerName, c.Rating, c.Text, c.Language = rv.Buyer.ID, rv.Buyer.Name, rv.Rating, rv.Text, rv.Language
		c.OrderAmount, c.ShippingFee, c.Currency, c.ReviewCreatedAt = rv.OrderAmount, rv.ShippingFee, rv.Currency, rv.CreatedAt
		c.Severity, _ = SeverityOf(rv.Rating)
	} else {
		c.ReviewID, c.OrderID, c.Rating = d.ReviewID, d.OrderID, d.Rating
	}
	c.ReviewDigest = d.ReviewDigest
	c.Stage, c.Status, c.OpenedAt = StageIntake, StatusOpen, e.At
}

func (s *State) applyTask(e Event) error {
	if e.Type == EventTaskCreated {
		d, err := decode[TaskCreatedData](e)
		if err != nil {
			return err
		}
		t := Task{ID: d.TaskID, Kind: d.Kind, Role: d.Role, Status: TaskOpen, Input: json.RawMessage(`{}`)}
		if d.Task != nil {
			t = *d.Task
		}
		t.CaseID, t.WorkflowID = s.Case.ID, s.Case.WorkflowID
		t.Marketplace, t.ShopID = s.Case.Marketplace, s.Case.ShopID
		t.CreatedAt, t.UpdatedAt, t.Version = e.At, e.At, e.Seq
		if i := s.taskIndex(t.ID); i >= 0 {
			s.Tasks[i] = t
		} else {
			s.Tasks = append(s.Tasks, t)
		}
		return nil
	}
	d, err := decode[TaskChangedData](e)
	if err != nil {
		return err
	}
	i := s.taskIndex(d.TaskID)
	if i < 0 {
		return fmt.Errorf("unknown task %q", d.TaskID)
	}
	t := &s.Tasks[i]
	switch e.Type {
	case EventTaskClaimed:
		t.Status, t.Assignee = TaskClaimed, e.Actor
	case EventTaskUnclaimed:
		t.Status, t.Assignee = TaskOpen, ""
	case EventTaskAssigned:
		t.Status, t.Assignee = TaskClaimed, d.Assignee
	case EventTaskCompleted:
		t.Status, t.CompletedAt, t.CompletedBy = TaskCompleted, timeRef(e.At), e.Actor
		if len(d.Result) > 0 {
			t.Result = d.Result
		}
		if t.Assignee == "" {
			t.Assignee = e.Actor
		}
	case EventTaskCancelled:
		if !t.Live() {
			return nil
		}
		t.Status = TaskCancelled
	}
	t.UpdatedAt, t.Version = e.At, e.Seq
	return nil
}

func (s *State) applyDeadline(e Event) error {
	d, err := decode[DeadlineData](e)
	if err != nil {
		return err
	}
	if e.Type == EventDeadlineSet {
		if s.Deadline(d.Kind) != nil {
			return nil // a deadline is set once; a later path never resets its clock
		}
		s.Deadlines = append(s.Deadlines, Deadline{Kind: d.Kind, StartedAt: d.StartedAt, DueAt: d.DueAt,
			RemindAt: d.RemindAt, Status: DeadlinePending})
		return nil
	}
	dl := s.Deadline(d.Kind)
	if dl == nil {
		return fmt.Errorf("unknown deadline %q", d.Kind)
	}
	switch e.Type {
	case EventDeadlineReminder:
		dl.Reminded = true
		s.raisePriority(PriorityHigh, e)
	case EventDeadlineBreached:
		dl.Status, dl.BreachedAt, dl.LateBySeconds = DeadlineBreached, timeRef(e.At), LateBy(dl.DueAt, e.At)
		s.Case.Breached = true
		s.raisePriority(PriorityUrgent, e)
	case EventDeadlineMet:
		if dl.MetAt != nil || dl.Status == DeadlineCancelled {
			return nil
		}
		dl.MetAt, dl.LateBySeconds = timeRef(e.At), LateBy(dl.DueAt, e.At)
		if dl.Status == DeadlinePending {
			dl.Status = DeadlineMet
		}
	case EventDeadlineCancelled:
		if dl.Status == DeadlinePending {
			dl.Status = DeadlineCancelled
		}
	}
	return nil
}

// raisePriority lifts every live task to at least p (a reminder or a breach).
func (s *State) raisePriority(p Priority, e Event) {
	for i := range s.Tasks {
		t := &s.Tasks[i]
		if t.Live() && t.Priority < p {
			t.Priority, t.UpdatedAt, t.Version = p, e.At, e.Seq
		}
	}
}

func (s *State) applyIncident(e Event) error {
	d, err := decode[IncidentData](e)
	if err != nil {
		return err
	}
	var inc Incident
	if d.Incident != nil {
		inc = *d.Incident
	} else if i := s.incidentIndex(d.IncidentID); i >= 0 {
		inc = s.Incidents[i]
		switch {
		case e.Type == EventIncidentOpened:
			inc.Status, inc.ResolvedAt = IncidentOpen, nil
		case d.Status != "":
			inc.Status, inc.ResolvedAt = d.Status, timeRef(e.At)
		case d.Action == "skip":
			inc.Status, inc.ResolvedAt, inc.Resolution, inc.ResolvedBy = IncidentSkipped, timeRef(e.At), d.Reason, e.Actor
		default:
			inc.Status, inc.Resolution, inc.ResolvedBy = IncidentRetrying, d.Reason, e.Actor
		}
	} else {
		inc = Incident{ID: d.IncidentID, Status: IncidentOpen, CreatedAt: e.At, Params: json.RawMessage(`{}`)}
	}
	if e.Type == EventIncidentOpened && d.Incident == nil {
		inc.Call, inc.ErrorClass, inc.Message, inc.Attempts = d.Call, d.ErrorClass, d.Message, d.Attempts
	}
	inc.CaseID, inc.WorkflowID = s.Case.ID, s.Case.WorkflowID
	inc.Marketplace, inc.ShopID = s.Case.Marketplace, s.Case.ShopID
	inc.UpdatedAt, inc.Version = e.At, e.Seq
	if i := s.incidentIndex(inc.ID); i >= 0 {
		s.Incidents[i] = inc
	} else {
		s.Incidents = append(s.Incidents, inc)
	}
	return nil
}

// derive keeps the case row's summary fields — next deadline, assignee,
// version — in step with the rest of the state.
func (s *State) derive(e Event) {
	c := &s.Case
	c.NextDeadline, c.NextDeadlineAt = "", nil
	if dl := s.NextDeadline(); dl != nil {
		due := dl.DueAt
		c.NextDeadline, c.NextDeadlineAt = dl.Kind, &due
	}
	c.Assignee = ""
	for _, t := range s.Tasks {
		if t.Status == TaskClaimed {
			c.Assignee = t.Assignee
		}
	}
	c.Version, c.UpdatedAt = s.Seq, e.At
}

// NextDeadline is the pending deadline due soonest (nil when none is pending).
func (s *State) NextDeadline() *Deadline {
	var next *Deadline
	for i := range s.Deadlines {
		d := &s.Deadlines[i]
		if d.Status == DeadlinePending && (next == nil || d.DueAt.Before(next.DueAt)) {
			next = d
		}
	}
	return next
}

// Deadline returns the deadline of a kind, or nil.
func (s *State) Deadline(k DeadlineKind) *Deadline {
	for i := range s.Deadlines {
		if s.Deadlines[i].Kind == k {
			return &s.Deadlines[i]
		}
	}
	return nil
}

// Task returns the task with an id, or nil.
func (s *State) Task(id string) *Task {
	if i := s.taskIndex(id); i >= 0 {
		return &s.Tasks[i]
	}
	return nil
}

// Incident returns the incident with an id, or nil.
func (s *State) Incident(id string) *Incident {
	if i := s.incidentIndex(id); i >= 0 {
		return &s.Incidents[i]
	}
	return nil
}

func (s *State) taskIndex(id string) int {
	for i := range s.Tasks {
		if s.Tasks[i].ID == id {
			return i
		}
	}
	return -1
}

func (s *State) incidentIndex(id string) int {
	for i := range s.Incidents {
		if s.Incidents[i].ID == id {
			return i
		}
	}
	return -1
}

// Live reports whether a task still waits for a person.
func (t *Task) Live() bool { return t.Status == TaskOpen || t.Status == TaskClaimed }

// LateBy is how many whole seconds after due a thing happened at (0 if on time).
func LateBy(due, at time.Time) int64 {
	if !at.After(due) {
		return 0
	}
	return int64(at.Sub(due) / time.Second)
}

// TimeToBreach is how long until a pending due time passes at now (negative
// once it has); nil when there is none.
func TimeToBreach(due *time.Time, now time.Time) *Duration {
	if due == nil {
		return nil
	}
	d := Duration(due.Sub(now))
	return &d
}

// Duration is a time.Duration that reads and writes JSON as a Go duration
// string ("1h30m0s").
type Duration time.Duration

func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(time.Duration(d).String()) }

func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	v, err := time.ParseDuration(s)
	*d = Duration(v)
	return err
}

// SortDeadlines orders deadlines soonest due first (kind breaks ties).
func SortDeadlines(ds []Deadline) {
	sort.SliceStable(ds, func(i, j int) bool {
		if !ds[i].DueAt.Equal(ds[j].DueAt) {
			return ds[i].DueAt.Before(ds[j].DueAt)
		}
		return ds[i].Kind < ds[j].Kind
	})
}

func timeRef(t time.Time) *time.Time { return &t }

// SetTimeToBreach sets, as of now, how long the open case has until its next
// deadline and each live task until it is due.
func (s *State) SetTimeToBreach(now time.Time) {
	s.Case.SetTimeToBreach(now)
	for i := range s.Tasks {
		s.Tasks[i].SetTimeToBreach(now)
	}
}

// SetTimeToBreach sets how long the open case has until its next deadline.
func (c *Case) SetTimeToBreach(now time.Time) {
	c.TimeToBreach = nil
	if c.Status == StatusOpen {
		c.TimeToBreach = TimeToBreach(c.NextDeadlineAt, now)
	}
}

// SetTimeToBreach sets how long a live task has until it is due.
func (t *Task) SetTimeToBreach(now time.Time) {
	t.TimeToBreach = nil
	if t.Live() {
		t.TimeToBreach = TimeToBreach(t.DueAt, now)
	}
}
