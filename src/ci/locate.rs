//! Finds the source locations a failed step's output names: compiler diagnostics
//! (`path:line:col: message`, rustc's `--> path:line:col`, `path(line,col): error`, Maven's
//! `path:[line,col]`) and stack frames (Python's `File "path", line N`, Node's
//! `at f (path:line:col)`). Pure: the caller says which paths exist.

use std::path::Path;
use std::sync::LazyLock;

use regex::Regex;

/// A place in a file the output points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// Relative to the step's working directory, `/`-separated.
    pub path: String,
    /// 1-based.
    pub line: u32,
    /// 1-based, when the tool gave one.
    pub col: Option<u32>,
    /// The diagnostic's own message (for frames: the frame line itself).
    pub message: String,
    /// A diagnostic names the problem itself; a frame is where an exception passed through.
    pub kind: Kind,
}

/// What kind of line a [`Location`] came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A compiler, linter or test runner reporting a problem at that place.
    Diagnostic,
    /// A stack-trace frame printed last-call-last (Python): the last one is innermost.
    Frame,
    /// A stack-trace frame printed innermost-first (Node): the first of a trace is innermost.
    FrameFirst,
}

/// Most locations reported for one step.
pub const MAX_LOCATIONS: usize = 10;

// The path part: no spaces, quotes, parentheses or colons, and a file extension, so URLs
// (`http://host:80`) and timestamps (`12:30:01`) do not match.
const PATH: &str = r#"[^\s:()'"\[\]<>]*[^\s:()'"\[\]<>./]\.[A-Za-z0-9]{1,10}"#;

static COLON: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^\s*(?:\[(?:ERROR|error)\]\s*)?(?P<path>{PATH}):(?:(?P<line>\d+)(?::(?P<col>\d+))?|\[(?P<mline>\d+),(?P<mcol>\d+)\]):?\s*(?P<msg>.*)$"
    ))
    .ok()
});
static ARROW: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^\s*-->\s*(?P<path>{PATH}):(?P<line>\d+)(?::(?P<col>\d+))?\s*$"
    ))
    .ok()
});
static PARENS: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^\s*(?P<path>{PATH})\((?P<line>\d+),(?P<col>\d+)\):\s*(?P<msg>.*)$"
    ))
    .ok()
});
static PY_FRAME: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r#"^\s*File "(?P<path>[^"]+)", line (?P<line>\d+)"#).ok());
static JS_FRAME: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^\s*at (?:.*\()?(?:file://)?(?P<path>{PATH}):(?P<line>\d+):(?P<col>\d+)\)?\s*$"
    ))
    .ok()
});

/// Messages that are not the problem itself: notes and warnings beside an error.
fn is_aside(message: &str) -> bool {
    let m = message.trim_start().to_ascii_lowercase();
    [
        "warning",
        "note",
        "info",
        "help",
        "in function",
        "in file included",
    ]
    .iter()
    .any(|p| m.starts_with(p))
}

/// The locations `lines` name, diagnostics first (in output order), then the innermost frame
/// of the last stack trace; at most [`MAX_LOCATIONS`]. `cwd` makes absolute paths relative
/// (paths outside it are dropped: they are the toolchain's, not the project's); `exists`
/// says whether a relative path names a file, so a path-shaped word that is not one is
/// ignored.
pub fn locate<'a>(
    lines: impl IntoIterator<Item = &'a str>,
    cwd: &Path,
    exists: &dyn Fn(&str) -> bool,
) -> Vec<Location> {
    let mut diagnostics: Vec<Location> = Vec::new();
    let mut frame: Option<Location> = None;
    // rustc prints the message one line above its `-->` line.
    let mut previous = "";
    let mut in_trace = false;
    for line in lines {
        let parsed = parse(line, previous);
        // Within one innermost-first trace only its first project frame counts.
        if parsed.as_ref().is_none_or(|l| l.kind != Kind::FrameFirst) {
            in_trace = false;
        }
        if let Some(found) = parsed {
            if let Some(path) = project_path(&found.path, cwd, exists) {
                let found = Location { path, ..found };
                match found.kind {
                    Kind::Diagnostic => {
                        let seen = diagnostics
                            .iter()
                            .any(|d| d.path == found.path && d.line == found.line);
                        if !seen && diagnostics.len() < MAX_LOCATIONS && !is_aside(&found.message) {
                            diagnostics.push(found);
                        }
                    }
                    Kind::Frame => frame = Some(found),
                    Kind::FrameFirst if !in_trace => {
                        frame = Some(found);
                        in_trace = true;
                    }
                    Kind::FrameFirst => {}
                }
            }
        }
        if !line.trim().is_empty() {
            previous = line;
        }
    }
    if diagnostics.is_empty() {
        frame.into_iter().collect()
    } else {
        diagnostics
    }
}

fn parse(line: &str, previous: &str) -> Option<Location> {
    let number = |c: &regex::Captures<'_>, name: &str| {
        c.name(name).and_then(|m| m.as_str().parse::<u32>().ok())
    };
    let build = |c: &regex::Captures<'_>, kind: Kind, message: String| {
        let line = number(c, "line").or_else(|| number(c, "mline"))?;
        (line > 0).then(|| Location {
            path: c["path"].to_string(),
            line,
            col: number(c, "col").or_else(|| number(c, "mcol")),
            message,
            kind,
        })
    };
    if let Some(c) = ARROW.as_ref().and_then(|r| r.captures(line)) {
        return build(&c, Kind::Diagnostic, previous.trim().to_string());
    }
    if let Some(c) = PY_FRAME.as_ref().and_then(|r| r.captures(line)) {
        return build(&c, Kind::Frame, line.trim().to_string());
    }
    if let Some(c) = JS_FRAME.as_ref().and_then(|r| r.captures(line)) {
        return build(&c, Kind::FrameFirst, line.trim().to_string());
    }
    for re in [&*PARENS, &*COLON] {
        if let Some(c) = re.as_ref().and_then(|r| r.captures(line)) {
            let message = c.name("msg").map_or("", |m| m.as_str()).trim();
            let message = if message.is_empty() {
                line.trim()
            } else {
                message
            };
            return build(&c, Kind::Diagnostic, message.to_string());
        }
    }
    None
}

/// `path` relative to `cwd` with `/` separators, if it lies inside it and exists.
fn project_path(path: &str, cwd: &Path, exists: &dyn Fn(&str) -> bool) -> Option<String> {
    let p = Path::new(path);
    let relative = if p.is_absolute() {
        p.strip_prefix(cwd).ok()?
    } else {
        p
    };
    let mut parts: Vec<&str> = Vec::new();
    for part in relative.components() {
        match part {
            // Installed packages are someone else's code.
            std::path::Component::Normal(s)
                if ["node_modules", "site-packages", "dist-packages", ".venv"]
                    .iter()
                    .any(|v| s == *v) =>
            {
                return None
            }
            std::path::Component::Normal(s) => parts.push(s.to_str()?),
            std::path::Component::CurDir => {}
            // `..` leaves the project; a root or prefix cannot follow a strip.
            _ => return None,
        }
    }
    let joined = parts.join("/");
    (!joined.is_empty() && exists(&joined)).then_some(joined)
}

#[cfg(test)]
mod tests {
    use super::*;

    type Found = (String, u32, Option<u32>, String);

    fn find(output: &str, files: &[&str]) -> Vec<Found> {
        let exists = |p: &str| files.contains(&p);
        locate(output.lines(), Path::new("/work/proj"), &exists)
            .into_iter()
            .map(|l| (l.path, l.line, l.col, l.message))
            .collect()
    }

    fn at(path: &str, line: u32, col: Option<u32>, msg: &str) -> Found {
        (path.to_string(), line, col, msg.to_string())
    }

    #[test]
    fn compiler_diagnostics_in_their_common_shapes() {
        let cases: &[(&str, &[&str], Vec<Found>)] = &[
            (
                "main.c: In function 'main':\nmain.c:3:5: error: expected ';' before 'return'\n    3 |     return 0\n",
                &["main.c"],
                vec![at("main.c", 3, Some(5), "error: expected ';' before 'return'")],
            ),
            (
                "error[E0425]: cannot find value `y` in this scope\n --> src/main.rs:2:20\n  |\n",
                &["src/main.rs"],
                vec![at("src/main.rs", 2, Some(20), "error[E0425]: cannot find value `y` in this scope")],
            ),
            (
                "# example\n./main.go:5:2: undefined: x\n",
                &["main.go"],
                vec![at("main.go", 5, Some(2), "undefined: x")],
            ),
            (
                "src/app.ts(3,7): error TS2322: Type 'string' is not assignable to type 'number'.\n",
                &["src/app.ts"],
                vec![at("src/app.ts", 3, Some(7), "error TS2322: Type 'string' is not assignable to type 'number'.")],
            ),
            (
                "[ERROR] /work/proj/src/main/java/A.java:[12,9] cannot find symbol\n",
                &["src/main/java/A.java"],
                vec![at("src/main/java/A.java", 12, Some(9), "cannot find symbol")],
            ),
            (
                "tests/test_x.py:14: AssertionError\n",
                &["tests/test_x.py"],
                vec![at("tests/test_x.py", 14, None, "AssertionError")],
            ),
        ];
        for (output, files, want) in cases {
            assert_eq!(&find(output, files), want, "{output}");
        }
    }

    #[test]
    fn the_innermost_project_frame_of_a_traceback() {
        let py = "Traceback (most recent call last):\n  File \"/work/proj/app.py\", line 9, in <module>\n    main()\n  File \"/work/proj/lib/util.py\", line 4, in main\n    import numpy\n  File \"/usr/lib/python3.11/importlib/__init__.py\", line 126, in import_module\nModuleNotFoundError: No module named 'numpy'\n";
        assert_eq!(
            find(py, &["app.py", "lib/util.py"]),
            vec![at(
                "lib/util.py",
                4,
                None,
                "File \"/work/proj/lib/util.py\", line 4, in main"
            )]
        );
        let js = "TypeError: x is not a function\n    at run (/work/proj/src/index.js:7:11)\n    at Object.<anonymous> (/work/proj/src/index.js:12:1)\n    at node:internal/main:1:1\n";
        let with_deps = "Error: boom\n    at f (/work/proj/node_modules/dep/i.js:1:1)\n    at g (/work/proj/src/index.js:3:3)\n";
        assert_eq!(
            find(with_deps, &["src/index.js", "node_modules/dep/i.js"]),
            vec![at(
                "src/index.js",
                3,
                Some(3),
                "at g (/work/proj/src/index.js:3:3)"
            )]
        );
        assert_eq!(
            find(js, &["src/index.js"]),
            vec![at(
                "src/index.js",
                7,
                Some(11),
                "at run (/work/proj/src/index.js:7:11)"
            )]
        );
    }

    #[test]
    fn things_shaped_like_locations_that_are_not_the_projects_are_ignored() {
        let noise = "fetching http://example.com:8080/a.txt\n12:30:01.123 started\nwarning: unused variable\n --> src/lib.rs:1:5\n/usr/include/stdio.h:12:1: error: x\n../outside.c:1:1: error: y\nmissing.c:2:2: error: z\nnote.c:1:1: note: declared here\n";
        assert_eq!(find(noise, &["src/lib.rs", "note.c"]), vec![]);
    }

    #[test]
    fn diagnostics_win_over_frames_and_repeat_only_once() {
        let out = "a.c:1:1: error: one\na.c:1:9: error: same line\nb.c:2:1: error: two\n  File \"a.py\", line 3, in f\n";
        assert_eq!(
            find(out, &["a.c", "b.c", "a.py"]),
            vec![
                at("a.c", 1, Some(1), "error: one"),
                at("b.c", 2, Some(1), "error: two")
            ]
        );
        let many: String = (1..=20)
            .map(|n| format!("a.c:{n}:1: error: e{n}\n"))
            .collect();
        assert_eq!(find(&many, &["a.c"]).len(), MAX_LOCATIONS);
    }
}
