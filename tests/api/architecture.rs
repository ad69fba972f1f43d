//! The module map holds: no import cycle between top-level modules or between the files of a
//! folder module, and every top-level dependency the code has is one ARCHITECTURE.md allows.
//!
//! Read from the source text: `crate::name` paths (also inside `crate::{..}` groups) for
//! top-level modules, `super::file` and `crate::folder::file` for sibling files. Comment lines
//! and test code (`tests*.rs`, `*_tests.rs`, everything after a `#[cfg(test)]` line) are not
//! dependencies.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

type Graph = BTreeMap<String, BTreeSet<String>>;

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn is_test_file(path: &Path) -> bool {
    let stem = path.file_stem().unwrap().to_string_lossy();
    stem.starts_with("tests") || stem.ends_with("_tests")
}

/// The code of a file without comment lines and without its test module.
fn code_of(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    let mut out = String::new();
    for line in text.lines() {
        let t = line.trim_start();
        if t.starts_with("#[cfg(test)]") {
            break;
        }
        if !t.starts_with("//") {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

fn ident_at(s: &str) -> &str {
    let end = s
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(s.len());
    &s[..end]
}

/// The first path segment after every `prefix` (`crate::`, `super::`), including each
/// top-level name of a `prefix{a, b::c}` group.
fn segments_after(code: &str, prefix: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (i, _) in code.match_indices(prefix) {
        let rest = &code[i + prefix.len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 0;
            let mut start = true;
            for (j, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => start = true,
                    c if start && !c.is_whitespace() => {
                        start = false;
                        let name = ident_at(&group[j..]);
                        if !name.is_empty() {
                            out.insert(name.to_string());
                        }
                    }
                    _ => {}
                }
            }
        } else {
            let name = ident_at(rest);
            if !name.is_empty() {
                out.insert(name.to_string());
            }
        }
    }
    out
}

/// Top-level module → the top-level modules its code names.
fn top_level_graph() -> Graph {
    let root = src();
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    let mut graph = Graph::new();
    for file in files.iter().filter(|f| !is_test_file(f)) {
        let rel = file.strip_prefix(&root).unwrap();
        let first = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy();
        let module = first.trim_end_matches(".rs").to_string();
        if module == "lib" || module == "main" {
            continue;
        }
        let deps = segments_after(&code_of(file), "crate::");
        let entry = graph.entry(module.clone()).or_default();
        entry.extend(deps.into_iter().filter(|d| *d != module));
    }
    graph
}

/// For a folder module: file → sibling files it names.
fn folder_graph(folder: &str) -> Graph {
    let dir = src().join(folder);
    let siblings: BTreeSet<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs") && !is_test_file(p))
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .filter(|s| s != "mod")
        .collect();
    let mut graph = Graph::new();
    for name in &siblings {
        let code = code_of(&dir.join(format!("{name}.rs")));
        let mut deps = segments_after(&code, "super::");
        deps.extend(segments_after(&code, &format!("crate::{folder}::")));
        let deps = deps
            .into_iter()
            .filter(|d| d != name && siblings.contains(d))
            .collect();
        graph.insert(name.clone(), deps);
    }
    graph
}

/// One cycle in `graph`, if there is any.
fn find_cycle(graph: &Graph) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &Graph,
        state: &mut BTreeMap<String, u8>,
        path: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        state.insert(node.to_string(), 1);
        path.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            match state.get(next.as_str()) {
                Some(1) => {
                    let at = path.iter().position(|p| p == next).unwrap();
                    let mut cycle = path[at..].to_vec();
                    cycle.push(next.clone());
                    return Some(cycle);
                }
                Some(_) => {}
                None => {
                    if let Some(c) = visit(next, graph, state, path) {
                        return Some(c);
                    }
                }
            }
        }
        path.pop();
        state.insert(node.to_string(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for node in graph.keys() {
        if !state.contains_key(node.as_str()) {
            if let Some(c) = visit(node, graph, &mut state, &mut Vec::new()) {
                return Some(c);
            }
        }
    }
    None
}

/// ARCHITECTURE.md's module map: module → what it may depend on (module names in backticks).
fn allowed_by_the_map() -> Graph {
    let doc =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("ARCHITECTURE.md"))
            .unwrap();
    let mut map = Graph::new();
    for line in doc.lines().filter(|l| l.starts_with("| `")) {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        let (Some(name), Some(may)) = (cells.get(1), cells.get(3)) else {
            continue;
        };
        let name = name
            .trim_matches('`')
            .trim_end_matches('/')
            .trim_end_matches(".rs");
        if name.contains('/') || name.contains(' ') {
            continue;
        }
        let allowed = may
            .split('`')
            .skip(1)
            .step_by(2)
            .map(|m| ident_at(m).to_string())
            .collect();
        map.insert(name.to_string(), allowed);
    }
    map
}

#[test]
fn no_import_cycle_between_top_level_modules() {
    let graph = top_level_graph();
    assert!(graph.len() > 10, "found too few modules: {graph:?}");
    assert_eq!(find_cycle(&graph), None, "{graph:#?}");
}

#[test]
fn no_import_cycle_between_the_files_of_a_folder_module() {
    for folder in [
        "analysis", "api", "exec", "llm", "policy", "redact", "sandbox", "service",
    ] {
        let graph = folder_graph(folder);
        assert_eq!(find_cycle(&graph), None, "{folder}/: {graph:#?}");
    }
}

#[test]
fn every_dependency_between_top_level_modules_is_in_the_architecture_map() {
    let allowed = allowed_by_the_map();
    let mut missing = Vec::new();
    for (module, deps) in top_level_graph() {
        let Some(may) = allowed.get(&module) else {
            missing.push(format!(
                "{module} has no row in ARCHITECTURE.md's module map"
            ));
            continue;
        };
        for dep in deps {
            if !may.contains(&dep) {
                missing.push(format!("{module} -> {dep}"));
            }
        }
    }
    assert_eq!(missing, Vec::<String>::new());
}

#[test]
fn the_cycle_finder_finds_a_planted_cycle() {
    let graph: Graph = [
        ("a", vec!["b"]),
        ("b", vec!["c"]),
        ("c", vec!["a"]),
        ("d", vec!["a"]),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.into_iter().map(String::from).collect()))
    .collect();
    assert_eq!(
        find_cycle(&graph),
        Some(vec!["a".into(), "b".into(), "c".into(), "a".into()])
    );
    assert_eq!(
        segments_after("use crate::{config::X, domain::{Role, y}};", "crate::"),
        BTreeSet::from(["config".to_string(), "domain".to_string()])
    );
}
