-- +goose Up
-- Shop credentials on each marketplace. Mercado Libre refresh tokens are
-- single-use and rotate on every refresh: the rotated pair must outlive the
-- process that received it, so it is kept here rather than in memory.
CREATE TABLE marketplace_tokens (
    marketplace   text        NOT NULL,
    shop_id       text        NOT NULL,
    access_token  text        NOT NULL DEFAULT '',
    refresh_token text        NOT NULL DEFAULT '',
    expires_at    timestamptz,
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (marketplace, shop_id)
);

-- +goose Down
DROP TABLE marketplace_tokens;
