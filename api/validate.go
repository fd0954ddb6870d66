package api

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"time"

	"github.com/go-playground/validator/v10"

	"github.com/redress-hq/redress/cases"
)

// validate checks request structs; field names are their JSON names.
var validate = newValidator()

func newValidator() *validator.Validate {
	v := validator.New(validator.WithRequiredStructEnabled())
	v.RegisterTagNameFunc(func(f reflect.StructField) string {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			return ""
		}
		return name
	})
	must := func(tag string, fn validator.Func) {
		if err := v.RegisterValidation(tag, fn); err != nil {
			panic(fmt.Sprintf("api: registering validation %q: %v", tag, err)) // programming error at init
		}
	}
	must("marketplace", func(fl validator.FieldLevel) bool {
		return cases.Marketplace(fl.Field().String()).Valid()
	})
	must("issue", func(fl validator.FieldLevel) bool { return cases.Issue(fl.Field().String()).Valid() })
	must("rfc3339", func(fl validator.FieldLevel) bool {
		_, err := time.Parse(time.RFC3339, fl.Field().String())
		return err == nil
	})
	must("money", func(fl validator.FieldLevel) bool {
		_, err := cases.ParseMoney(fl.Field().String())
		return err == nil
	})
	must("role", func(fl validator.FieldLevel) bool { return cases.Role(fl.Field().String()).Valid() })
	return v
}

// validateStruct returns a 422 problem listing every invalid field, or nil.
func validateStruct(dst any) error {
	err := validate.Struct(dst)
	if err == nil {
		return nil
	}
	var verrs validator.ValidationErrors
	if !errors.As(err, &verrs) {
		return nil // not a struct: nothing to validate
	}
	fields := make([]FieldError, 0, len(verrs))
	for _, fe := range verrs {
		fields = append(fields, fieldError(fe))
	}
	return invalidBody(fields...)
}

func fieldError(fe validator.FieldError) FieldError {
	// Namespace is "<struct>.<json path>"; drop the Go struct's name.
	_, path, _ := strings.Cut(fe.Namespace(), ".")
	f := FieldError{Field: path}
	switch fe.Tag() {
	case "required", "required_without", "required_if":
		f.Code, f.Message = "required", "is required"
	case "min", "gte":
		if fe.Kind() == reflect.String || fe.Kind() == reflect.Slice {
			f.Code, f.Message = "too_short", "must have at least "+fe.Param()+" characters or items"
		} else {
			f.Code, f.Message = "too_small", "must be at least "+fe.Param()
		}
	case "max", "lte":
		if fe.Kind() == reflect.String || fe.Kind() == reflect.Slice {
			f.Code, f.Message = "too_long", "must have at most "+fe.Param()+" characters or items"
		} else {
			f.Code, f.Message = "too_large", "must be at most "+fe.Param()
		}
	case "oneof":
		f.Code, f.Message = "not_allowed", "must be one of: "+strings.ReplaceAll(fe.Param(), " ", ", ")
	case "marketplace":
		f.Code, f.Message = codeUnknownMarketplace, "must be one of: "+joinMarketplaces()
	case "issue":
		f.Code, f.Message = "unknown_issue", "is not a known issue"
	case "role":
		f.Code, f.Message = "unknown_role", "must be one of: agent, manager, automation, admin"
	case "rfc3339":
		f.Code, f.Message = "invalid_time", "must be an RFC 3339 time such as 2026-01-02T15:04:05Z"
	case "money":
		f.Code, f.Message = "invalid_amount", "must be a non-negative amount with at most two decimals"
	case "iso4217":
		f.Code, f.Message = "invalid_currency", "must be an ISO 4217 currency code"
	case "url", "http_url":
		f.Code, f.Message = "invalid_url", "must be a URL"
	default:
		f.Code, f.Message = fe.Tag(), "is invalid ("+fe.Tag()+")"
	}
	return f
}

func joinMarketplaces() string {
	names := make([]string, len(cases.Marketplaces))
	for i, m := range cases.Marketplaces {
		names[i] = string(m)
	}
	return strings.Join(names, ", ")
}
