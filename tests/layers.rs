//! The layers of DESIGN.md hold: every file under src/ imports (by `use crate::…` or a
//! `crate::…::` path) only modules below its own layer, so arrows point down only.
//!
//! Order, top to bottom: app → api, web → http (what both share) → export → picture → graph →
//! service → store → db → domain.
//! `error` is shared by all; `schema` (diesel's table list) counts as db; the tools run
//! beside the app (`seed`, `generate`, `secret`, `main`) count as app.
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The layer of a top-level module (higher imports lower), or `None` if any may use it.
fn rank(module: &str) -> Option<u8> {
    Some(match module {
        "domain" => 0,
        "db" | "schema" => 1,
        "store" => 2,
        "service" => 3,
        "graph" => 4,
        "picture" => 5,
        "export" | "import" => 6,
        "http" => 7,
        "api" | "web" => 8,
        "app" | "seed" | "generate" | "secret" | "main" => 9,
        _ => return None,
    })
}

/// Imports between the two front ends that are allowed (importer, module path): none;
/// what both need lives in `http`.
const PEER_EXCEPTIONS: &[(&str, &str)] = &[];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read src dir") {
        let path = entry.expect("dir entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a file belongs to: `src/web/links/mod.rs` → `web`.
fn module_of(src: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(src).expect("file under src");
    let first = rel.components().next().expect("non-empty path");
    let name = first.as_os_str().to_string_lossy();
    name.trim_end_matches(".rs").to_string()
}

/// The code of a line without its `//` comment (doc comments may name any module).
fn code(line: &str) -> &str {
    match line.find("//") {
        Some(i) => &line[..i],
        None => line,
    }
}

/// The first two path segments (`a::b`, or `a` alone) after every `crate::` in the
/// text, including each item of a `crate::{a::X, b}` group.
fn imported_modules(text: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut rest = text;
    while let Some(i) = rest.find("crate::") {
        let preceded_by_ident = rest[..i]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || c == '_');
        rest = &rest[i + "crate::".len()..];
        if preceded_by_ident {
            continue; // e.g. `my_crate::`
        }
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 0;
            let mut start = 0;
            for (j, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => {
                        found.insert(first_segment(&group[start..j]));
                        break;
                    }
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        found.insert(first_segment(&group[start..j]));
                        start = j + 1;
                    }
                    _ => {}
                }
            }
        } else {
            found.insert(first_segment(rest));
        }
    }
    found.remove("");
    found
}

fn first_segment(path: &str) -> String {
    let ident = |p: &str| -> String {
        p.trim_start()
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect()
    };
    let first = ident(path);
    let rest = path.trim_start()[first.len()..].trim_start();
    match rest.strip_prefix("::").map(ident) {
        Some(second) if !second.is_empty() => format!("{first}::{second}"),
        _ => first,
    }
}

#[test]
fn imports_point_down_only() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    assert!(files.len() > 50, "found only {} files in src/", files.len());
    let mut violations = Vec::new();
    for file in &files {
        let module = module_of(&src, file);
        let Some(own) = rank(&module) else { continue };
        let text = std::fs::read_to_string(file).expect("read source file");
        let code: String = text.lines().map(|l| format!("{}\n", code(l))).collect();
        for path in imported_modules(&code) {
            let imported = path.split("::").next().unwrap_or_default();
            let Some(theirs) = rank(imported) else {
                continue;
            };
            let upward = theirs > own;
            let sideways = theirs == own
                && imported != module
                && own == 8
                && !PEER_EXCEPTIONS.contains(&(module.as_str(), path.as_str()));
            if upward || sideways {
                let rel = file.strip_prefix(&src).unwrap_or(file);
                violations.push(format!("src/{} ({module}) imports {path}", rel.display()));
            }
        }
    }
    assert!(
        violations.is_empty(),
        "imports against the layer order:\n{}",
        violations.join("\n")
    );
}

#[test]
fn the_scanner_sees_paths_groups_and_macros() {
    let text = "use crate::{db::Db, service::{crud, Caller}};\n\
                let x = crate::graph::Viewer::SignedIn;\n\
                db: &rocket::State<$crate::app::Db>,\n\
                use other_crate::web::X;";
    let found: Vec<String> = imported_modules(text).into_iter().collect();
    // A nested group counts by its first segment only (so it never matches an exception).
    assert_eq!(found, ["app::Db", "db::Db", "graph::Viewer", "service"]);
}
