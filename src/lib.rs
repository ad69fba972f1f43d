//! shellwise: run shell commands, programs and code over HTTP, safely, and learn why they failed.
//!
//! Module map (see `ARCHITECTURE.md`): [`api`] (HTTP) → [`service`] (validation, seams) →
//! [`exec`] (spawning and supervision, no HTTP); [`config`], [`auth`], [`error`], [`telemetry`]
//! around them; [`startup`] wires one [`startup::Application`] for `serve` and for tests.

pub mod analysis;
pub mod api;
pub mod auth;
pub mod ci;
pub mod config;
pub mod domain;
pub mod error;
pub mod exec;
pub mod files;
pub mod jobs;
pub mod lenient;
pub mod llm;
pub mod policy;
pub mod redact;
pub mod sandbox;
pub mod service;
pub mod startup;
pub mod telemetry;
