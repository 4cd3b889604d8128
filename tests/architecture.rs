//! Architecture invariants, read off the source tree (issue 11): the core's top-level modules import each other
//! without cycles (bar the ones listed below, still to break), and the core holds no CLI or Tauri types. Each
//! failure names the file and line.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Every `.rs` file of the core library (not the CLI binary).
fn core_files() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                if path.file_name().is_some_and(|n| n != "bin") {
                    walk(&path, out);
                }
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    walk(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut out);
    out.sort();
    out
}

/// The top-level module a file belongs to (`src/ledger/people.rs` → `ledger`, `src/audit.rs` → `audit`).
fn module_of(file: &Path) -> Option<String> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let rel = file.strip_prefix(&src).ok()?;
    let first = rel.components().next()?.as_os_str().to_str()?;
    let name = first.strip_suffix(".rs").unwrap_or(first);
    (name != "lib").then(|| name.to_string())
}

/// Edges `module → module` with the first place each is seen (file:line), from `crate::name` paths.
fn edges() -> BTreeMap<(String, String), String> {
    let modules: BTreeSet<String> = core_files().iter().filter_map(|f| module_of(f)).collect();
    let mut out = BTreeMap::new();
    for file in core_files() {
        let Some(from) = module_of(&file) else {
            continue;
        };
        let text = std::fs::read_to_string(&file).unwrap();
        // A file's unit tests (its `#[cfg(test)]` module, last by convention) may use any module.
        for (n, line) in text
            .lines()
            .enumerate()
            .take_while(|(_, l)| l.trim() != "#[cfg(test)]")
        {
            let code = line.split("//").next().unwrap_or("");
            for (at, _) in code.match_indices("crate::") {
                let rest = &code[at + "crate::".len()..];
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if name != from && modules.contains(&name) {
                    out.entry((from.clone(), name)).or_insert_with(|| {
                        format!(
                            "{}:{}",
                            file.strip_prefix(env!("CARGO_MANIFEST_DIR"))
                                .unwrap()
                                .display(),
                            n + 1
                        )
                    });
                }
            }
        }
    }
    out
}

/// Pairs of modules that import each other, with where.
fn two_way(edges: &BTreeMap<(String, String), String>) -> Vec<(String, String, String, String)> {
    let mut out = Vec::new();
    for ((a, b), at) in edges {
        if a < b {
            if let Some(back) = edges.get(&(b.clone(), a.clone())) {
                out.push((a.clone(), b.clone(), at.clone(), back.clone()));
            }
        }
    }
    out
}

/// Cycles known and not yet broken, each a pair of modules (none left: `ledger` ↔ `store` went when the
/// backups moved into the ledger, which verifies them). A new pair
/// fails the test; so does a listed pair that no longer imports both ways (take it off the list).
const KNOWN_TWO_WAY: &[(&str, &str)] = &[];

#[test]
fn core_modules_do_not_import_each_other_both_ways() {
    let edges = edges();
    assert!(
        edges.contains_key(&("ledger".into(), "audit".into())),
        "the scan reads the tree (ledger uses audit)"
    );
    let found = two_way(&edges);
    let new: Vec<String> = found
        .iter()
        .filter(|(a, b, _, _)| !KNOWN_TWO_WAY.contains(&(a.as_str(), b.as_str())))
        .map(|(a, b, x, y)| format!("{a} ↔ {b}: {x} uses {b}, {y} uses {a}"))
        .collect();
    assert!(
        new.is_empty(),
        "import cycles between modules:\n{}",
        new.join("\n")
    );
    for (a, b) in KNOWN_TWO_WAY {
        assert!(
            found.iter().any(|(x, y, _, _)| x == a && y == b),
            "{a} ↔ {b} is broken: take it off KNOWN_TWO_WAY"
        );
    }
    // The two cycles issue 11 named are gone, and the one the backups made.
    for (a, b) in [
        ("audit", "ledger"),
        ("export", "import"),
        ("ledger", "store"),
    ] {
        assert!(
            !found.iter().any(|(x, y, _, _)| x == a && y == b),
            "{a} ↔ {b}"
        );
    }
}

#[test]
fn the_core_holds_no_cli_or_tauri_types() {
    let mut found = Vec::new();
    for file in core_files() {
        let text = std::fs::read_to_string(&file).unwrap();
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            if code.contains("clap::")
                || code.contains("tauri::")
                || code.contains("#[derive(Parser")
            {
                found.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
            }
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}
