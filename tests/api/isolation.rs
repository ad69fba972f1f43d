//! [isolation] through the API: what a child inherits from the server. Each test is an attack
//! or a mistake a caller could make, run for real; the uid-drop case needs root and skips with
//! the reason otherwise (a failure under SHELLWISE_REQUIRE_CGROUPS=1, as in CI).

use serde_json::json;

use crate::helpers::{spawn_app, spawn_app_with, OPERATOR};

#[tokio::test]
async fn children_get_sigpipe_and_every_other_signal_back_to_default() {
    // The Rust runtime ignores SIGPIPE and an ignored disposition survives execve: `yes`
    // would then see EPIPE and complain instead of dying quietly when `head` leaves.
    let app = spawn_app().await;
    let r = app
        .exec(json!({"command": "yes | head -1; grep SigIgn /proc/self/status"}))
        .await;
    assert_eq!(r["stdout"], "y\nSigIgn:\t0000000000000000\n");
    assert_eq!(r["stderr"], "");
    assert_eq!(r["exitCode"], 0);
}

#[tokio::test]
async fn a_child_that_changed_user_still_dies_with_the_server() {
    // prctl(2): the parent-death signal is cleared when the credentials change, so it must be
    // armed after the drop to the unprivileged user, or a crash of the server orphans it.
    if !nix::unistd::geteuid().is_root() {
        let why = "not root: children do not change user";
        if std::env::var("SHELLWISE_REQUIRE_CGROUPS").as_deref() == Ok("1") {
            panic!("a_child_that_changed_user_still_dies_with_the_server: {why}");
        }
        eprintln!("SKIP a_child_that_changed_user_still_dies_with_the_server: {why}");
        return;
    }
    let app = spawn_app().await;
    let code = "import ctypes, os\n\
        libc = ctypes.CDLL(None)\n\
        sig = ctypes.c_int(-1)\n\
        libc.prctl(2, ctypes.byref(sig), 0, 0, 0)\n\
        print(os.getuid() != 0, sig.value)";
    let r = app.exec(json!({"code": code, "language": "python"})).await;
    assert_eq!(r["stdout"], "True 9\n", "{r}");
}

#[tokio::test]
async fn the_state_dir_is_private_whatever_made_it_and_commands_cannot_read_the_audit_log() {
    use std::os::unix::fs::PermissionsExt;
    // A state dir left world-readable (as SHELLWISE_TOKEN set used to leave it), with an
    // audit log any command could read.
    let state = tempfile::tempdir().unwrap();
    let dir = state.path().to_path_buf();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    let audit = dir.join("audit.log");
    std::fs::write(&audit, "{\"what\":\"an earlier caller's command\"}\n").unwrap();
    std::fs::set_permissions(&audit, std::fs::Permissions::from_mode(0o644)).unwrap();

    let state_dir = dir.display().to_string();
    let app = spawn_app_with(move |s| s.state_dir = state_dir).await;
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!((mode(&dir), mode(&audit)), (0o700, 0o600));

    if !nix::unistd::geteuid().is_root() {
        eprintln!("SKIP the child-read half: not root, children run as the server's own user");
        return;
    }
    let r = app
        .exec(json!({"argv": ["cat", audit.display().to_string()]}))
        .await;
    assert_eq!(r["stdout"], "");
    assert_eq!(r["exitCode"], 1);
    // The new decision records went to the same private file.
    assert_eq!(mode(&audit), 0o600);
}

#[tokio::test]
async fn an_environment_too_big_for_execve_is_a_400_naming_it_not_a_500() {
    let app = spawn_app().await;
    let big = "x".repeat(200 * 1024);
    let (status, body) = app
        .post(
            "/v1/exec",
            OPERATOR,
            &json!({"command": "echo never", "env": {"BIG": big}}),
        )
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (400, Some("invalid_request")),
        "{body}"
    );
    assert_eq!(
        body["detail"],
        "`env.BIG` is 204804 bytes; one variable may be at most 131071 bytes (the kernel's \
         MAX_ARG_STRLEN)"
    );
}

#[tokio::test]
async fn an_audit_log_that_cannot_be_written_shows_in_readyz() {
    // A failed audit write never fails the request, so readiness must say records are lost.
    let app =
        spawn_app_with(|s| s.audit.file = "/proc/shellwise-no-such-dir/audit.log".into()).await;
    let r = app.exec(json!({"command": "true"})).await;
    assert_eq!(r["exitCode"], 0);
    let (_, ready) = app.get_public("/readyz").await;
    // One decision record and one outcome record, both lost.
    assert_eq!(ready["audit"]["failedWrites"], 2, "{ready}");
    assert_eq!(
        ready["audit"]["path"],
        "/proc/shellwise-no-such-dir/audit.log"
    );
    assert!(ready["audit"]["lastError"].is_string(), "{ready}");
}
