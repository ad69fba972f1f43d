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
    /// Run a CI step and explain its failure in the CI's own format.
    ///
    /// Runs COMMAND with its output passed through live (redacted) and exits with its exit
    /// code (128+n when signal n killed it; 127 when it cannot be found). When it fails,
    /// prints an analysis: GitHub Actions annotations, a folded group and a job summary;
    /// GitLab a collapsible section and a Code Quality report; else plain text on stderr.
    /// With --log FILE --exit-code N it analyzes a log a step already wrote and exits N.
    ///
    ///   shellwise ci -- cargo test --locked
    ///   make 2>&1 | tee build.log; shellwise ci --log build.log --exit-code "${PIPESTATUS[0]}"
    #[command(verbatim_doc_comment)]
    Ci(CiArgs),
}

#[derive(clap::Args)]
struct CiArgs {
    /// Output conventions: auto detects GitHub Actions and GitLab CI from the environment.
    #[arg(long, value_enum, default_value = "auto", env = "SHELLWISE_CI_FORMAT")]
    format: shellwise::ci::Format,
    /// The step's name in reports (default: its command line).
    #[arg(long)]
    name: Option<String>,
    /// A shellwise server that analyses the failure (with its LLM, if it has one); the token
    /// comes from SHELLWISE_TOKEN. Falls back to the built-in analysis if it fails.
    #[arg(long, value_name = "URL", env = "SHELLWISE_SERVER")]
    server: Option<String>,
    /// Analyze this log of a step that already ran, instead of running a command.
    #[arg(
        long,
        value_name = "FILE",
        requires = "exit_code",
        conflicts_with = "command"
    )]
    log: Option<PathBuf>,
    /// With --log: the exit code the step ended with.
    #[arg(long, value_name = "N", requires = "log")]
    exit_code: Option<i32>,
    /// GitLab: where the Code Quality report is written.
    #[arg(
        long,
        value_name = "FILE",
        default_value = "gl-code-quality-report.json"
    )]
    code_quality: PathBuf,
    /// GitHub: where the job summary is appended (default: $GITHUB_STEP_SUMMARY).
    #[arg(long, value_name = "FILE")]
    step_summary: Option<PathBuf>,
    /// The step's command and its arguments (after `--`).
    #[arg(last = true, value_name = "COMMAND")]
    command: Vec<String>,
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
        Command::Ci(args) => ci(args),
        Command::Serve { config, bind } => match serve(config, bind) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("shellwise: {e:#}");
                ExitCode::FAILURE
            }
        },
    }
}

fn ci(args: CiArgs) -> ExitCode {
    use shellwise::ci::{Input, Options};
    let input = match (args.log, args.exit_code) {
        (Some(path), Some(exit_code)) => Input::Log { path, exit_code },
        _ if args.command.is_empty() => {
            eprintln!("shellwise ci: no command given: use `shellwise ci -- <command> [args...]` or --log FILE --exit-code N");
            return ExitCode::from(127);
        }
        _ => Input::Run(args.command),
    };
    let opts = Options {
        input,
        format: args.format,
        name: args.name,
        server: args.server,
        token: std::env::var("SHELLWISE_TOKEN").ok(),
        code_quality: args.code_quality,
        step_summary: args.step_summary,
        cwd: std::env::current_dir().unwrap_or_else(|_| PathBuf::from(".")),
    };
    let env: Vec<(String, String)> = std::env::vars_os()
        .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
        .collect();
    let code = shellwise::ci::main(&opts, &env);
    // Exit codes are 0..=255 to the shell; anything else wraps as it would in a shell.
    ExitCode::from((code & 0xff) as u8)
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
