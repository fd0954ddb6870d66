package activities

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// LoadZone reads a shop's IANA time zone as tzdata bytes. The workflow runs
// it as a local activity once, so the bytes land in history and replay builds
// the same *time.Location with time.LoadLocationFromTZData, without I/O.
// It is a function, not a method: local activities need no registration.
func LoadZone(ctx context.Context, name string) (ZoneData, error) {
	if name == "" || name == "UTC" {
		return ZoneData{Name: "UTC"}, nil
	}
	if strings.Contains(name, "..") || filepath.IsAbs(name) {
		return ZoneData{}, permanent("bad_zone", fmt.Errorf("time zone %q is not an IANA name", name))
	}
	for _, dir := range zoneDirs() {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			continue
		}
		if _, err := time.LoadLocationFromTZData(name, b); err != nil {
			return ZoneData{}, permanent("bad_zone", fmt.Errorf("time zone %q: %w", name, err))
		}
		return ZoneData{Name: name, TZData: b}, nil
	}
	return ZoneData{}, permanent("bad_zone", fmt.Errorf("time zone %q not found", name))
}

func zoneDirs() []string {
	dirs := []string{}
	if d := os.Getenv("ZONEINFO"); d != "" {
		dirs = append(dirs, d)
	}
	return append(dirs, "/usr/share/zoneinfo", "/usr/share/lib/zoneinfo", "/usr/lib/locale/TZ")
}
