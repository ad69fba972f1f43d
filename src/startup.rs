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
use crate::config::Settings;
use crate::service::selection::SelectionStore;
use crate::service::{ExecService, Seams};
use crate::telemetry;

/// HTTP settings handlers read at request time.
#[derive(Debug, Clone)]
pub struct HttpSettings {
    pub sse_heartbeat_ms: u64,
    /// Deadline of a `/v1/chat` answer.
    pub chat_timeout_ms: u64,
}

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

impl Application {
    /// Bind `settings.server.bind` (port 0 picks a free port) and build the app.
    pub fn build(settings: Settings, tokens: TokenStore, seams: Seams) -> anyhow::Result<Self> {
        let addr = settings.bind_addr()?;
        let listener = TcpListener::bind(addr).with_context(|| format!("failed to bind {addr}"))?;
        let port = listener.local_addr()?.port();
        let router = seams.router.clone();
        let selection = SelectionStore::new(&settings.state_dir());
        selection.load_into(&router);
        let router_data = web::Data::from(router);
        let selection = web::Data::new(selection);
        let service = Arc::new(ExecService::new(&settings, seams)?);
        let service_data = web::Data::from(service.clone());
        let tokens = web::Data::new(tokens);
        let http = web::Data::new(HttpSettings {
            sse_heartbeat_ms: settings.server.sse_heartbeat_ms,
            chat_timeout_ms: settings.llm.chat_timeout_ms,
        });
        let json = api::problems::json_config(settings.server.max_body_bytes);
        let metrics_public = settings.server.metrics_public;
        let features = settings.features;
        let actions = web::Data::new(api::ActionsDocument(
            serde_json::to_string_pretty(&api::openapi_actions(
                &features,
                &settings.server.public_url,
            ))
            .unwrap_or_default(),
        ));
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
                .app_data(json.clone())
                .configure(|cfg| api::routes(cfg, metrics_public, features))
                .default_service(web::to(api::problems::not_found))
                .wrap(from_fn(telemetry::observe))
        })
        .on_connect(crate::api::exec::remember_peer_socket)
        .shutdown_timeout(settings.server.shutdown_grace_ms.div_ceil(1000).max(1));
        if settings.server.workers > 0 {
            server = server.workers(settings.server.workers);
        }
        let server = server.listen(listener)?.run();
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
        let result = self.server.await;
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
