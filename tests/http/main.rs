//! Integration tests over real HTTP against the real server, on SQLite or PostgreSQL
//! (`PEERDESK_TEST_DATABASE=postgres` with `PEERDESK_TEST_POSTGRES_URL`; `scripts/test` runs both).

mod helpers;

mod accounts;
mod api;
mod attachments;
mod audit;
mod cli;
mod crash;
mod events;
mod foundation;
mod hardening_search;
mod hardening_security;
mod hardening_threads;
mod hours;
mod i18n;
mod insights;
mod kb;
mod mail_crash;
mod mail_sink;
mod moderation;
mod notifications;
mod oauth;
mod pages;
mod peers;
mod private;
mod qa;
mod relevance;
mod review;
mod search;
mod security;
mod semantic;
mod setup;
mod sitemap;
mod support;
mod users_admin;
