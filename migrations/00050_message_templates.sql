-- +goose Up
-- Issue 12: templates a seller owns. A template is the seller's wording of
-- one purpose (first contact, remedy offer, follow-up, public reply, appeal)
-- on one marketplace, in one language, for one issue ('' = every issue);
-- without one the shipped text is used. Every save is a new version, kept
-- for ever; a case records the versions it opened with.
CREATE TABLE message_templates (
    id              text        PRIMARY KEY,
    org_id          text        NOT NULL DEFAULT 'default' REFERENCES organisations (id),
    marketplace     text        NOT NULL CHECK (marketplace IN ('mercadolibre', 'ebay', 'amazon', 'taobao')),
    purpose         text        NOT NULL CHECK (purpose IN ('first_contact', 'remedy_offer', 'follow_up', 'public_reply', 'appeal')),
    issue           text        NOT NULL DEFAULT '',
    language        text        NOT NULL CHECK (language IN ('en', 'es', 'pt', 'zh')),
    current_version integer     NOT NULL CHECK (current_version > 0),
    -- false: withdrawn, the shipped text is used again; a new save brings it back.
    active          boolean     NOT NULL DEFAULT true,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (org_id, marketplace, purpose, issue, language)
);

CREATE TABLE message_template_versions (
    template_id text        NOT NULL REFERENCES message_templates (id),
    version     integer     NOT NULL CHECK (version > 0),
    body        text        NOT NULL CHECK (body <> ''),
    created_by  text        NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (template_id, version)
);

-- +goose Down
DROP TABLE message_template_versions;
DROP TABLE message_templates;
