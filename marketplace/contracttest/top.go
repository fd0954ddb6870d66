package contracttest

import (
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"
)

// TOP (Taobao Open Platform) publishes no OpenAPI: each method has a metadata
// file (specs/taobao/<method with dots as underscores>.json) listing its
// request and response parameters with TOP's types (Number, String, Boolean,
// Date, String[], Model, X[] lists). TOPMeta checks requests and responses
// against one such file and builds golden responses from it.

// TOPParam is one parameter of a TOP method's metadata.
type TOPParam struct {
	Name        string     `json:"name"`
	Type        string     `json:"type"`
	Required    bool       `json:"required"`
	Description string     `json:"description"`
	MaxListSize int        `json:"maxListSize"`
	MinValue    *int64     `json:"minValue"`
	MaxValue    *int64     `json:"maxValue"`
	Sub         []TOPParam `json:"subParams"`
}

// TOPMeta is one TOP method's metadata.
type TOPMeta struct {
	Name     string     `json:"name"`
	Request  []TOPParam `json:"requestParams"`
	Response []TOPParam `json:"responseParams"`
}

// TOPSystemParams are the gateway's own parameters, valid on every method.
var TOPSystemParams = map[string]bool{"method": true, "app_key": true, "session": true, "timestamp": true, "format": true,
	"v": true, "sign_method": true, "sign": true, "simplify": true, "partner_id": true, "target_app_key": true}

// TOPMethod loads the metadata of a method (e.g. "taobao.traderates.get");
// a method without a file is not part of TOP's published API: the test fails.
func TOPMethod(t testing.TB, method string) *TOPMeta {
	t.Helper()
	var m TOPMeta
	if err := json.Unmarshal(File(t, "taobao", strings.ReplaceAll(method, ".", "_")+".json"), &m); err != nil {
		t.Fatalf("metadata of %s: %v", method, err)
	}
	if m.Name != method {
		t.Fatalf("metadata file of %s names %q", method, m.Name)
	}
	return &m
}

// ResponseKey is where TOP's JSON puts the method's answer.
func (m *TOPMeta) ResponseKey() string {
	return strings.ReplaceAll(strings.TrimPrefix(m.Name, "taobao."), ".", "_") + "_response"
}

var statedMax = regexp.MustCompile(`最大(?:值|限制为)[:：]?\s*(\d+)`)

// CheckForm checks a request's form: every required parameter present, every
// other one declared, values of the declared type and within the stated limits.
func (m *TOPMeta) CheckForm(form url.Values) []error {
	var errs []error
	if form.Get("method") != m.Name {
		errs = append(errs, fmt.Errorf("method %q, want %s", form.Get("method"), m.Name))
	}
	declared := map[string]TOPParam{}
	for _, p := range m.Request {
		declared[p.Name] = p
		if p.Required && form.Get(p.Name) == "" {
			errs = append(errs, fmt.Errorf("%s: required parameter %s missing", m.Name, p.Name))
		}
	}
	for name, values := range form {
		if TOPSystemParams[name] {
			continue
		}
		p, ok := declared[name]
		if !ok {
			errs = append(errs, fmt.Errorf("%s: parameter %s is not declared", m.Name, name))
			continue
		}
		if len(values) != 1 || values[0] == "" {
			errs = append(errs, fmt.Errorf("%s: parameter %s sent %d times or blank", m.Name, name, len(values)))
			continue
		}
		if err := p.checkValue(values[0]); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", m.Name, err))
		}
	}
	return errs
}

func (p TOPParam) checkValue(v string) error {
	switch p.Type {
	case "Number":
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return fmt.Errorf("%s=%q is not an integer (Number)", p.Name, v)
		}
		if p.MinValue != nil && n < *p.MinValue {
			return fmt.Errorf("%s=%d is below %d", p.Name, n, *p.MinValue)
		}
		max := p.MaxValue
		if max == nil {
			if s := statedMax.FindStringSubmatch(p.Description); s != nil {
				v, _ := strconv.ParseInt(s[1], 10, 64)
				max = &v
			}
		}
		if max != nil && n > *max {
			return fmt.Errorf("%s=%d is above %d", p.Name, n, *max)
		}
	case "Boolean":
		if v != "true" && v != "false" {
			return fmt.Errorf("%s=%q is not a Boolean", p.Name, v)
		}
	case "Date":
		if _, err := time.Parse("2006-01-02 15:04:05", v); err != nil {
			return fmt.Errorf("%s=%q is not a TOP date (yyyy-MM-dd HH:mm:ss)", p.Name, v)
		}
	case "String[]":
		if n := len(strings.Split(v, ",")); p.MaxListSize > 0 && n > p.MaxListSize {
			return fmt.Errorf("%s lists %d values, at most %d", p.Name, n, p.MaxListSize)
		}
	case "String":
	default:
		return fmt.Errorf("%s has type %s, which a form cannot carry", p.Name, p.Type)
	}
	return nil
}

// listElement reports whether a TOP type is a list ("Refund []", "Order[]")
// and the name of its element type.
func listElement(typ string) (string, bool) {
	el, ok := strings.CutSuffix(typ, "[]")
	return strings.TrimSpace(el), ok
}

func snake(s string) string {
	var b strings.Builder
	for i, r := range s {
		if unicode.IsUpper(r) {
			if i > 0 {
				b.WriteByte('_')
			}
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// CheckResponse checks a JSON answer of the method: {<key>_response:{…}}
// whose fields are all declared and typed as declared (Number a JSON
// integer, Date a TOP date string, lists the format=json wrapper of an array).
func (m *TOPMeta) CheckResponse(body []byte) []error {
	var env map[string]json.RawMessage
	if err := json.Unmarshal(body, &env); err != nil {
		return []error{fmt.Errorf("%s: answer is not a JSON object: %v", m.Name, err)}
	}
	raw, ok := env[m.ResponseKey()]
	if !ok {
		return []error{fmt.Errorf("%s: no %s in %s", m.Name, m.ResponseKey(), body)}
	}
	return checkObject(m.Name, m.Response, raw, true)
}

func checkObject(path string, params []TOPParam, raw json.RawMessage, top bool) []error {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil {
		return []error{fmt.Errorf("%s: not an object: %s", path, raw)}
	}
	declared := map[string]TOPParam{}
	for _, p := range params {
		declared[p.Name] = p
	}
	var errs []error
	names := make([]string, 0, len(obj))
	for name := range obj {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		p, ok := declared[name]
		if !ok {
			if !(top && name == "request_id") {
				errs = append(errs, fmt.Errorf("%s.%s is not a declared field", path, name))
			}
			continue
		}
		errs = append(errs, p.checkJSON(path+"."+name, obj[name])...)
	}
	return errs
}

func (p TOPParam) checkJSON(path string, raw json.RawMessage) []error {
	var v any
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return []error{fmt.Errorf("%s: %v", path, err)}
	}
	if el, ok := listElement(p.Type); ok && p.Type != "String[]" {
		var wrapper map[string][]json.RawMessage
		if err := json.Unmarshal(raw, &wrapper); err != nil || len(wrapper) != 1 {
			return []error{fmt.Errorf("%s (%s) is not a wrapped array {%s:[…]}: %s", path, p.Type, snake(el), raw)}
		}
		var errs []error
		for _, items := range wrapper {
			for i, item := range items {
				if len(p.Sub) == 0 {
					errs = append(errs, TOPParam{Name: p.Name, Type: el}.checkJSON(fmt.Sprintf("%s[%d]", path, i), item)...)
					continue
				}
				errs = append(errs, checkObject(fmt.Sprintf("%s[%d]", path, i), p.Sub, item, false)...)
			}
		}
		return errs
	}
	bad := func() []error { return []error{fmt.Errorf("%s is %s, declared %s", path, raw, p.Type)} }
	switch p.Type {
	case "Number":
		n, ok := v.(json.Number)
		if !ok {
			return bad()
		}
		if _, err := n.Int64(); err != nil {
			return bad()
		}
	case "String", "String[]":
		if _, ok := v.(string); !ok {
			return bad()
		}
	case "Boolean":
		if _, ok := v.(bool); !ok {
			return bad()
		}
	case "Date":
		s, ok := v.(string)
		if !ok {
			return bad()
		}
		if _, err := time.Parse("2006-01-02 15:04:05", s); err != nil {
			return bad()
		}
	case "Json":
	default:
		if len(p.Sub) == 0 {
			return bad()
		}
		return checkObject(path, p.Sub, raw, false)
	}
	return nil
}

// Golden builds a response of the method from its metadata: every declared
// field with a value of its type (Number fields as JSON integers beyond
// float64's exact range, money as the decimal strings the descriptions
// announce, lists wrapped as format=json sends them), unless
// values names the field (by name, at any depth) — then that value is used.
func (m *TOPMeta) Golden(values map[string]any) []byte {
	body, err := json.Marshal(map[string]any{m.ResponseKey(): goldenObject(m.Response, values)})
	if err != nil {
		panic(err)
	}
	return body
}

// GoldenNumber is the value Golden gives Number fields: 2^53+1, which a
// float64 would round.
const GoldenNumber int64 = 9007199254740993

func goldenObject(params []TOPParam, values map[string]any) map[string]any {
	obj := map[string]any{}
	for _, p := range params {
		if v, ok := values[p.Name]; ok {
			if v != nil {
				obj[p.Name] = v
			}
			continue
		}
		obj[p.Name] = p.golden(values)
	}
	return obj
}

func (p TOPParam) golden(values map[string]any) any {
	if el, ok := listElement(p.Type); ok && p.Type != "String[]" {
		item := any(TOPParam{Name: p.Name, Type: el}.golden(values))
		if len(p.Sub) > 0 {
			item = goldenObject(p.Sub, values)
		}
		return map[string]any{snake(el): []any{item}}
	}
	switch p.Type {
	case "Number":
		return GoldenNumber
	case "Boolean":
		return true
	case "Date":
		return "2026-11-22 09:00:00"
	case "String", "String[]":
		if strings.Contains(p.Description, "精确到2位小数") {
			return "200.07" // money fields, as the metadata describes them
		}
		return p.Name + "-value"
	case "Json":
		return map[string]any{}
	}
	return goldenObject(p.Sub, values)
}
