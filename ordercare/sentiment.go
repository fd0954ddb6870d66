package ordercare

import (
	"strings"

	"github.com/redress-hq/redress/cases"
)

// Sentiment cues of an unhappy buyer, in the canonical form cases.Normalize
// produces (lower case, no accents, Simplified Chinese). They complement the
// classifier's issues: "where is my order, this is ridiculous" has no issue
// keyword but is the message that precedes a bad review.
var angryCues = []string{
	// en
	"angry", "furious", "terrible", "worst", "scam", "fraud", "disappointed", "ridiculous", "unacceptable",
	"still not", "still havent", "where is my", "never arrived", "complaint", "refund", "broken", "fake", "useless",
	// es
	"molesto", "enojado", "furioso", "pesimo", "estafa", "fraude", "decepcionado", "inaceptable", "todavia no",
	"aun no", "donde esta mi", "nunca llego", "reclamo", "devolucion", "reembolso", "roto", "una verguenza",
	// pt
	"irritado", "bravo", "pessimo", "golpe", "fraude", "decepcionado", "inaceitavel", "absurdo", "ainda nao",
	"cade meu", "nunca chegou", "reclamacao", "reembolso", "devolucao", "quebrado", "vergonha",
	// zh
	"生气", "垃圾", "差劲", "骗子", "投诉", "失望", "太慢", "还没到", "还没收到", "退款", "退货", "破损", "假货", "坑人", "气死",
}

// Mood is the reading of a buyer's message.
type Mood struct {
	Complaint bool        `json:"complaint"`
	Issue     cases.Issue `json:"issue,omitempty"` // the classifier's issue when it matched a keyword
	Cues      []string    `json:"cues,omitempty"`  // the sentiment cues and issue keywords found
	Language  string      `json:"language"`
}

// ReadMood classifies a buyer message: the classifier's issues (zh/en/es/pt)
// plus a sentiment cue. Either makes it a complaint.
func ReadMood(text string) Mood {
	c := cases.Classify(text, 1, "")
	m := Mood{Language: c.Language}
	if len(c.Matched) > 0 {
		m.Complaint, m.Issue = true, c.Issue
		m.Cues = append(m.Cues, c.Matched...)
	}
	norm := " " + cases.Normalize(text) + " "
	for _, cue := range angryCues {
		if strings.Contains(norm, cue) {
			m.Complaint = true
			m.Cues = append(m.Cues, cue)
		}
	}
	return m
}
