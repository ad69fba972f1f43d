//! Small domain types every layer shares — roles, approval modes and the limits model — kept here so that
//! `config`, `auth` and `service` all import them downward and none imports another for them.

pub mod approval;
pub mod limits;
pub mod role;

pub use approval::{ApprovalMode, ModeSource};
pub use limits::{LimitSet, Network, RequestLimits};
pub use role::Role;
