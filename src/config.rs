//! Settings: built-in defaults → `shellwise.toml` (or `--config FILE`) → `SHELLWISE__SECTION__KEY`
//! environment variables, validated once at start with messages that name the key.
//!
//! Every key is documented in `shellwise.example.toml`; `DEFAULTS` below is the single source of
//! the default values (the example file repeats them for readers, and a test keeps the two equal).

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::Deserialize;

use crate::domain::limits::{LimitSet, Network};
use crate::domain::{ApprovalMode, Role};

/// The built-in defaults, layered first.
/// The largest response budget a request or the config may ask for.
pub const MAX_RESPONSE_CHARS: usize = 16 << 20;

pub const DEFAULTS: &str = r#"
state_dir = ""

[server]
bind = "127.0.0.1:8080"
workers = 0
max_body_bytes = 1048576
shutdown_grace_ms = 10000
sse_heartbeat_ms = 5000
body_timeout_ms = 10000
metrics_public = false
public_url = ""

[auth]
tokens = []

[exec]
default_timeout_ms = 30000
max_timeout_ms = 600000
kill_grace_ms = 2000
drain_ms = 500
inline_output_bytes = 65536
max_concurrent = 64
max_concurrent_per_token = 32
max_per_token_per_minute = 0
queue_timeout_ms = 10000
max_response_chars = 90000
max_code_bytes = 100000
max_stdin_bytes = 1048576
shells = ["/bin/sh", "/bin/bash"]
default_cwd = ""
env_passthrough = ["PATH", "HOME", "LANG", "LANGUAGE", "LC_ALL", "LC_CTYPE", "TERM", "TZ", "USER", "LOGNAME", "TMPDIR"]
env_set = {}

[limits]
cgroups = "auto"
network_default = "host"
network_host_roles = ["operator", "admin"]
pid_namespace = true
ipc_namespace = true
private_tmp = true
tmp_size_bytes = 0
uid_range = "70000-79999"
run_as = ""
root_for_admin = false
landlock = true
landlock_read_only = ["/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc", "/opt", "/nix", "/proc", "/sys", "/dev", "/run"]
landlock_read_write = []
seccomp = true

[limits.default]
memory_bytes = 536870912
pids = 256
cpu_millis = 1000
cpu_time_secs = 300
file_size_bytes = 1073741824
open_files = 1024
address_space_bytes = 0
output_bytes = 8388608

[limits.max]
memory_bytes = 4294967296
pids = 4096
cpu_millis = 0
cpu_time_secs = 3600
file_size_bytes = 17179869184
open_files = 65536
address_space_bytes = 0
output_bytes = 67108864

[workspace]
roots = []
per_token = false
named_dir = ""
max_per_token = 16
quota_bytes = 1073741824
quota_files = 100000
max_ttl_secs = 0

[files]
read_role = "operator"
default_read_bytes = 65536
max_read_bytes = 16777216
max_upload_bytes = 1073741824
max_search_matches = 1000
search_max_file_bytes = 16777216
archive_max_file_bytes = 67108864
protected = [".git/**", ".env", ".env.*", ".github/workflows/**", ".gitlab-ci.yml"]

[policy]
file = "default"
confirm_ttl_secs = 300
approval = "on-request"
approval_roles = {}
approver_role = ""
max_pending = 1024

[features]
exec = true
code = true
chat = true

[audit]
enabled = true
file = ""
max_bytes = 10485760
keep = 3
required = false

[jobs]
file = ""
default_wait_ms = 10000
max_wait_ms = 30000
queue_timeout_ms = 600000
max_queued_per_token = 64
max_output_bytes = 67108864
max_store_bytes = 2147483648
retention_secs = 604800

[redaction]
enabled = true
server_secrets = true
extra_values = []
rules = []
disabled_rules = []
cpu_budget_ms = 10000

[telemetry]
log_format = "human"
log_level = "info"

[llm]
providers = []
analysis_timeout_ms = 15000
chat_timeout_ms = 40000
max_concurrent_analyses = 4
cache_ttl_secs = 600
cache_entries = 256
max_prompt_bytes = 16384
"#;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Where shellwise keeps state (the generated token; later the selected model and jobs).
    /// Empty means the default: `/var/lib/shellwise` as root, else `$XDG_STATE_HOME/shellwise`
    /// or `~/.local/state/shellwise`.
    pub state_dir: String,
    pub server: ServerSettings,
    pub auth: AuthSettings,
    pub exec: ExecSettings,
    pub limits: LimitsSettings,
    pub workspace: WorkspaceSettings,
    pub files: FileSettings,
    pub redaction: RedactionSettings,
    pub policy: PolicySettings,
    pub features: FeatureSettings,
    pub audit: AuditSettings,
    pub jobs: JobSettings,
    pub telemetry: TelemetrySettings,
    pub llm: LlmSettings,
}

/// The `[llm]` section: providers for analysis and chat, and the analysis budgets.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LlmSettings {
    /// Providers, tried by priority (see `llm::Router`). Empty = heuristic analysis only, and
    /// `/v1/chat` answers `503 llm_unavailable`.
    pub providers: Vec<crate::llm::ProviderConfig>,
    /// The most time an LLM analysis may add to a failed `/v1/exec`; then the heuristic
    /// result is returned.
    pub analysis_timeout_ms: u64,
    /// The most a `/v1/chat` answer may take, retries and fallbacks included (ChatGPT Actions
    /// give up after 45 s); then `504 llm_timeout`.
    pub chat_timeout_ms: u64,
    /// LLM analyses in flight at once; beyond it a failure gets the heuristic analysis (with a
    /// note) instead of queueing behind a slow provider.
    pub max_concurrent_analyses: usize,
    /// How long an LLM analysis of an identical failure is reused.
    pub cache_ttl_secs: u64,
    /// Most cached analyses (0 = no cache).
    pub cache_entries: usize,
    /// Most bytes of command output put into an analysis prompt (head and tail kept).
    pub max_prompt_bytes: usize,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicySettings {
    /// `default` or `strict` (built in), or the path of a policy TOML file.
    pub file: String,
    /// How long a `confirm` token stays valid.
    pub confirm_ttl_secs: u64,
    /// The approval mode of a token that names none and whose role has none.
    pub approval: ApprovalMode,
    /// Approval modes by role (a token's own `approval` beats its role's).
    pub approval_roles: BTreeMap<Role, ApprovalMode>,
    /// When set (e.g. `"admin"`), a confirm token is honoured only after another token with at
    /// least this role approves it (`POST /v1/approvals/{token}`). Empty = the caller confirms.
    pub approver_role: String,
    /// The most confirm tokens kept waiting at once; beyond it the asking token's own oldest
    /// is dropped first, then the oldest of all.
    pub max_pending: usize,
}

impl PolicySettings {
    /// The approver role, if one is configured (validated at load).
    pub fn approver(&self) -> Option<Role> {
        Role::parse(&self.approver_role)
    }
}

/// Whole features that can be switched off: their routes answer 403 `feature_disabled` and
/// vanish from the served `/openapi.json`.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeatureSettings {
    pub exec: bool,
    pub code: bool,
    pub chat: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditSettings {
    pub enabled: bool,
    /// Empty = `<state_dir>/audit.log`.
    pub file: String,
    pub max_bytes: u64,
    /// Rotated files kept (`audit.log.1` …).
    pub keep: usize,
    /// Refuse to run commands (503 `audit_unavailable`) while their records cannot be written.
    pub required: bool,
}

/// The `[jobs]` section: durable jobs and their embedded store.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JobSettings {
    /// The SQLite file; empty = `<state_dir>/jobs.sqlite3`.
    pub file: String,
    /// How long `POST /v1/jobs` waits for the result when `waitMs` is not given.
    pub default_wait_ms: u64,
    /// The most `waitMs` may ask (ChatGPT Actions give up after 45 s).
    pub max_wait_ms: u64,
    /// How long a job may wait for a free slot before it fails.
    pub queue_timeout_ms: u64,
    /// Jobs one token may have queued or running at once; beyond it `429 quota_exceeded`.
    pub max_queued_per_token: usize,
    /// Output kept per job (after redaction); past it the job runs on but its stored output
    /// stops (`outputTruncated`).
    pub max_output_bytes: u64,
    /// The most the store may hold; finished jobs are pruned oldest first to stay under it,
    /// and when running jobs hold it all new ones get `507 store_full`.
    pub max_store_bytes: u64,
    /// Finished jobs older than this are deleted.
    pub retention_secs: u64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RedactionSettings {
    /// Redact command output, stream events, logs, problem details and LLM traffic.
    pub enabled: bool,
    /// Also redact the values of the server's own environment variables whose names look
    /// secret (KEY, SECRET, TOKEN, PASSWORD, ...).
    pub server_secrets: bool,
    /// More values to redact verbatim wherever they appear (6 bytes or longer).
    pub extra_values: Vec<String>,
    /// Extra rules: `{ id = "...", regex = "..." }`; a named group `secret` limits what is cut.
    pub rules: Vec<RedactionRule>,
    /// Built-in rule ids to switch off.
    pub disabled_rules: Vec<String>,
    /// CPU time redacting one request's output may take (off the async workers, on the
    /// blocking pool); past it the rest of that output is withheld, never passed unredacted.
    /// Zero: no limit.
    pub cpu_budget_ms: u64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RedactionRule {
    pub id: String,
    pub regex: String,
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum CgroupsSetting {
    /// Use cgroups when the host allows it; fall back to rlimits otherwise.
    Auto,
    /// Never use cgroups.
    Off,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LimitsSettings {
    pub cgroups: CgroupsSetting,
    /// `host` or `none`: network when a request does not say.
    pub network_default: Network,
    /// Roles that may use the host network.
    pub network_host_roles: Vec<Role>,
    /// Run every command in its own pid namespace, as its pid 1 (needs root; else left out
    /// and listed in `/readyz`).
    pub pid_namespace: bool,
    /// Run every command in its own IPC namespace (SysV IPC, POSIX message queues).
    pub ipc_namespace: bool,
    /// Give every command a private, empty, size-capped `/tmp` and `/dev/shm`.
    pub private_tmp: bool,
    /// Size of each private `/tmp` and `/dev/shm`; 0 = the command's memory limit.
    pub tmp_size_bytes: u64,
    /// When the server runs as root, each token's commands run as a uid of its own from this
    /// range (`FIRST-LAST`), recorded in the state dir's `identities.json`.
    pub uid_range: String,
    /// One user for every token's commands instead (weaker: callers can reach each other).
    pub run_as: String,
    /// Let admin tokens' commands run as root anyway.
    pub root_for_admin: bool,
    /// Confine each command's filesystem with Landlock: read-only beneath
    /// `landlock_read_only`, writable only in its workspace, its private `/tmp` and
    /// `landlock_read_write`; everything else (the state dir, other callers' workspaces)
    /// denied.
    pub landlock: bool,
    pub landlock_read_only: Vec<String>,
    pub landlock_read_write: Vec<String>,
    /// Install the default seccomp filter (see ARCHITECTURE.md for the list).
    pub seccomp: bool,
    pub default: LimitSet,
    pub max: LimitSet,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkspaceSettings {
    /// Directories a command's `cwd` must stay inside (symlinks resolved). Empty = the default
    /// working directory only.
    pub roots: Vec<String>,
    /// Give each token its own sub-directory of the first root (created on first use) as its
    /// default and only working area.
    pub per_token: bool,
    /// Where named workspaces (`POST /v1/workspaces`) are made. Empty = `<first root>/.workspaces`.
    pub named_dir: String,
    /// Named workspaces one token may have at once.
    pub max_per_token: usize,
    /// Default byte quota of a named or per-token workspace (0 = none); a create may ask for less,
    /// or more as admin.
    pub quota_bytes: u64,
    /// Default file-count quota (0 = none).
    pub quota_files: u64,
    /// The longest `ttlSecs` a create may ask for (0 = no bound; no ttl = kept until deleted).
    pub max_ttl_secs: u64,
}

/// The `[files]` section: file operations inside workspaces.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileSettings {
    /// The least role that may read, stat, list, search and download (files may hold secrets);
    /// writes always need operator.
    pub read_role: Role,
    /// Bytes a read returns when it does not say (`maxBytes`).
    pub default_read_bytes: u64,
    /// The most a read may ask for.
    pub max_read_bytes: u64,
    /// The largest upload (`PUT /v1/workspaces/{id}/files/raw`).
    pub max_upload_bytes: u64,
    /// The most matches one search returns.
    pub max_search_matches: usize,
    /// Search skips larger files.
    pub search_max_file_bytes: u64,
    /// A tar.gz download leaves out larger files.
    pub archive_max_file_bytes: u64,
    /// Globs (from the workspace root) whose writes, patches, moves and deletes need a person
    /// to confirm, like a `confirm` policy rule.
    pub protected: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerSettings {
    pub bind: String,
    /// HTTP worker threads; 0 = one per core.
    pub workers: usize,
    pub max_body_bytes: usize,
    pub shutdown_grace_ms: u64,
    pub sse_heartbeat_ms: u64,
    /// A request body must arrive within this long of its headers (else 408 `body_timeout`):
    /// a client trickling bodies cannot hold connections and descriptors open.
    pub body_timeout_ms: u64,
    /// Serve `/metrics` without a token.
    pub metrics_public: bool,
    /// The URL clients reach this server at (e.g. `https://shell.example.com`), written as the
    /// `servers` entry of `/openapi-actions.json`; ChatGPT Actions need it. Empty = none.
    pub public_url: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthSettings {
    pub tokens: Vec<TokenSettings>,
}

/// One bearer token. Exactly one of `value_env`, `sha256`, `value` gives its secret.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenSettings {
    /// Who holds the token; appears in logs and (later) the audit log. Never the secret.
    pub name: String,
    pub role: Role,
    /// This token's approval mode (`untrusted`, `on-request`, `never`); beats its role's.
    #[serde(default)]
    pub approval: Option<ApprovalMode>,
    /// Name of an environment variable holding the token (preferred).
    #[serde(default)]
    pub value_env: Option<String>,
    /// Hex SHA-256 of the token, for config files that must not hold the secret.
    #[serde(default)]
    pub sha256: Option<String>,
    /// The token itself (discouraged outside tests).
    #[serde(default)]
    pub value: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExecSettings {
    pub default_timeout_ms: u64,
    pub max_timeout_ms: u64,
    /// Between SIGTERM and SIGKILL when a command times out.
    pub kill_grace_ms: u64,
    /// How long to keep reading pipes after the command exited (grandchildren can hold them).
    pub drain_ms: u64,
    /// Per stream, kept inline in a response (head + tail).
    pub inline_output_bytes: usize,
    pub max_concurrent: usize,
    /// Commands one token may run at once (capped at `max_concurrent`); its further requests
    /// wait for one of its own slots (then `429 quota_exceeded`), so one caller cannot take
    /// every slot.
    pub max_concurrent_per_token: usize,
    /// Commands one token may start per minute (a token bucket that refills evenly; 0 = no
    /// limit); beyond it `429 rate_limited` with `Retry-After`.
    pub max_per_token_per_minute: u64,
    /// How long a request waits for a free slot before `503 capacity_exceeded`.
    pub queue_timeout_ms: u64,
    /// The most characters one JSON result may have (ChatGPT Actions refuse responses over
    /// 100,000): inline output is cut from the middle to fit, after escaping is counted; a
    /// request may ask for another bound with `maxResponseChars`.
    pub max_response_chars: usize,
    pub max_code_bytes: usize,
    pub max_stdin_bytes: usize,
    /// Shells a request may name in `shell`. The first is the default.
    pub shells: Vec<String>,
    /// Working directory when a request gives none; empty = the server's own.
    pub default_cwd: String,
    /// Server environment variables a child inherits (secret-looking names are dropped anyway).
    pub env_passthrough: Vec<String>,
    /// Variables set for every child.
    pub env_set: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Human,
    Json,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TelemetrySettings {
    pub log_format: LogFormat,
    /// A tracing filter such as `info` or `shellwise=debug,actix_web=warn`; `RUST_LOG` wins.
    pub log_level: String,
}

/// `server.public_url` is what ChatGPT calls: an absolute `https://` URL (plain `http://` only
/// for a loopback host), no query or fragment. Empty = not published.
pub fn check_public_url(url: &str) -> Result<(), String> {
    if url.is_empty() {
        return Ok(());
    }
    let (scheme, rest) = url
        .split_once("://")
        .ok_or_else(|| format!("`{url}` is not an absolute URL like https://shell.example.com"))?;
    let authority = rest.split('/').next().unwrap_or_default();
    let host = match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => authority.rsplit_once(':').map_or(authority, |(h, _)| h),
    };
    let valid_host = !host.is_empty()
        && !authority.contains('@')
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':'));
    if !valid_host {
        return Err(format!("`{url}` has no valid host"));
    }
    if let Some((_, port)) = authority
        .rsplit_once(':')
        .filter(|_| !authority.ends_with(']'))
    {
        if !authority.starts_with('[') && port.parse::<u16>().is_err() {
            return Err(format!("`{url}` has an invalid port"));
        }
    }
    if url.contains('?') || url.contains('#') || url.chars().any(char::is_whitespace) {
        return Err(format!("`{url}` must not have a query, fragment or spaces"));
    }
    let loopback = matches!(host, "localhost" | "127.0.0.1" | "::1");
    match scheme {
        "https" => Ok(()),
        "http" if loopback => Ok(()),
        "http" => Err(format!(
            "`{url}` must be https (ChatGPT Actions call only https; http is for loopback)"
        )),
        other => Err(format!("`{url}`: scheme `{other}` is not https")),
    }
}

impl Settings {
    /// Load defaults, then the file (`path`, or `./shellwise.toml` if it exists), then env.
    pub fn load(path: Option<&Path>) -> anyhow::Result<Settings> {
        Self::load_from(path, std::env::vars())
    }

    /// Like [`Settings::load`] with an injected environment (for tests).
    pub fn load_from(
        path: Option<&Path>,
        env: impl IntoIterator<Item = (String, String)>,
    ) -> anyhow::Result<Settings> {
        let mut builder = config::Config::builder()
            .add_source(config::File::from_str(DEFAULTS, config::FileFormat::Toml));
        match path {
            Some(p) => {
                if !p.is_file() {
                    anyhow::bail!("config file {} does not exist", p.display());
                }
                builder = builder.add_source(
                    config::File::from(p.to_path_buf()).format(config::FileFormat::Toml),
                );
            }
            None => {
                builder = builder.add_source(
                    config::File::with_name("shellwise.toml")
                        .format(config::FileFormat::Toml)
                        .required(false),
                );
            }
        }
        let env_map: std::collections::HashMap<String, String> = env
            .into_iter()
            .filter(|(k, _)| k.starts_with("SHELLWISE__"))
            .collect();
        builder = builder.add_source(
            config::Environment::with_prefix("SHELLWISE")
                .prefix_separator("__")
                .separator("__")
                .try_parsing(true)
                .list_separator(",")
                .with_list_parse_key("exec.shells")
                .with_list_parse_key("exec.env_passthrough")
                .source(Some(env_map)),
        );
        let raw = builder.build().context("failed to read configuration")?;
        let settings: Settings = raw
            .try_deserialize()
            .context("invalid configuration (check key names and types)")?;
        settings.validate()?;
        Ok(settings)
    }

    /// Check values that types alone cannot; every message names the key.
    pub fn validate(&self) -> anyhow::Result<()> {
        let mut errors = Vec::new();
        if self.bind_addr().is_err() {
            errors.push(format!(
                "server.bind: `{}` is not an address like 127.0.0.1:8080",
                self.server.bind
            ));
        }
        if let Err(why) = check_public_url(&self.server.public_url) {
            errors.push(format!("server.public_url: {why}"));
        }
        if self.server.max_body_bytes < 1024 {
            errors.push("server.max_body_bytes: must be at least 1024".to_string());
        }
        if self.server.body_timeout_ms < 50 {
            errors.push("server.body_timeout_ms: must be at least 50".to_string());
        }
        if self.server.sse_heartbeat_ms < 100 {
            errors.push("server.sse_heartbeat_ms: must be at least 100".to_string());
        }
        let e = &self.exec;
        if e.default_timeout_ms == 0 {
            errors.push("exec.default_timeout_ms: must be positive".to_string());
        }
        if e.default_timeout_ms > e.max_timeout_ms {
            errors.push(format!(
                "exec.default_timeout_ms: {} exceeds exec.max_timeout_ms {}",
                e.default_timeout_ms, e.max_timeout_ms
            ));
        }
        if !(1000..=MAX_RESPONSE_CHARS).contains(&e.max_response_chars) {
            errors.push(format!(
                "exec.max_response_chars: must be between 1000 and {MAX_RESPONSE_CHARS}"
            ));
        }
        if e.inline_output_bytes < 256 {
            errors.push("exec.inline_output_bytes: must be at least 256".to_string());
        }
        let l = &self.limits;
        if l.default.output_bytes != 0 && l.default.output_bytes < e.inline_output_bytes as u64 {
            errors.push(
                "limits.default.output_bytes: must be at least exec.inline_output_bytes".into(),
            );
        }
        for (name, d, m) in [
            ("memory_bytes", l.default.memory_bytes, l.max.memory_bytes),
            ("pids", l.default.pids, l.max.pids),
            ("cpu_millis", l.default.cpu_millis, l.max.cpu_millis),
            (
                "cpu_time_secs",
                l.default.cpu_time_secs,
                l.max.cpu_time_secs,
            ),
            (
                "file_size_bytes",
                l.default.file_size_bytes,
                l.max.file_size_bytes,
            ),
            ("open_files", l.default.open_files, l.max.open_files),
            (
                "address_space_bytes",
                l.default.address_space_bytes,
                l.max.address_space_bytes,
            ),
            ("output_bytes", l.default.output_bytes, l.max.output_bytes),
        ] {
            if m != 0 && (d == 0 || d > m) {
                errors.push(format!(
                    "limits.default.{name}: {d} must be within limits.max.{name} ({m}; 0 = unlimited)"
                ));
            }
        }
        if l.default.cpu_millis != 0 && l.default.cpu_millis < 10 {
            errors.push("limits.default.cpu_millis: must be at least 10 (or 0)".into());
        }
        if self.audit.max_bytes < 4096 {
            errors.push("audit.max_bytes: must be at least 4096".to_string());
        }
        if self.policy.confirm_ttl_secs == 0 {
            errors.push("policy.confirm_ttl_secs: must be positive".to_string());
        }
        if !self.policy.approver_role.is_empty() && self.policy.approver().is_none() {
            errors.push(format!(
                "policy.approver_role: `{}` is not a role (viewer, analyst, operator, admin) or empty",
                self.policy.approver_role
            ));
        }
        if self.policy.max_pending == 0 {
            errors.push("policy.max_pending: must be at least 1".to_string());
        }
        for (i, root) in self.workspace.roots.iter().enumerate() {
            if !Path::new(root).is_absolute() || !Path::new(root).is_dir() {
                errors.push(format!(
                    "workspace.roots[{i}]: `{root}` is not an absolute path to a directory"
                ));
            }
        }
        if e.max_concurrent == 0 {
            errors.push("exec.max_concurrent: must be at least 1".to_string());
        }
        if e.max_concurrent_per_token == 0 {
            errors.push("exec.max_concurrent_per_token: must be at least 1".to_string());
        }
        if e.shells.is_empty() {
            errors.push("exec.shells: must name at least one shell".to_string());
        }
        for (i, shell) in e.shells.iter().enumerate() {
            if !Path::new(shell).is_absolute() {
                errors.push(format!(
                    "exec.shells[{i}]: `{shell}` must be an absolute path"
                ));
            }
        }
        if !e.default_cwd.is_empty() && !Path::new(&e.default_cwd).is_dir() {
            errors.push(format!(
                "exec.default_cwd: `{}` is not a directory",
                e.default_cwd
            ));
        }
        for name in e.env_set.keys() {
            if name.is_empty() || name.contains('=') || name.contains('\0') {
                errors.push(format!(
                    "exec.env_set: `{name}` is not a valid variable name"
                ));
            }
        }
        for (i, t) in self.auth.tokens.iter().enumerate() {
            let sources = [&t.value_env, &t.sha256, &t.value]
                .iter()
                .filter(|s| s.is_some())
                .count();
            if sources != 1 {
                errors.push(format!(
                    "auth.tokens[{i}] ({}): set exactly one of value_env, sha256, value",
                    t.name
                ));
            }
            if let Some(h) = &t.sha256 {
                if h.len() != 64 || hex::decode(h).is_err() {
                    errors.push(format!(
                        "auth.tokens[{i}].sha256: must be 64 hex characters"
                    ));
                }
            }
            if t.name.trim().is_empty() {
                errors.push(format!("auth.tokens[{i}].name: must not be empty"));
            }
        }
        self.validate_llm(&mut errors);
        self.validate_jobs(&mut errors);
        if errors.is_empty() {
            Ok(())
        } else {
            anyhow::bail!("invalid configuration:\n  {}", errors.join("\n  "))
        }
    }

    fn validate_jobs(&self, errors: &mut Vec<String>) {
        let j = &self.jobs;
        if j.max_wait_ms > 44_000 {
            errors.push(
                "jobs.max_wait_ms: must be at most 44000 (ChatGPT Actions give up after 45 s)"
                    .to_string(),
            );
        }
        if j.default_wait_ms > j.max_wait_ms {
            errors.push("jobs.default_wait_ms: must be at most jobs.max_wait_ms".to_string());
        }
        if j.max_queued_per_token == 0 {
            errors.push("jobs.max_queued_per_token: must be positive".to_string());
        }
        if j.max_store_bytes < 1 << 20 {
            errors.push("jobs.max_store_bytes: must be at least 1048576".to_string());
        }
        if j.max_output_bytes > j.max_store_bytes {
            errors.push("jobs.max_output_bytes: must be at most jobs.max_store_bytes".to_string());
        }
        if j.retention_secs == 0 {
            errors.push("jobs.retention_secs: must be positive".to_string());
        }
    }

    /// Where the job store lives.
    pub fn jobs_file(&self) -> PathBuf {
        if self.jobs.file.is_empty() {
            self.state_dir().join("jobs.sqlite3")
        } else {
            PathBuf::from(&self.jobs.file)
        }
    }

    fn validate_llm(&self, errors: &mut Vec<String>) {
        let l = &self.llm;
        if l.analysis_timeout_ms == 0 {
            errors.push("llm.analysis_timeout_ms: must be positive".to_string());
        }
        if l.max_prompt_bytes < 1024 {
            errors.push("llm.max_prompt_bytes: must be at least 1024".to_string());
        }
        if l.chat_timeout_ms == 0 {
            errors.push("llm.chat_timeout_ms: must be positive".to_string());
        }
        if l.max_concurrent_analyses == 0 {
            errors.push("llm.max_concurrent_analyses: must be at least 1".to_string());
        }
        let mut seen = std::collections::HashSet::new();
        for (i, p) in l.providers.iter().enumerate() {
            if p.name.trim().is_empty() {
                errors.push(format!("llm.providers[{i}].name: must not be empty"));
            } else if !seen.insert(p.name.as_str()) {
                errors.push(format!(
                    "llm.providers[{i}].name: `{}` is used by another provider",
                    p.name
                ));
            }
            if let Some(url) = &p.base_url {
                if !(url.starts_with("http://") || url.starts_with("https://")) {
                    errors.push(format!(
                        "llm.providers[{i}].base_url: `{url}` is not an http(s) URL"
                    ));
                }
            }
        }
    }

    pub fn bind_addr(&self) -> anyhow::Result<SocketAddr> {
        self.server
            .bind
            .parse()
            .with_context(|| format!("server.bind: `{}` is not an address", self.server.bind))
    }

    /// The state directory, resolved (not created).
    pub fn state_dir(&self) -> PathBuf {
        if !self.state_dir.is_empty() {
            return PathBuf::from(&self.state_dir);
        }
        default_state_dir(
            nix::unistd::geteuid().is_root(),
            std::env::var_os("XDG_STATE_HOME").map(PathBuf::from),
            std::env::var_os("HOME").map(PathBuf::from),
        )
    }
}

fn default_state_dir(root: bool, xdg: Option<PathBuf>, home: Option<PathBuf>) -> PathBuf {
    if root {
        return PathBuf::from("/var/lib/shellwise");
    }
    if let Some(x) = xdg.filter(|p| p.is_absolute()) {
        return x.join("shellwise");
    }
    match home {
        Some(h) => h.join(".local/state/shellwise"),
        None => PathBuf::from(".shellwise"),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn defaults_load_and_validate() {
        let s = Settings::load_from(None, env(&[])).unwrap();
        assert_eq!(s.server.bind, "127.0.0.1:8080");
        assert_eq!(s.exec.default_timeout_ms, 30_000);
        assert_eq!(s.exec.inline_output_bytes, 65_536);
    }

    #[test]
    fn env_overrides_nested_keys() {
        let s = Settings::load_from(
            None,
            env(&[
                ("SHELLWISE__SERVER__BIND", "127.0.0.1:9999"),
                ("SHELLWISE__EXEC__MAX_CONCURRENT", "7"),
                ("SHELLWISE_TOKEN", "ignored-here"),
            ]),
        )
        .unwrap();
        assert_eq!(s.server.bind, "127.0.0.1:9999");
        assert_eq!(s.exec.max_concurrent, 7);
    }

    #[test]
    fn invalid_values_are_reported_by_key() {
        let err = Settings::load_from(
            None,
            env(&[
                ("SHELLWISE__SERVER__BIND", "nowhere"),
                ("SHELLWISE__EXEC__DEFAULT_TIMEOUT_MS", "999999999"),
            ]),
        )
        .unwrap_err();
        let text = format!("{err:#}");
        assert!(text.contains("server.bind"), "{text}");
        assert!(text.contains("exec.default_timeout_ms"), "{text}");
    }

    #[test]
    fn unknown_keys_in_a_file_are_rejected() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bad.toml");
        std::fs::write(&path, "[server]\nbnid = \"127.0.0.1:1\"\n").unwrap();
        let err = Settings::load_from(Some(&path), env(&[])).unwrap_err();
        assert!(format!("{err:#}").contains("bnid"), "{err:#}");
    }

    #[test]
    fn llm_values_are_reported_by_key() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("llm.toml");
        std::fs::write(
            &path,
            "[llm]\nanalysis_timeout_ms = 0\nproviders = [{ name = \"a\", kind = \"ollama\" }, \
             { name = \"a\", kind = \"openai\", base_url = \"ftp://x\" }]\n",
        )
        .unwrap();
        let text = format!(
            "{:#}",
            Settings::load_from(Some(&path), env(&[])).unwrap_err()
        );
        assert!(text.contains("llm.analysis_timeout_ms"), "{text}");
        assert!(text.contains("llm.providers[1].name"), "{text}");
        assert!(text.contains("llm.providers[1].base_url"), "{text}");
    }

    #[test]
    fn approval_modes_load_per_role_and_token_and_bad_ones_name_their_key() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("modes.toml");
        std::fs::write(
            &path,
            "[policy]\napproval = \"never\"\napproval_roles = { operator = \"untrusted\" }\n\
             approver_role = \"admin\"\n[auth]\ntokens = [{ name = \"ci\", role = \"operator\", \
             value = \"x\", approval = \"on-request\" }]\n",
        )
        .unwrap();
        let s = Settings::load_from(Some(&path), env(&[])).unwrap();
        assert_eq!(s.policy.approval, ApprovalMode::Never);
        assert_eq!(
            s.policy.approval_roles,
            [(Role::Operator, ApprovalMode::Untrusted)].into()
        );
        assert_eq!(s.policy.approver(), Some(Role::Admin));
        assert_eq!(s.auth.tokens[0].approval, Some(ApprovalMode::OnRequest));
        let defaults = Settings::load_from(None, env(&[])).unwrap();
        assert_eq!(defaults.policy.approval, ApprovalMode::OnRequest);
        assert_eq!(defaults.policy.approver(), None);

        std::fs::write(&path, "[policy]\napprover_role = \"boss\"\n").unwrap();
        let text = format!(
            "{:#}",
            Settings::load_from(Some(&path), env(&[])).unwrap_err()
        );
        assert!(text.contains("policy.approver_role"), "{text}");
        std::fs::write(&path, "[policy]\napproval = \"sometimes\"\n").unwrap();
        let text = format!(
            "{:#}",
            Settings::load_from(Some(&path), env(&[])).unwrap_err()
        );
        assert!(text.contains("sometimes"), "{text}");
    }

    #[test]
    fn example_file_matches_the_built_in_defaults() {
        let example: toml::Table =
            toml::from_str(include_str!("../shellwise.example.toml")).unwrap();
        let defaults: toml::Table = toml::from_str(DEFAULTS).unwrap();
        assert_eq!(example, defaults);
    }

    #[test]
    fn state_dir_defaults_follow_the_platform_conventions() {
        assert_eq!(
            default_state_dir(true, None, None),
            PathBuf::from("/var/lib/shellwise")
        );
        assert_eq!(
            default_state_dir(false, Some("/x/state".into()), Some("/home/a".into())),
            PathBuf::from("/x/state/shellwise")
        );
        assert_eq!(
            default_state_dir(false, None, Some("/home/a".into())),
            PathBuf::from("/home/a/.local/state/shellwise")
        );
    }
}

#[cfg(test)]
mod public_url_tests {
    use super::check_public_url;

    #[test]
    fn public_urls_are_absolute_https_or_loopback_http() {
        for ok in [
            "",
            "https://shell.example.com",
            "https://shell.example.com:8443/base",
            "http://127.0.0.1:8080",
            "http://localhost:8080",
            "http://[::1]:8080",
        ] {
            assert_eq!(check_public_url(ok), Ok(()), "{ok}");
        }
        for bad in [
            "not a url",
            "shell.example.com",
            "http://shell.example.com",
            "ftp://shell.example.com",
            "https://",
            "https://user@shell.example.com",
            "https://shell.example.com/?x=1",
            "https://shell.example.com:http",
            "https://shell example.com",
        ] {
            assert!(check_public_url(bad).is_err(), "{bad}");
        }
    }
}
