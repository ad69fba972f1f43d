//! The `shellwise` command: parse arguments, load settings, start telemetry, run.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use shellwise::auth::{TokenOrigin, TokenStore};
use shellwise::config::Settings;
use shellwise::startup::{check_exposure, seams_from_settings, Application};

/// Run shell commands, programs and code over HTTP — safely — and learn why they failed.
///
/// Start the server with `shellwise serve`, then call it with a bearer token:
///
///   curl -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
///        -d '{"command":"echo hi"}' http://127.0.0.1:8080/v1/exec
///
/// API docs are served at /docs (Swagger UI) and /openapi.json.
#[derive(Parser)]
#[command(name = "shellwise", version, about, long_about, verbatim_doc_comment)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Start the HTTP server.
    ///
    /// Settings come from built-in defaults, then ./shellwise.toml (or --config), then
    /// environment variables SHELLWISE__SECTION__KEY (e.g. SHELLWISE__SERVER__BIND).
    /// SHELLWISE_TOKEN=... adds an admin token; with no token configured at all, one is
    /// generated, printed once, and kept in the state directory.
    Serve {
        /// A TOML config file (see shellwise.example.toml).
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
        /// Address to listen on, e.g. 127.0.0.1:8080 (overrides server.bind).
        #[arg(long, value_name = "ADDR")]
        bind: Option<String>,
    },
    /// Print the OpenAPI 3.1 document to stdout.
    Openapi,
}

fn main() -> ExitCode {
    // glibc gives every thread that allocates its own arena; a small server does not need
    // more than two, and each idle arena costs resident memory.
    // SAFETY: mallopt before any other thread exists.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
    let cli = Cli::parse();
    match cli.command {
        Command::Openapi => {
            print!("{}", shellwise::api::openapi_json());
            ExitCode::SUCCESS
        }
        Command::Serve { config, bind } => match serve(config, bind) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("shellwise: {e:#}");
                ExitCode::FAILURE
            }
        },
    }
}

/// Open-file soft limit up to the hard limit: every connection and every running command's
/// pipes cost descriptors, and the default soft limit (1024) is what a flood exhausts first.
/// Children get their own `limits.*.open_files`.
fn raise_fd_limit() {
    use nix::sys::resource::{getrlimit, setrlimit, Resource};
    if let Ok((soft, hard)) = getrlimit(Resource::RLIMIT_NOFILE) {
        if soft < hard {
            let _ = setrlimit(Resource::RLIMIT_NOFILE, hard, hard);
        }
    }
}

fn serve(config: Option<PathBuf>, bind: Option<String>) -> anyhow::Result<()> {
    let mut settings = Settings::load(config.as_deref())?;
    if let Some(bind) = bind {
        settings.server.bind = bind;
        settings.validate()?;
    }
    shellwise::telemetry::init_tracing(&settings.telemetry);
    raise_fd_limit();
    let state_dir = settings.state_dir();
    let (tokens, origin) = TokenStore::load(
        &settings.auth,
        std::env::var("SHELLWISE_TOKEN").ok(),
        |k| std::env::var(k).ok(),
        &state_dir,
    )?;
    check_exposure(&settings.bind_addr()?, &origin)?;
    match &origin {
        TokenOrigin::Generated { path, token } => eprintln!(
            "shellwise: no token configured; generated an admin token (shown once, kept in {}):\n\n    {token}\n",
            path.display()
        ),
        TokenOrigin::Stored(path) => eprintln!(
            "shellwise: using the admin token stored in {} (set SHELLWISE_TOKEN or auth.tokens to choose your own)",
            path.display()
        ),
        TokenOrigin::Configured => {}
    }
    actix_web::rt::System::new().block_on(async move {
        let seams = seams_from_settings(&settings)?;
        let app = Application::build(settings, tokens, seams)?;
        tracing::info!(port = app.port(), "shellwise listening");
        app.run_until_stopped().await
    })
}
