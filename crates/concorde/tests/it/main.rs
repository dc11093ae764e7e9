//! The one integration-test binary: every test starts the real app on port 0 with a fresh
//! database — SQLite by default, PostgreSQL when `CONCORDE_TEST_DATABASE_URL` points at a server
//! (the test script runs the whole suite both ways).

mod accounts;
mod admin;
mod analyses;
mod api;
mod cli;
mod coding;
mod contributions;
mod debates;
mod decidim;
mod discussion;
mod events;
mod helpers;
mod import_encodings;
mod import_sheets;
mod imports;
mod jobs;
mod opendata;
mod organisations;
mod platform;
mod policy;
mod privacy;
mod report;
mod report_followup;
mod schema;
mod search;
mod security;
mod survey;
mod surveys;
mod uploads;
