//! The one integration-test binary: the real server on port 0, real child processes.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod actions;
mod analysis;
mod approvals;
mod architecture;
mod auth;
mod boxes;
mod ci;
mod contract;
mod errors;
mod exec;
mod fake_llm;
mod files;
mod heldout;
mod helpers;
mod isolation;
mod jobs;
mod lifecycle;
mod limits;
mod llm;
mod observability;
mod policy;
mod redaction;
mod stream;
