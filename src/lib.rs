//! bonafide makes an organisation's anti-fraud notices machine-checkable: organisations publish
//! signed statements (who may sign for them, their official channels, their fee policy, known
//! impersonators, notices, genuine documents), and anyone can check a contact or an agreement
//! against them.
//!
//! The crate reads from the inside out. Imports point inward only:
//!
//! | module | owns | may use |
//! | --- | --- | --- |
//! | [`domain`] | newtypes and statements that parse at construction | nothing in the crate |
//! | [`crypto`] | SHA-256, Ed25519, JWK thumbprints, JWS, RFC 8785 | `domain` |
//! | [`log`] | the transparency log's Merkle tree, proofs, signed checkpoints | `domain`, `crypto` |
//! | [`document`] | agreements' types by their bytes, text extraction with limits, the worker process | nothing in the crate |
//! | [`registry`] | the in-memory register and the trust chain (pure, takes `now`) | `domain`, `crypto`, `log` |
//! | [`check`] | contact checks and verdict claims (pure, takes `now`) | `domain`, `crypto`, `registry` |
//! | [`store`] | the log's storage behind one trait (SQLite, PostgreSQL) | `domain` |
//! | [`files`] | private files written whole (mode 0600, synced, renamed into place) | nothing in the crate |
//! | [`keyring`] | the service's verdict keys on disk | `crypto`, `files` |
//! | [`logfiles`] | the log key and the checkpoint lock on disk | `crypto`, `log`, `files` |
//! | [`api`] | wire types shared by the server, the CLI and tests | `domain`, `registry`, `check` |
//! | [`demo`] | the demo organisation's statements | `domain`, `crypto` |
//! | [`widget`] | the embeddable widget's script and the demo news page | `crypto`, `demo` |
//! | [`http`] | the actix-web service | everything above |
//! | [`cli`] | the `bonafide` command | everything above |

#![forbid(unsafe_code)]

pub mod api;
pub mod check;
pub mod cli;
pub mod crypto;
pub mod demo;
pub mod document;
pub mod domain;
pub mod files;
pub mod http;
pub mod keyring;
pub mod log;
pub mod logfiles;
pub mod registry;
pub mod store;
pub mod widget;
