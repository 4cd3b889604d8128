//! Architecture invariants, read off the source tree (issue 11): the core's top-level modules import each other
//! without cycles (bar the ones listed below, still to break), and the core holds no CLI or Tauri types. Each
//! failure names the file and line.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Every `.rs` file of the core library.
fn core_files() -> Vec<PathBuf> {
    files_under("src", "rs")
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
        edges.contains_key(&("ledger".into(), "store".into())),
        "the scan reads the tree (ledger uses store)"
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

/// Every file under `dir` (relative to the repository) ending in `ext`.
fn files_under(dir: &str, ext: &str) -> Vec<PathBuf> {
    fn walk(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, ext, out);
            } else if path.extension().is_some_and(|e| e == ext) {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    walk(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join(dir),
        ext,
        &mut out,
    );
    out.sort();
    out
}

/// A source file's lines that are code: a Rust file up to its `#[cfg(test)]` module (and no test files),
/// comments cut off (`//` in Rust and JS).
fn code_lines(file: &Path) -> Vec<(usize, String)> {
    let text = std::fs::read_to_string(file).unwrap();
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim_start().starts_with("#[cfg(test)]") {
            break;
        }
        let code = line.split("//").next().unwrap_or("");
        if !code.trim().is_empty() {
            out.push((n + 1, code.to_string()));
        }
    }
    out
}

fn rel(file: &Path) -> String {
    file.strip_prefix(env!("CARGO_MANIFEST_DIR"))
        .unwrap_or(file)
        .display()
        .to_string()
}

/// Files still holding SQL outside the store and the ledger, to move there (each is checked to still hold
/// some, so the list only shrinks).
const KNOWN_SQL_ELSEWHERE: &[&str] = &["src/export/mod.rs", "src/import/writer.rs"];

#[test]
fn sql_lives_in_the_store_the_ledger_and_the_migrations() {
    let sql = [
        "SELECT ",
        "INSERT INTO",
        "DELETE FROM",
        "CREATE TABLE",
        ".execute(",
        "query_row(",
        "prepare_cached(",
        ".prepare(",
    ];
    let mut found = Vec::new();
    let mut known_seen = BTreeSet::new();
    let files = [
        files_under("src", "rs"),
        files_under("cli/src", "rs"),
        files_under("src-tauri/src", "rs"),
    ]
    .concat();
    for file in files {
        let name = rel(&file);
        if name.starts_with("src/store/")
            || name.starts_with("src/ledger/")
            || name.ends_with("/tests.rs")
        {
            continue;
        }
        for (n, code) in code_lines(&file) {
            if sql.iter().any(|s| code.contains(s)) {
                if KNOWN_SQL_ELSEWHERE.contains(&name.as_str()) {
                    known_seen.insert(name.clone());
                } else {
                    found.push(format!("{name}:{n}: {}", code.trim()));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "SQL outside src/store, src/ledger and the migrations:\n{}",
        found.join("\n")
    );
    for known in KNOWN_SQL_ELSEWHERE {
        assert!(
            known_seen.contains(*known),
            "{known} holds no SQL any more: take it off KNOWN_SQL_ELSEWHERE"
        );
    }
}

/// Every whole-đồng figure of the shipped rule pack (10,000 đ and up): rates, caps, supplements.
fn pack_figures() -> BTreeSet<i64> {
    fn walk(v: &toml::Value, out: &mut BTreeSet<i64>) {
        match v {
            toml::Value::Integer(i) if *i >= 10_000 => {
                out.insert(*i);
            }
            toml::Value::Array(a) => a.iter().for_each(|x| walk(x, out)),
            toml::Value::Table(t) => t.values().for_each(|x| walk(x, out)),
            _ => {}
        }
    }
    let pack = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/hanoi-2021.toml"),
    )
    .unwrap();
    let mut out = BTreeSet::new();
    walk(&pack.parse::<toml::Value>().unwrap(), &mut out);
    out
}

#[test]
fn rates_live_only_in_rule_packs() {
    let figures = pack_figures();
    assert!(
        figures.contains(&1_855_000) && figures.len() > 5,
        "the pack's figures are read: {figures:?}"
    );
    // A number as code or a label writes it: 1855000, 1_855_000, 1.855.000 or 1,855,000.
    let number = |token: &str| -> Option<i64> {
        let digits: String = token.chars().filter(char::is_ascii_digit).collect();
        (token
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '_' | '.' | ','))
            && digits.len() >= 5)
            .then(|| digits.parse().ok())
            .flatten()
    };
    let mut found = Vec::new();
    let files = [
        files_under("src", "rs"),
        files_under("cli/src", "rs"),
        files_under("src-tauri/src", "rs"),
        files_under("ui", "js"),
    ]
    .concat();
    for file in files {
        let name = rel(&file);
        // Tests compare with known amounts; the demo district makes up ID numbers with big moduli.
        if name.ends_with("/tests.rs") || name.starts_with("src/demo/") {
            continue;
        }
        for (n, code) in code_lines(&file) {
            for token in code.split(|c: char| !(c.is_ascii_digit() || matches!(c, '_' | '.' | ',')))
            {
                let token = token.trim_matches(|c| matches!(c, '_' | '.' | ','));
                if number(token).is_some_and(|v| figures.contains(&v)) {
                    found.push(format!("{name}:{n}: {}", code.trim()));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "a rule pack's figure written into code (rates belong in rules/*.toml):\n{}",
        found.join("\n")
    );
}

#[test]
fn the_core_crate_depends_on_no_cli_or_app_crate() {
    let manifest =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml")).unwrap();
    let manifest: toml::Value = manifest.parse().unwrap();
    let deps = manifest["dependencies"].as_table().unwrap();
    for crate_name in [
        "clap",
        "rpassword",
        "tauri",
        "tauri-build",
        "tauri-plugin-dialog",
    ] {
        assert!(
            !deps.contains_key(crate_name),
            "Cargo.toml: the core depends on {crate_name}"
        );
    }
    assert!(deps.contains_key("rusqlite"), "the dependencies are read");
}

#[test]
fn vietnamese_words_in_the_ui_live_only_in_strings_js() {
    let vietnamese = |c: char| {
        "àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ"
            .contains(c.to_lowercase().next().unwrap_or(c))
    };
    let mut found = Vec::new();
    let files = files_under("ui", "js");
    assert!(files.len() > 10, "the UI's files are read");
    for file in files {
        let name = rel(&file);
        if name == "ui/strings.js" {
            continue;
        }
        for (n, code) in code_lines(&file) {
            if code.chars().any(vietnamese) {
                found.push(format!("{name}:{n}: {}", code.trim()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "Vietnamese words outside ui/strings.js:\n{}",
        found.join("\n")
    );
}
