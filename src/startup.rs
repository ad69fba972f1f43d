//! Building and running the application: one [`Application`] for `serve` and for every test.

use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;
use std::time::Duration;

use actix_web::dev::Server;
use actix_web::middleware::from_fn;
use actix_web::{web, App, HttpServer};
use anyhow::Context;

use crate::api;
use crate::auth::{TokenOrigin, TokenStore};
use crate::config::{CgroupsSetting, LlmSettings, Settings};
use crate::llm::Router;
use crate::service::analyze::{Analyzer, HeuristicAnalyzer};
use crate::service::confine::{KernelSandbox, KernelSandboxOptions};
use crate::service::llm_analyzer::LlmAnalyzer;
use crate::service::policy_gate::{PolicyEngine, PolicySource};
use crate::service::redaction;
use crate::service::seams::{OutputFilter, Passthrough};
use crate::service::selection::SelectionStore;
use crate::service::{ExecService, Seams};
use crate::telemetry;

/// A bound, not yet running, server.
pub struct Application {
    port: u16,
    server: Server,
    service: Arc<ExecService>,
}

/// Refuse to expose a server on the network with only a generated token: whoever reads the
/// state dir or the console would own the machine. Loopback is fine.
pub fn check_exposure(addr: &SocketAddr, origin: &TokenOrigin) -> anyhow::Result<()> {
    if addr.ip().is_loopback() || *origin == TokenOrigin::Configured {
        return Ok(());
    }
    anyhow::bail!(
        "refusing to bind {addr} (not loopback) without a configured token: set SHELLWISE_TOKEN \
         or auth.tokens, or bind 127.0.0.1"
    )
}

/// Make the state directory private whatever created it: the directory 0700, every regular
/// file in it 0600 (the audit log holds every caller's command text; the generated token is
/// the admin's). Symlinks are not followed; they are refused, since only a command could
/// have planted one.
pub fn secure_state_dir(dir: &std::path::Path) -> anyhow::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::create_dir_all(dir)
        .with_context(|| format!("failed to create state dir {}", dir.display()))?;
    let meta = std::fs::symlink_metadata(dir)?;
    anyhow::ensure!(
        meta.is_dir(),
        "state dir {} is not a directory (a symlink?)",
        dir.display()
    );
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
        .with_context(|| format!("failed to make {} private", dir.display()))?;
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let kind = entry.file_type()?;
        if kind.is_symlink() {
            anyhow::bail!(
                "{} is a symlink; the state dir must hold only the server's own files",
                entry.path().display()
            );
        }
        if kind.is_file() {
            std::fs::set_permissions(entry.path(), std::fs::Permissions::from_mode(0o600))
                .with_context(|| format!("failed to make {} private", entry.path().display()))?;
        }
    }
    Ok(())
}

/// Building the app (settings, documents, rule sets, every pattern compiled once to check it
/// and then dropped until a command needs it, one app per worker) and bursts of work leave
/// freed heap behind that the allocator keeps; hand it back, so an idle server is as small as
/// it looks.
fn release_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free memory to the kernel; no pointer is touched.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Compose the seams `serve` uses, as configured: the redactor (installed process-wide for
/// logs and problem details), the kernel sandbox, the policy engine, one LLM router and the
/// analyzer on top of it. Services receive their peers; they never build them.
pub fn seams_from_settings(settings: &Settings) -> anyhow::Result<Seams> {
    let filter: Arc<dyn OutputFilter> = if settings.redaction.enabled {
        let redactor = Arc::new(redaction::build(&settings.redaction, std::env::vars())?);
        let redactor = crate::redact::global::install_global(redactor);
        Arc::new(redaction::RedactFilter::new(redactor))
    } else {
        Arc::new(Passthrough)
    };
    let sandbox = KernelSandbox::new(KernelSandboxOptions {
        default_limits: settings.limits.default,
        cgroups: settings.limits.cgroups == CgroupsSetting::Auto,
        pid_namespace: settings.limits.pid_namespace,
        ipc_namespace: settings.limits.ipc_namespace,
        private_tmp: settings.limits.private_tmp,
        tmp_size_bytes: settings.limits.tmp_size_bytes,
        landlock: settings.limits.landlock,
        landlock_read_only: settings.limits.landlock_read_only.clone(),
        landlock_read_write: settings.limits.landlock_read_write.clone(),
        seccomp: settings.limits.seccomp,
    });
    let policy = PolicyEngine::new(PolicySource::parse(&settings.policy.file))?;
    let router = Arc::new(build_router(&settings.llm));
    let analyzer: Arc<dyn Analyzer> = if router.is_empty() {
        Arc::new(HeuristicAnalyzer)
    } else {
        Arc::new(LlmAnalyzer::new(router.clone(), &settings.llm))
    };
    secure_state_dir(&settings.state_dir())?;
    let jobs =
        crate::jobs::SqliteStore::open(&settings.jobs_file(), settings.jobs.max_store_bytes)?;
    Ok(Seams {
        policy: Arc::new(policy),
        sandbox: Arc::new(sandbox),
        filter,
        analyzer,
        router,
        jobs: Arc::new(jobs),
    })
}

/// The router from `[llm]`, with API keys from the process environment. Configuration is
/// validated at load, so a failure here is rare (e.g. no TLS backend); it is logged and the
/// server runs without LLM rather than not at all.
fn build_router(llm: &LlmSettings) -> Router {
    match Router::new(llm.providers.clone(), |var| std::env::var(var).ok()) {
        Ok(r) => r,
        Err(e) => {
            tracing::error!(error = %e, "cannot build the LLM router; running without LLM");
            Router::empty()
        }
    }
}

impl Application {
    /// Bind `settings.server.bind` (port 0 picks a free port) and build the app.
    pub fn build(settings: Settings, tokens: TokenStore, seams: Seams) -> anyhow::Result<Self> {
        secure_state_dir(&settings.state_dir())?;
        let addr = settings.bind_addr()?;
        let listener = TcpListener::bind(addr).with_context(|| format!("failed to bind {addr}"))?;
        let port = listener.local_addr()?.port();
        let router = seams.router.clone();
        let selection = SelectionStore::new(&settings.state_dir());
        selection.load_into(&router);
        let router_data = web::Data::from(router);
        let selection = web::Data::new(selection);
        let service = Arc::new(ExecService::new(&settings, seams)?);
        service.recover_jobs()?;
        let service_data = web::Data::from(service.clone());
        let tokens = web::Data::new(tokens);
        let http = web::Data::new(api::HttpSettings {
            sse_heartbeat_ms: settings.server.sse_heartbeat_ms,
            body_timeout_ms: settings.server.body_timeout_ms,
            chat_timeout_ms: settings.llm.chat_timeout_ms,
        });
        let json = api::problems::json_config(settings.server.max_body_bytes);
        let query = api::problems::query_config();
        let metrics_public = settings.server.metrics_public;
        let features = settings.features;
        let actions = web::Data::new(api::ActionsDocument(
            api::openapi_actions(
                &features,
                &settings.server.public_url,
                settings.jobs.max_wait_ms,
            )
            .map(|doc| serde_json::to_string_pretty(&doc).unwrap_or_default()),
        ));
        let served = web::Data::new(api::ServedDocument::new(&features));
        // Install the recorder before the first request.
        let _ = telemetry::metrics_handle();
        let mut server = HttpServer::new(move || {
            App::new()
                .app_data(service_data.clone())
                .app_data(tokens.clone())
                .app_data(router_data.clone())
                .app_data(selection.clone())
                .app_data(http.clone())
                .app_data(actions.clone())
                .app_data(served.clone())
                .app_data(json.clone())
                .app_data(query.clone())
                .configure(|cfg| api::configure(cfg, metrics_public))
                .default_service(web::to(api::problems::not_found))
                .wrap(from_fn(api::problems::body_deadline))
                .wrap(from_fn(telemetry::observe))
        })
        .on_connect(api::peer::remember_peer_socket)
        .shutdown_timeout(settings.server.shutdown_grace_ms.div_ceil(1000).max(1));
        if settings.server.workers > 0 {
            server = server.workers(settings.server.workers);
        }
        let server = server.listen(listener)?.run();
        release_free_memory();
        Ok(Self {
            port,
            server,
            service,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn service(&self) -> Arc<ExecService> {
        self.service.clone()
    }

    /// A handle that stops the server gracefully (what SIGTERM does).
    pub fn handle(&self) -> actix_web::dev::ServerHandle {
        self.server.handle()
    }

    /// Serve until SIGTERM/SIGINT (or the handle stops it): stop accepting, let in-flight
    /// requests finish within `server.shutdown_grace_ms`, then kill every command still running.
    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        let service = self.service.clone();
        // SIGHUP re-reads the policy; a bad file keeps the old one.
        let on_hup = service.clone();
        let hup = tokio::spawn(async move {
            use tokio::signal::unix::{signal, SignalKind};
            let Ok(mut hangups) = signal(SignalKind::hangup()) else {
                return;
            };
            while hangups.recv().await.is_some() {
                let _ = on_hup.reload_policy();
            }
        });
        // Once the workers have built their apps, then every minute.
        let trim = tokio::spawn(async {
            tokio::time::sleep(Duration::from_secs(1)).await;
            let mut every = tokio::time::interval(Duration::from_secs(60));
            loop {
                every.tick().await;
                release_free_memory();
            }
        });
        // The workspace janitor: expired workspaces go, quotas are measured.
        let swept = std::sync::Arc::downgrade(&service);
        let janitor = tokio::spawn(async move {
            let mut every = tokio::time::interval(Duration::from_secs(30));
            loop {
                every.tick().await;
                let Some(service) = swept.upgrade() else {
                    return;
                };
                service.sweep_workspaces().await;
            }
        });
        let result = self.server.await;
        janitor.abort();
        trim.abort();
        hup.abort();
        service.begin_shutdown();
        let killed = service.shutdown();
        if killed > 0 {
            tracing::warn!(killed, "killed commands still running at shutdown");
        }
        // Give the supervisors a moment to reap what was killed.
        tokio::time::sleep(Duration::from_millis(50)).await;
        result.context("server failed")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_may_run_on_a_generated_token() {
        let generated = TokenOrigin::Generated {
            path: "/x".into(),
            token: "t".into(),
        };
        let cases = [
            ("127.0.0.1:8080", TokenOrigin::Configured, true),
            ("127.0.0.1:8080", generated.clone(), true),
            ("[::1]:8080", generated.clone(), true),
            ("0.0.0.0:8080", generated.clone(), false),
            ("0.0.0.0:8080", TokenOrigin::Stored("/x".into()), false),
            ("0.0.0.0:8080", TokenOrigin::Configured, true),
        ];
        for (addr, origin, ok) in cases {
            let addr: SocketAddr = addr.parse().unwrap_or_else(|_| unreachable!());
            assert_eq!(
                check_exposure(&addr, &origin).is_ok(),
                ok,
                "{addr} {origin:?}"
            );
        }
    }
}
