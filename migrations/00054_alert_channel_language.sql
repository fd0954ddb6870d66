-- +goose Up
-- Issue 12: an alert channel speaks its people's language (a Taobao
-- seller's WeCom group reads Chinese, a Mercado Libre team Spanish).
ALTER TABLE alert_channels ADD COLUMN language text NOT NULL DEFAULT 'en' CHECK (language IN ('en', 'es', 'pt', 'zh'));

-- +goose Down
ALTER TABLE alert_channels DROP COLUMN language;
