package workflows

import "go.temporal.io/sdk/temporal"

// Rejection codes: validators reject updates with an ApplicationError whose
// Type is one of these, so the API can map them to 404/409/422 without
// parsing messages. They are part of the contract; never rename one.
const (
	CodeTaskNotFound          = "task_not_found"
	CodeTaskNotOpen           = "task_not_open"
	CodeTaskClaimedByOther    = "task_claimed_by_other"
	CodeWrongRole             = "wrong_role"
	CodeWrongPayload          = "wrong_payload"
	CodeMissingResponsibility = "missing_responsibility"
	CodeRemedyNotAllowed      = "remedy_not_allowed"
	CodeAmountOutOfRange      = "amount_out_of_range"
	CodeGuardRejected         = "guard_rejected"
	CodeCaseClosed            = "case_closed"
	CodeNotManager            = "not_manager"
	CodeIncidentNotFound      = "incident_not_found"
	CodeUncheckedWrite        = "unchecked_ambiguous_write"
	CodeDuplicate             = "duplicate"
)

// reject builds a non-retryable rejection; details (e.g. guard violations)
// travel with it for the API to show.
func reject(code, msg string, details ...any) error {
	return temporal.NewApplicationErrorWithOptions(msg, code, temporal.ApplicationErrorOptions{
		NonRetryable: true,
		Details:      details,
	})
}
