package console

import (
	"embed"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	_ "time/tzdata" // people's zones must load on hosts without a zoneinfo database

	"github.com/labstack/echo/v4"
	"golang.org/x/text/language"
)

//go:embed locales/*.json
var localeFiles embed.FS

const (
	langCookie = "redress_lang"
	zoneCookie = "redress_tz"
)

// locale is one language's messages; a missing key falls back to English,
// then to the key's last part made readable.
type locale struct {
	tag      string // for <html lang>
	messages map[string]string
	fallback *locale
}

// languages are the console's languages, the first being the default.
var languages = []struct {
	code string // cookie value and file name
	tag  language.Tag
}{
	{"en", language.English},
	{"zh", language.SimplifiedChinese},
}

var (
	locales  = loadLocales()
	matcher  = language.NewMatcher([]language.Tag{language.English, language.SimplifiedChinese})
	langTags = map[string]string{"en": "en", "zh": "zh-CN"}
)

func loadLocales() map[string]*locale {
	out := map[string]*locale{}
	for _, l := range languages {
		raw, err := localeFiles.ReadFile("locales/" + l.code + ".json")
		if err != nil {
			panic(err)
		}
		loc := &locale{tag: langTags[l.code], messages: map[string]string{}}
		if err := json.Unmarshal(raw, &loc.messages); err != nil {
			panic(fmt.Sprintf("locale %s: %v", l.code, err))
		}
		out[l.code] = loc
	}
	for code, loc := range out {
		if code != "en" {
			loc.fallback = out["en"]
		}
	}
	return out
}

func (l *locale) text(key string, args ...any) string {
	for loc := l; loc != nil; loc = loc.fallback {
		if m, ok := loc.messages[key]; ok {
			if len(args) > 0 {
				return fmt.Sprintf(m, args...)
			}
			return m
		}
	}
	last := key[strings.LastIndex(key, ".")+1:]
	return strings.ReplaceAll(last, "_", " ")
}

// languageOf is the person's choice (cookie), else their browser's.
func languageOf(c echo.Context) string {
	if ck, err := c.Cookie(langCookie); err == nil {
		if _, ok := locales[ck.Value]; ok {
			return ck.Value
		}
	}
	_, i := language.MatchStrings(matcher, c.Request().Header.Get("Accept-Language"))
	return languages[i].code
}

// zoneOf is the person's time zone: chosen, or reported by their browser.
func zoneOf(c echo.Context) *time.Location {
	if ck, err := c.Cookie(zoneCookie); err == nil {
		if loc, err := time.LoadLocation(ck.Value); err == nil && ck.Value != "" && ck.Value != "Local" {
			return loc
		}
	}
	return time.UTC
}
