package store

import (
	"bytes"
	"context"
	"crypto/cipher"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/jmoiron/sqlx"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/internal/keyring"
)

// Sealed values: "rdx1:<buyer key id>:<base64 nonce||ciphertext>", bound to
// their case (the case id is the additional data). In JSON objects (event
// data, task input and result) the personal members move into
// "_personal" (sealed) and "_personal_fields" (their names and kinds), and
// the members every reader needs stay in clear (clearMembers).
const (
	sealedPrefix   = "rdx1:"
	personalMember = "_personal"
	fieldsMember   = "_personal_fields"
	// Erased is what a personal text reads as once its buyer was erased.
	Erased = "[erased]"
)

// clearMembers are event data members that never hold personal data: ids,
// kinds, stages, times, amounts. Everything else is sealed, so a member
// added later is private until it is listed here.
var clearMembers = map[string]bool{
	"kind": true, "from": true, "to": true, "issue": true, "severity": true, "language": true,
	"courier": true, "ref": true, "manual": true, "outside_redress": true, "posted": true,
	"seen_on_platform": true, "message_id": true, "source": true, "at": true, "note_id": true,
	"task_id": true, "role": true, "assignee": true, "started_at": true, "due_at": true,
	"remind_at": true, "late_by_seconds": true, "responsibility": true, "type": true, "cost": true,
	"incident_id": true, "call": true, "error_class": true, "attempts": true, "status": true,
	"workflow_id": true, "review_digest": true, "review_id": true, "order_id": true, "rating": true,
	"received_at": true, "outcome": true, "remedy": true, "step": true, "amount": true,
	"currency": true, "breached": true, "prior_contact": true, "version": true,
}

// sealer seals with one buyer's data key.
type sealer struct {
	keyID string
	aead  cipher.AEAD
}

func (k *sealer) seal(plain []byte, caseID string) string {
	box := keyring.SealWith(k.aead, plain, []byte(caseID))
	return sealedPrefix + k.keyID + ":" + base64.StdEncoding.EncodeToString(box)
}

func (k *sealer) sealString(s, caseID string) string {
	if k == nil || s == "" || strings.HasPrefix(s, sealedPrefix) {
		return s
	}
	return k.seal([]byte(s), caseID)
}

// sealObject moves the personal members of a JSON object into a sealed box;
// keep says which members stay in clear (nil: none).
func (k *sealer) sealObject(raw json.RawMessage, caseID string, keep map[string]bool) (json.RawMessage, error) {
	if k == nil || len(raw) == 0 || raw[0] != '{' {
		return raw, nil
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, invalid("case %s: data is not a JSON object: %v", caseID, err)
	}
	if _, done := m[personalMember]; done {
		return raw, nil
	}
	personal := map[string]json.RawMessage{}
	fields := map[string]string{}
	for name, v := range m {
		if keep[name] || isEmptyJSON(v) {
			continue
		}
		personal[name] = v
		fields[name] = "value"
		if v[0] == '"' {
			fields[name] = "text"
		}
		delete(m, name)
	}
	if len(personal) == 0 {
		return raw, nil
	}
	plain, _ := json.Marshal(personal)
	m[personalMember], _ = json.Marshal(k.seal(plain, caseID))
	m[fieldsMember], _ = json.Marshal(fields)
	return json.Marshal(m)
}

// sealCase seals the case row's personal columns.
func (k *sealer) sealCase(c cases.Case) cases.Case {
	c.BuyerName = k.sealString(c.BuyerName, c.ID)
	c.Text = k.sealString(c.Text, c.ID)
	return c
}

// sealEvents seals the personal members of each event's data.
func (k *sealer) sealEvents(events []cases.Event) ([]cases.Event, error) {
	if k == nil {
		return events, nil
	}
	out := make([]cases.Event, len(events))
	for i, e := range events {
		d, err := k.sealObject(e.Data, e.CaseID, clearMembers)
		if err != nil {
			return nil, err
		}
		e.Data = d
		out[i] = e
	}
	return out, nil
}

// sealTasks seals tasks' input and result whole: drafts quote the buyer.
func (k *sealer) sealTasks(tasks []cases.Task) ([]cases.Task, error) {
	if k == nil {
		return tasks, nil
	}
	out := make([]cases.Task, len(tasks))
	for i, t := range tasks {
		var err error
		if t.Input, err = k.sealObject(t.Input, t.CaseID, nil); err != nil {
			return nil, err
		}
		if t.Result, err = k.sealObject(t.Result, t.CaseID, nil); err != nil {
			return nil, err
		}
		out[i] = t
	}
	return out, nil
}

// sealFold seals a case's whole fold (it holds the texts and messages).
func (k *sealer) sealFold(raw []byte, caseID string) []byte {
	if k == nil {
		return raw
	}
	out, _ := json.Marshal(map[string]string{personalMember: k.seal(raw, caseID)})
	return out
}

// openString opens a sealed value; one of an erased buyer reads as Erased.
func (o *opener) openString(ctx context.Context, s, caseID string) (string, error) {
	if !strings.HasPrefix(s, sealedPrefix) {
		return s, nil
	}
	plain, erased, err := o.open(ctx, s, caseID)
	if err != nil || erased {
		return Erased, err
	}
	return string(plain), nil
}

func (o *opener) open(ctx context.Context, s, caseID string) (plain []byte, erased bool, err error) {
	id, b64, ok := strings.Cut(strings.TrimPrefix(s, sealedPrefix), ":")
	if !ok {
		return nil, false, fmt.Errorf("store: malformed sealed value in case %s", caseID)
	}
	a, err := o.key(ctx, id)
	if err != nil || a == nil {
		return nil, a == nil && err == nil, err
	}
	box, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		return nil, false, fmt.Errorf("store: sealed value in case %s: %w", caseID, err)
	}
	plain, err = keyring.OpenWith(a, box, []byte(caseID))
	if err != nil {
		return nil, false, fmt.Errorf("store: sealed value in case %s: %w", caseID, err)
	}
	return plain, false, nil
}

// openObject puts a sealed object's personal members back; an erased
// buyer's texts read as Erased, other members are left out, and
// "erased": true says so.
func (o *opener) openObject(ctx context.Context, raw json.RawMessage, caseID string) (json.RawMessage, error) {
	if !bytes.Contains(raw, []byte(`"`+personalMember+`"`)) {
		return raw, nil
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return raw, nil
	}
	var box string
	if json.Unmarshal(m[personalMember], &box) != nil {
		return raw, nil
	}
	var fields map[string]string
	_ = json.Unmarshal(m[fieldsMember], &fields)
	delete(m, personalMember)
	delete(m, fieldsMember)
	plain, erased, err := o.open(ctx, box, caseID)
	if err != nil {
		return nil, err
	}
	if erased {
		for name, kind := range fields {
			if kind == "text" {
				m[name], _ = json.Marshal(Erased)
			}
		}
		m["erased"] = json.RawMessage("true")
		return json.Marshal(m)
	}
	var personal map[string]json.RawMessage
	if err := json.Unmarshal(plain, &personal); err != nil {
		return nil, fmt.Errorf("store: sealed data of case %s: %w", caseID, err)
	}
	for name, v := range personal {
		m[name] = v
	}
	return json.Marshal(m)
}

// openFold opens a sealed fold; ok is false when its buyer was erased.
func (o *opener) openFold(ctx context.Context, raw []byte, caseID string) (out []byte, ok bool, err error) {
	if !bytes.HasPrefix(bytes.TrimSpace(raw), []byte(`{"`+personalMember+`"`)) {
		return raw, true, nil
	}
	var m map[string]string
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, false, fmt.Errorf("store: sealed fold of case %s: %w", caseID, err)
	}
	plain, erased, err := o.open(ctx, m[personalMember], caseID)
	return plain, !erased && err == nil, err
}

func (o *opener) openCase(ctx context.Context, c *cases.Case) (err error) {
	if c.BuyerName, err = o.openString(ctx, c.BuyerName, c.ID); err != nil {
		return err
	}
	c.Text, err = o.openString(ctx, c.Text, c.ID)
	return err
}

func (o *opener) openCases(ctx context.Context, cs []cases.Case) error {
	ids := map[string]bool{}
	for _, c := range cs {
		keyIDOf(c.BuyerName, ids)
		keyIDOf(c.Text, ids)
	}
	if err := o.prefetch(ctx, ids); err != nil {
		return err
	}
	for i := range cs {
		if err := o.openCase(ctx, &cs[i]); err != nil {
			return err
		}
	}
	return nil
}

func (o *opener) openEvents(ctx context.Context, events []cases.Event) error {
	ids := map[string]bool{}
	for _, e := range events {
		keyIDInJSON(e.Data, ids)
	}
	if err := o.prefetch(ctx, ids); err != nil {
		return err
	}
	for i := range events {
		d, err := o.openObject(ctx, events[i].Data, events[i].CaseID)
		if err != nil {
			return err
		}
		events[i].Data = d
	}
	return nil
}

func (o *opener) openTasks(ctx context.Context, tasks []cases.Task) (err error) {
	ids := map[string]bool{}
	for _, t := range tasks {
		keyIDInJSON(t.Input, ids)
		keyIDInJSON(t.Result, ids)
	}
	if err := o.prefetch(ctx, ids); err != nil {
		return err
	}
	for i := range tasks {
		t := &tasks[i]
		if t.Input, err = o.openObject(ctx, t.Input, t.CaseID); err != nil {
			return err
		}
		if t.Result, err = o.openObject(ctx, t.Result, t.CaseID); err != nil {
			return err
		}
	}
	return nil
}

// keyIDOf adds the key id a sealed value names to ids.
func keyIDOf(s string, ids map[string]bool) {
	if rest, ok := strings.CutPrefix(s, sealedPrefix); ok {
		if id, _, ok := strings.Cut(rest, ":"); ok {
			ids[id] = true
		}
	}
}

// keyIDInJSON adds the key ids of the sealed values in raw JSON to ids.
func keyIDInJSON(raw json.RawMessage, ids map[string]bool) {
	s := string(raw)
	for {
		i := strings.Index(s, `"`+sealedPrefix)
		if i < 0 {
			return
		}
		s = s[i+1:]
		keyIDOf(s, ids)
	}
}

func isEmptyJSON(v json.RawMessage) bool {
	s := string(bytes.TrimSpace(v))
	return s == "" || s == "null" || s == `""` || s == "{}" || s == "[]"
}

// sealBatch seals the personal data of a whole SyncCase batch.
func (s *Store) sealBatch(ctx context.Context, tx *sqlx.Tx, b cases.SyncBatch) (cases.SyncBatch, error) {
	seal, err := s.sealerFor(ctx, tx, b.Case)
	if err != nil || seal == nil {
		return b, err
	}
	b.Case = seal.sealCase(b.Case)
	if b.Events, err = seal.sealEvents(b.Events); err != nil {
		return b, err
	}
	if b.Tasks, err = seal.sealTasks(b.Tasks); err != nil {
		return b, err
	}
	b.Incidents, err = seal.sealIncidents(b.Incidents)
	return b, err
}

// sealIncidents seals a failed call's parameters (a message to the buyer),
// its error message (which can echo them) and the resolution's free text.
func (k *sealer) sealIncidents(ins []cases.Incident) ([]cases.Incident, error) {
	if k == nil {
		return ins, nil
	}
	out := make([]cases.Incident, len(ins))
	for i, in := range ins {
		var err error
		if in.Params, err = k.sealObject(in.Params, in.CaseID, nil); err != nil {
			return nil, err
		}
		in.Message = k.sealString(in.Message, in.CaseID)
		in.Resolution = k.sealString(in.Resolution, in.CaseID)
		out[i] = in
	}
	return out, nil
}

func (o *opener) openIncidents(ctx context.Context, ins []cases.Incident) (err error) {
	ids := map[string]bool{}
	for _, in := range ins {
		keyIDInJSON(in.Params, ids)
		keyIDOf(in.Message, ids)
		keyIDOf(in.Resolution, ids)
	}
	if err := o.prefetch(ctx, ids); err != nil {
		return err
	}
	for i := range ins {
		in := &ins[i]
		if in.Params, err = o.openObject(ctx, in.Params, in.CaseID); err != nil {
			return err
		}
		if in.Message, err = o.openString(ctx, in.Message, in.CaseID); err != nil {
			return err
		}
		if in.Resolution, err = o.openString(ctx, in.Resolution, in.CaseID); err != nil {
			return err
		}
	}
	return nil
}
