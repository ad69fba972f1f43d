#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Hostile-input tests: the parser and policy never panic and stay fast on random and
//! adversarial text (deep nesting, megabytes of quotes and backslashes).

use std::time::{Duration, Instant};

use super::shell::{self, Context};
use super::*;

/// Generous bound so the test is not flaky on a loaded 2-core machine; real numbers are
/// printed and are in the low milliseconds.
const BOUND: Duration = Duration::from_secs(2);

/// xorshift64*: small deterministic PRNG so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const ATOMS: &[&str] = &[
    "rm",
    " -rf ",
    "/",
    "~",
    "$HOME",
    "'",
    "\"",
    "\\",
    "$'",
    "$(",
    ")",
    "(",
    "`",
    "{",
    "}",
    ";",
    "&&",
    "||",
    "|",
    "&",
    "\n",
    "<",
    ">",
    ">>",
    "2>&1",
    "<<",
    "EOF",
    "<<<",
    "$",
    "${",
    "x",
    "=",
    "sudo ",
    "bash -c ",
    "eval ",
    "find / -exec ",
    "\\;",
    "{a,b}",
    "*",
    "#",
    " ",
    "if ",
    "then ",
    "fi",
    "case ",
    " in ",
    "esac",
    "do ",
    "done",
    "f()",
    "$((",
    "))",
    "<(",
    ">(",
    "python3 -c ",
    "os.system(\"",
    "xargs ",
    "env -S ",
    "\t",
    "\u{1}",
    "é",
    "$IFS",
    " -u",
    " -c",
    " -e",
    " -exec ",
    "timeout ",
    "env ",
    "nice -n",
    "xargs -I",
    "perl -e ",
    "su -c ",
    " --",
    "chroot ",
    "sudo -u",
    "find",
    "awk ",
    "ssh ",
    "node -e ",
    "watch ",
    "flock ",
    "stdbuf -o",
    "exec -a",
    "command -v",
    "-",
    "--user=",
    "$'\\x",
    "\\",
    "!",
];

fn random_input(rng: &mut Rng) -> String {
    let n = rng.below(60);
    let mut s = String::new();
    for _ in 0..n {
        if rng.below(8) == 0 {
            // Raw random bytes that are valid UTF-8 chars.
            let c = char::from_u32(rng.below(0x250) as u32).unwrap_or('?');
            s.push(c);
        } else {
            s.push_str(ATOMS[rng.below(ATOMS.len())]);
        }
    }
    s
}

fn check_shell(p: &Policy, text: &str) -> (Decision, Duration) {
    let t = Instant::now();
    let d = p.check(&CheckInput {
        subject: Subject::Shell {
            text,
            shell: "bash",
        },
        cwd: None,
        env: &[],
        role: "admin",
    });
    (d, t.elapsed())
}

#[test]
fn random_inputs_never_panic_and_always_give_a_reasoned_decision() {
    let p = Policy::permissive();
    let mut rng = Rng(0x5EED_1234_ABCD_0001);
    let start = Instant::now();
    let mut worst = Duration::ZERO;
    for _ in 0..50_000 {
        let s = random_input(&mut rng);
        let (d, t) = check_shell(&p, &s);
        worst = worst.max(t);
        assert!(!d.rule_id.is_empty() && !d.reason.is_empty(), "{s:?}");
        // Anything that mentions a recursive root delete after parsing must never be allowed
        // silently when it was parsed as a command.
        for c in &d.commands {
            if c.argv.len() == 3 && c.argv[0] == "rm" && c.argv[1] == "-rf" && c.argv[2] == "/" {
                assert_eq!(c.decision, Action::Deny, "{s:?}");
            }
        }
    }
    println!(
        "50000 random checks in {:?}, worst {worst:?}",
        start.elapsed()
    );
    assert!(worst < BOUND);
}

#[test]
fn hostile_inputs_finish_fast_without_stack_overflow() {
    let big = 1 << 20;
    let cases: Vec<(&str, String)> = vec![
        ("100k (", "(".repeat(100_000)),
        ("100k $(", "$(".repeat(100_000)),
        ("100k `", "`".repeat(100_000)),
        ("100k {", "{ ".repeat(100_000)),
        ("100k ${", "${".repeat(100_000)),
        ("1MB quotes", "'\"".repeat(big / 2)),
        ("1MB backslashes", "\\".repeat(big)),
        ("1MB single quote open", format!("'{}", "a".repeat(big))),
        ("1MB semicolons", ";".repeat(big)),
        ("1MB pipes", "a|".repeat(big / 2)),
        ("1MB braces", "{a,b}".repeat(big / 5)),
        ("nested bash -c", {
            let mut s = "rm -rf /".to_string();
            for _ in 0..9 {
                s = format!("bash -c {}", shell_quote(&s));
            }
            s
        }),
        ("nested backticks", {
            let mut s = "rm -rf /".to_string();
            for _ in 0..14 {
                s = format!("echo `{}`", s.replace('\\', "\\\\").replace('`', "\\`"));
            }
            s
        }),
        ("many commands", "ls;".repeat(50_000)),
        ("many heredocs", "cat <<E\n".repeat(20_000)),
        ("brace bomb", "{a,b}".repeat(60)),
        (
            "brace groups in a long word",
            format!("{}{}", "{a,b}".repeat(30), "x".repeat(60_000)),
        ),
        ("many brace words", "{a,b,c,d,e,f,g,h} ".repeat(8_000)),
        ("wrapper options at end", "sudo -u".to_string()),
        (
            "trailing wrappers",
            "timeout\nenv -u\nnice -n\nxargs -I\nchroot\nsu -c\nfind . -exec".to_string(),
        ),
    ];
    let parser_ctx = Context {
        cwd: Some("/".into()),
        ..Context::default()
    };
    for (name, text) in &cases {
        // Straight into the parser, bypassing the policy's input cap.
        let t = Instant::now();
        let parsed = shell::parse(text, &parser_ctx);
        let parse_time = t.elapsed();
        // And through the policy with a raised cap.
        let policy = Policy::from_toml(
            &include_str!("../../policies/default.toml")
                .replace("max_input_bytes = 65536", "max_input_bytes = 4194304"),
            "big.toml",
        )
        .unwrap();
        let (d, check_time) = check_shell(&policy, text);
        println!(
            "{name:>24}: {} bytes, parse {parse_time:?} ({} commands, error {:?}), check {check_time:?} -> {:?}/{}",
            text.len(),
            parsed.commands.len(),
            parsed.error.as_deref().map(|e| e.chars().take(40).collect::<String>()),
            d.decision,
            d.rule_id
        );
        assert!(parse_time < BOUND, "{name}: parse took {parse_time:?}");
        assert!(check_time < BOUND, "{name}: check took {check_time:?}");
        assert!(parsed.commands.len() <= shell::MAX_COMMANDS);
    }
}

#[test]
fn deep_nesting_is_unparseable_not_a_crash() {
    let p = Policy::permissive();
    for open in ["(", "$(", "{ "] {
        let (d, _) = check_shell(&p, &open.repeat(100_000));
        // Input cap (64 KiB) or nesting cap: either way never allowed silently.
        assert_ne!(d.decision, Action::Allow, "{open}");
    }
    let nested = format!("{}rm -rf /{}", "( ".repeat(200), " )".repeat(200));
    let (d, _) = check_shell(&p, &nested);
    assert_eq!(
        (d.decision, d.rule_id.as_str()),
        (Action::Confirm, "unparseable")
    );
    let ok = format!("{}ls{}", "( ".repeat(20), " )".repeat(20));
    let (d, _) = check_shell(&p, &ok);
    assert_eq!((d.decision, d.rule_id.as_str()), (Action::Allow, "default"));
}

#[test]
fn wrapper_chains_deeper_than_eight_are_unparseable() {
    let p = Policy::permissive();
    let seven = format!("{}ls", "sudo ".repeat(7));
    let (d, _) = check_shell(&p, &seven);
    assert_eq!((d.decision, d.rule_id.as_str()), (Action::Allow, "default"));
    let nine = format!("{}ls", "sudo ".repeat(9));
    let (d, _) = check_shell(&p, &nine);
    assert_eq!(
        (d.decision, d.rule_id.as_str()),
        (Action::Confirm, "unparseable")
    );
    // The deep chain still reports a denial it reached before the cap.
    let deep = format!("rm -rf / ; {}ls", "nice ".repeat(12));
    let (d, _) = check_shell(&p, &deep);
    assert_eq!(
        (d.decision, d.rule_id.as_str()),
        (Action::Deny, "rm-recursive-system")
    );
}

fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}
