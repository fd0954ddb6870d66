package console

import "math"

// Horizontal bar charts, laid out here and drawn as SVG by the templates.

const (
	chartLabelWidth = 230
	chartBarWidth   = 300
	chartValueWidth = 250
	chartRowHeight  = 30
	chartBarHeight  = 18
	chartPad        = 8
)

// barInput is one row before layout: fractions of the full bar.
type barInput struct {
	Label    string
	Segments []segmentInput
	Value    string
	// Marker draws a tick at a fraction (a target or a threshold); <0 for none.
	Marker float64
	Flag   bool // drawn in the alarm colour and named in the row's text
}

type segmentInput struct {
	Fraction float64
	Class    string // CSS class: ok, bad, pending, bar
}

type barChart struct {
	Width, Height int
	Rows          []barRow
	// BarX is where bars start, BarWidth their full length; ValueX where their value text starts.
	BarX, BarWidth, ValueX int
}

type barRow struct {
	Label      string
	Value      string
	Flag       bool
	Y, TextY   int
	Segments   []barSegment
	HasMarker  bool
	MarkerX    int
	MarkerTop  int
	MarkerBase int
}

type barSegment struct {
	X, W  int
	Class string
}

// layoutBars places each row; scale is the fraction drawn as a full bar.
func layoutBars(rows []barInput, scale float64) barChart {
	if scale <= 0 {
		scale = 1
	}
	ch := barChart{Width: chartLabelWidth + chartBarWidth + chartValueWidth, BarX: chartLabelWidth, BarWidth: chartBarWidth,
		ValueX: chartLabelWidth + chartBarWidth + chartPad}
	ch.Height = max(len(rows), 1)*chartRowHeight + 2*chartPad
	for i, in := range rows {
		y := chartPad + i*chartRowHeight
		r := barRow{Label: in.Label, Value: in.Value, Flag: in.Flag, Y: y + (chartRowHeight-chartBarHeight)/2, TextY: y + chartRowHeight/2 + 5}
		x := float64(chartLabelWidth)
		for _, s := range in.Segments {
			w := math.Min(s.Fraction/scale, 1) * chartBarWidth
			if w <= 0 {
				continue
			}
			r.Segments = append(r.Segments, barSegment{X: int(math.Round(x)), W: max(int(math.Round(w)), 1), Class: s.Class})
			x += w
		}
		if in.Marker >= 0 {
			r.HasMarker = true
			r.MarkerX = chartLabelWidth + int(math.Round(math.Min(in.Marker/scale, 1)*chartBarWidth))
			r.MarkerTop, r.MarkerBase = y+2, y+chartRowHeight-2
		}
		ch.Rows = append(ch.Rows, r)
	}
	return ch
}
