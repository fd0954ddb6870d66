package store

import "strings"

// The statements SyncCase runs. Identity columns (ids, marketplace, shop,
// review, opened_at, created_at) are written once and never updated.

const upsertCaseSQL = `
INSERT INTO cases (
    id, workflow_id, marketplace, shop_id, review_id, order_id, item_id,
    buyer_id, buyer_name, rating, severity, text, language, issue, stage, status,
    responsibility, remedy, outcome, assignee, courier, breached,
    next_deadline, next_deadline_at, order_amount, shipping_fee, currency, remedy_cost,
    review_created_at, opened_at, first_contact_at, resolved_at, closed_at,
    updated_at, version, review_digest
) VALUES (
    :id, :workflow_id, :marketplace, :shop_id, :review_id, :order_id, :item_id,
    :buyer_id, :buyer_name, :rating, :severity, :text, :language, :issue, :stage, :status,
    :responsibility, :remedy, :outcome, :assignee, :courier, :breached,
    :next_deadline, :next_deadline_at, :order_amount, :shipping_fee, :currency, :remedy_cost,
    :review_created_at, :opened_at, :first_contact_at, :resolved_at, :closed_at,
    :updated_at, :version, :review_digest
)
ON CONFLICT (id) DO UPDATE SET
    order_id         = EXCLUDED.order_id,
    item_id          = EXCLUDED.item_id,
    buyer_id         = EXCLUDED.buyer_id,
    buyer_name       = EXCLUDED.buyer_name,
    rating           = EXCLUDED.rating,
    severity         = EXCLUDED.severity,
    text             = EXCLUDED.text,
    language         = EXCLUDED.language,
    issue            = EXCLUDED.issue,
    stage            = EXCLUDED.stage,
    status           = EXCLUDED.status,
    responsibility   = EXCLUDED.responsibility,
    remedy           = EXCLUDED.remedy,
    outcome          = EXCLUDED.outcome,
    assignee         = EXCLUDED.assignee,
    courier          = EXCLUDED.courier,
    breached         = EXCLUDED.breached,
    next_deadline    = EXCLUDED.next_deadline,
    next_deadline_at = EXCLUDED.next_deadline_at,
    order_amount     = EXCLUDED.order_amount,
    shipping_fee     = EXCLUDED.shipping_fee,
    currency         = EXCLUDED.currency,
    remedy_cost      = EXCLUDED.remedy_cost,
    first_contact_at = EXCLUDED.first_contact_at,
    resolved_at      = EXCLUDED.resolved_at,
    closed_at        = EXCLUDED.closed_at,
    updated_at       = EXCLUDED.updated_at,
    version          = EXCLUDED.version,
    review_digest    = EXCLUDED.review_digest,
    fold             = NULL
WHERE cases.version <= EXCLUDED.version`

// upsertCaseFoldSQL writes the case row as the events fold, with the fold.
var upsertCaseFoldSQL = strings.Replace(strings.Replace(strings.Replace(upsertCaseSQL,
	"updated_at, version, review_digest\n)", "updated_at, version, review_digest, fold\n)", 1),
	":updated_at, :version, :review_digest\n)", ":updated_at, :version, :review_digest, :fold\n)", 1),
	"fold             = NULL", "fold             = EXCLUDED.fold", 1)

const insertEventSQL = `
INSERT INTO case_events (case_id, seq, type, actor, actor_role, at, data)
VALUES (:case_id, :seq, :type, :actor, :actor_role, :at, :data)
ON CONFLICT (case_id, seq) DO NOTHING`

const upsertTaskSQL = `
INSERT INTO tasks (
    id, case_id, workflow_id, kind, status, role, assignee, priority,
    marketplace, shop_id, due_at, input, result,
    created_at, updated_at, completed_at, completed_by, version
) VALUES (
    :id, :case_id, :workflow_id, :kind, :status, :role, :assignee, :priority,
    :marketplace, :shop_id, :due_at, :input, :result,
    :created_at, :updated_at, :completed_at, :completed_by, :version
)
ON CONFLICT (id) DO UPDATE SET
    status       = EXCLUDED.status,
    role         = EXCLUDED.role,
    assignee     = EXCLUDED.assignee,
    priority     = EXCLUDED.priority,
    due_at       = EXCLUDED.due_at,
    input        = EXCLUDED.input,
    result       = EXCLUDED.result,
    updated_at   = EXCLUDED.updated_at,
    completed_at = EXCLUDED.completed_at,
    completed_by = EXCLUDED.completed_by,
    version      = EXCLUDED.version
WHERE tasks.version <= EXCLUDED.version`

const upsertIncidentSQL = `
INSERT INTO incidents (
    id, case_id, workflow_id, marketplace, shop_id, call, step, error_class,
    message, attempts, params, status, resolution, resolved_by,
    created_at, updated_at, resolved_at, version
) VALUES (
    :id, :case_id, :workflow_id, :marketplace, :shop_id, :call, :step, :error_class,
    :message, :attempts, :params, :status, :resolution, :resolved_by,
    :created_at, :updated_at, :resolved_at, :version
)
ON CONFLICT (id) DO UPDATE SET
    call        = EXCLUDED.call,
    error_class = EXCLUDED.error_class,
    message     = EXCLUDED.message,
    attempts    = EXCLUDED.attempts,
    params      = EXCLUDED.params,
    status      = EXCLUDED.status,
    resolution  = EXCLUDED.resolution,
    resolved_by = EXCLUDED.resolved_by,
    updated_at  = EXCLUDED.updated_at,
    resolved_at = EXCLUDED.resolved_at,
    version     = EXCLUDED.version
WHERE incidents.version <= EXCLUDED.version`

const upsertDeadlineSQL = `
INSERT INTO case_deadlines (
    case_id, kind, started_at, due_at, remind_at, status, reminded,
    met_at, breached_at, late_by_seconds, case_version
) VALUES (
    :case_id, :kind, :started_at, :due_at, :remind_at, :status, :reminded,
    :met_at, :breached_at, :late_by_seconds, :case_version
)
ON CONFLICT (case_id, kind) DO UPDATE SET
    started_at      = EXCLUDED.started_at,
    due_at          = EXCLUDED.due_at,
    remind_at       = EXCLUDED.remind_at,
    status          = EXCLUDED.status,
    reminded        = EXCLUDED.reminded,
    met_at          = EXCLUDED.met_at,
    breached_at     = EXCLUDED.breached_at,
    late_by_seconds = EXCLUDED.late_by_seconds,
    case_version    = EXCLUDED.case_version
WHERE case_deadlines.case_version <= EXCLUDED.case_version`
