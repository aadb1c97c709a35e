//! Black-box tests of the HTTP API: the real service on port 0 with a fresh SQLite data
//! directory, driven by a reqwest client.

mod agreements;
mod contact_checks;
mod corpus;
mod group;
mod hardening;
mod helpers;
mod log;
mod messages;
mod openapi;
mod ops;
mod orgs;
mod practices;
mod register;
mod statements;
mod trust_chain;
mod verdicts;
mod widget;
