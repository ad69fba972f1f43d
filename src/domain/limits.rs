//! The limits model: server defaults, server maxima, and what a request may ask for.
//!
//! A request may lower any limit. Raising one above the default needs the admin role, and
//! even an admin stays within the maximum. `0` means "no limit" in settings; a request cannot
//! ask for "no limit" (it can only name a number).

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::lenient;

/// One set of limits, as configured (`[limits.default]`, `[limits.max]`). 0 = unlimited.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LimitSet {
    pub memory_bytes: u64,
    pub pids: u64,
    /// CPU bandwidth in milli-CPUs (1000 = one core).
    pub cpu_millis: u64,
    pub cpu_time_secs: u64,
    pub file_size_bytes: u64,
    pub open_files: u64,
    pub address_space_bytes: u64,
    /// Total stdout + stderr before the command is stopped.
    pub output_bytes: u64,
}

/// Limits a request asks for; every field optional. See `/readyz` for the server's defaults.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"memoryBytes": 268435456, "pids": 64, "cpuMillis": 500}))]
pub struct RequestLimits {
    /// Memory for the whole process tree (cgroup), bytes; at least 1 MiB (below that a
    /// program cannot even be loaded).
    #[serde(default, deserialize_with = "lenient::opt_u64")]
    #[schema(value_type = Option<u64>, minimum = 1048576)]
    pub memory_bytes: Option<u64>,
    /// Processes and threads in the tree (cgroup pids.max).
    #[serde(default, deserialize_with = "lenient::opt_u64")]
    #[schema(value_type = Option<u64>, minimum = 1)]
    pub pids: Option<u64>,
    /// CPU bandwidth in milli-CPUs: 1000 = one core, 500 = half a core.
    #[serde(default, deserialize_with = "lenient::opt_u64")]
    #[schema(value_type = Option<u64>, minimum = 1)]
    pub cpu_millis: Option<u64>,
    /// CPU seconds per process (RLIMIT_CPU).
    #[serde(default, deserialize_with = "lenient::opt_u64")]
    #[schema(value_type = Option<u64>, minimum = 1)]
    pub cpu_time_secs: Option<u64>,
    /// Largest file a process may write (RLIMIT_FSIZE), bytes.
    #[serde(default, deserialize_with = "lenient::opt_u64")]
    #[schema(value_type = Option<u64>, minimum = 1)]
    pub file_size_bytes: Option<u64>,
    /// Open files per process (RLIMIT_NOFILE).
    #[serde(default, deserialize_with = "lenient::opt_u64")]
    #[schema(value_type = Option<u64>, minimum = 1)]
    pub open_files: Option<u64>,
    /// Virtual memory per process (RLIMIT_AS), bytes.
    #[serde(default, deserialize_with = "lenient::opt_u64")]
    #[schema(value_type = Option<u64>, minimum = 1)]
    pub address_space_bytes: Option<u64>,
    /// Total stdout + stderr bytes before the command is stopped (`limit: output`).
    #[serde(default, deserialize_with = "lenient::opt_u64")]
    #[schema(value_type = Option<u64>, minimum = 1)]
    pub output_bytes: Option<u64>,
}

/// Why a request's limits were refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LimitError {
    #[error("`limits.{name}` must be at least 1")]
    Zero { name: &'static str },
    #[error(
        "`limits.{name}` = {requested} is above the default {default}; only admin may raise limits"
    )]
    RaiseForbidden {
        name: &'static str,
        requested: u64,
        default: u64,
    },
    #[error("`limits.{name}` = {requested} is below {min}: too little to load a program")]
    BelowMin {
        name: &'static str,
        requested: u64,
        min: u64,
    },
    #[error("`limits.{name}` = {requested} is above the server maximum {max}")]
    AboveMax {
        name: &'static str,
        requested: u64,
        max: u64,
    },
}

fn pick(
    name: &'static str,
    default: u64,
    max: u64,
    requested: Option<u64>,
    admin: bool,
) -> Result<u64, LimitError> {
    let Some(r) = requested else {
        return Ok(default);
    };
    if r == 0 {
        return Err(LimitError::Zero { name });
    }
    let raising = default != 0 && r > default;
    if raising && !admin {
        return Err(LimitError::RaiseForbidden {
            name,
            requested: r,
            default,
        });
    }
    if max != 0 && r > max {
        return Err(LimitError::AboveMax {
            name,
            requested: r,
            max,
        });
    }
    Ok(r)
}

/// The smallest memory limit a request may ask for. Below about 64 KiB the kernel cannot
/// charge `execve` its pages and the program never starts (it looked like exit 127,
/// "command not found"); 1 MiB leaves room for a small static program.
pub const MIN_MEMORY_BYTES: u64 = 1024 * 1024;

/// The limits that apply to one request.
pub fn effective(
    default: &LimitSet,
    max: &LimitSet,
    req: &RequestLimits,
    admin: bool,
) -> Result<LimitSet, LimitError> {
    if let Some(m) = req
        .memory_bytes
        .filter(|m| *m != 0 && *m < MIN_MEMORY_BYTES)
    {
        return Err(LimitError::BelowMin {
            name: "memoryBytes",
            requested: m,
            min: MIN_MEMORY_BYTES,
        });
    }
    Ok(LimitSet {
        memory_bytes: pick(
            "memoryBytes",
            default.memory_bytes,
            max.memory_bytes,
            req.memory_bytes,
            admin,
        )?,
        pids: pick("pids", default.pids, max.pids, req.pids, admin)?,
        cpu_millis: pick(
            "cpuMillis",
            default.cpu_millis,
            max.cpu_millis,
            req.cpu_millis,
            admin,
        )?,
        cpu_time_secs: pick(
            "cpuTimeSecs",
            default.cpu_time_secs,
            max.cpu_time_secs,
            req.cpu_time_secs,
            admin,
        )?,
        file_size_bytes: pick(
            "fileSizeBytes",
            default.file_size_bytes,
            max.file_size_bytes,
            req.file_size_bytes,
            admin,
        )?,
        open_files: pick(
            "openFiles",
            default.open_files,
            max.open_files,
            req.open_files,
            admin,
        )?,
        address_space_bytes: pick(
            "addressSpaceBytes",
            default.address_space_bytes,
            max.address_space_bytes,
            req.address_space_bytes,
            admin,
        )?,
        output_bytes: pick(
            "outputBytes",
            default.output_bytes,
            max.output_bytes,
            req.output_bytes,
            admin,
        )?,
    })
}

/// Network access for a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Network {
    /// A fresh network namespace with only a loopback interface that is down: no network.
    None,
    /// The host's network.
    Host,
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    const DEFAULT: LimitSet = LimitSet {
        memory_bytes: 512 << 20,
        pids: 256,
        cpu_millis: 1000,
        cpu_time_secs: 300,
        file_size_bytes: 0,
        open_files: 1024,
        address_space_bytes: 0,
        output_bytes: 8192,
    };
    const MAX: LimitSet = LimitSet {
        memory_bytes: 4096 << 20,
        pids: 4096,
        cpu_millis: 2000,
        cpu_time_secs: 3600,
        file_size_bytes: 0,
        open_files: 65536,
        address_space_bytes: 0,
        output_bytes: 65536,
    };

    #[test]
    fn a_memory_limit_below_the_minimum_is_refused_even_for_admin() {
        let tiny = RequestLimits {
            memory_bytes: Some(MIN_MEMORY_BYTES - 1),
            ..Default::default()
        };
        assert_eq!(
            effective(&DEFAULT, &MAX, &tiny, true),
            Err(LimitError::BelowMin {
                name: "memoryBytes",
                requested: MIN_MEMORY_BYTES - 1,
                min: MIN_MEMORY_BYTES
            })
        );
        let least = RequestLimits {
            memory_bytes: Some(MIN_MEMORY_BYTES),
            ..Default::default()
        };
        assert_eq!(
            effective(&DEFAULT, &MAX, &least, false)
                .unwrap()
                .memory_bytes,
            MIN_MEMORY_BYTES
        );
    }

    #[test]
    fn no_request_means_the_defaults() {
        assert_eq!(
            effective(&DEFAULT, &MAX, &RequestLimits::default(), false),
            Ok(DEFAULT)
        );
    }

    #[test]
    fn anyone_may_lower_only_admin_may_raise_and_nobody_past_the_max() {
        let lower = RequestLimits {
            memory_bytes: Some(64 << 20),
            pids: Some(8),
            ..Default::default()
        };
        let got = effective(&DEFAULT, &MAX, &lower, false).unwrap();
        assert_eq!(
            (got.memory_bytes, got.pids, got.cpu_millis),
            (64 << 20, 8, 1000)
        );

        let raise = RequestLimits {
            memory_bytes: Some(1024 << 20),
            ..Default::default()
        };
        assert_eq!(
            effective(&DEFAULT, &MAX, &raise, false),
            Err(LimitError::RaiseForbidden {
                name: "memoryBytes",
                requested: 1024 << 20,
                default: 512 << 20
            })
        );
        assert_eq!(
            effective(&DEFAULT, &MAX, &raise, true)
                .unwrap()
                .memory_bytes,
            1024 << 20
        );

        let past = RequestLimits {
            memory_bytes: Some(8192 << 20),
            ..Default::default()
        };
        assert_eq!(
            effective(&DEFAULT, &MAX, &past, true),
            Err(LimitError::AboveMax {
                name: "memoryBytes",
                requested: 8192 << 20,
                max: 4096 << 20
            })
        );
    }

    #[test]
    fn an_unlimited_default_can_be_narrowed_by_anyone_and_zero_is_refused() {
        let narrow = RequestLimits {
            file_size_bytes: Some(1 << 20),
            ..Default::default()
        };
        assert_eq!(
            effective(&DEFAULT, &MAX, &narrow, false)
                .unwrap()
                .file_size_bytes,
            1 << 20
        );
        let zero = RequestLimits {
            pids: Some(0),
            ..Default::default()
        };
        assert_eq!(
            effective(&DEFAULT, &MAX, &zero, true),
            Err(LimitError::Zero { name: "pids" })
        );
    }

    #[test]
    fn the_boundary_values_are_allowed() {
        let at_default = RequestLimits {
            pids: Some(256),
            ..Default::default()
        };
        assert_eq!(
            effective(&DEFAULT, &MAX, &at_default, false).unwrap().pids,
            256
        );
        let at_max = RequestLimits {
            pids: Some(4096),
            ..Default::default()
        };
        assert_eq!(effective(&DEFAULT, &MAX, &at_max, true).unwrap().pids, 4096);
    }
}
