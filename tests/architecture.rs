//! Imports point inward: each module may use only the modules listed for it (README,
//! "Architecture"). This scans `src/` for `crate::...` paths and fails on any other edge.

use std::path::Path;

/// Each module and the crate modules it may use.
const ALLOWED: &[(&str, &[&str])] = &[
    ("domain", &[]),
    ("crypto", &["domain"]),
    ("log", &["domain", "crypto"]),
    ("files", &[]),
    ("logfiles", &["crypto", "log", "files"]),
    ("registry", &["domain", "crypto", "log"]),
    ("document", &[]),
    ("check", &["domain", "crypto", "registry", "document"]),
    ("store", &["domain"]),
    ("keyring", &["crypto", "files"]),
    ("api", &["domain", "registry", "check"]),
    ("demo", &["domain", "crypto"]),
    ("widget", &["crypto", "demo"]),
    (
        "http",
        &[
            "api", "check", "crypto", "document", "domain", "keyring", "log", "logfiles",
            "registry", "store", "widget",
        ],
    ),
    (
        "cli",
        &[
            "api", "check", "crypto", "demo", "document", "domain", "files", "http", "keyring",
            "log", "registry", "store", "widget",
        ],
    ),
];

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("readable src") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn modules_import_only_inward() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut violations = Vec::new();
    let mut checked = 0;
    for file in &files {
        let relative = file.strip_prefix(&src).expect("under src");
        let first = relative
            .components()
            .next()
            .and_then(|c| c.as_os_str().to_str())
            .expect("a file name");
        let module = first.trim_end_matches(".rs");
        let Some((_, allowed)) = ALLOWED.iter().find(|(m, _)| *m == module) else {
            continue;
        };
        checked += 1;
        let text = std::fs::read_to_string(file).expect("readable file");
        // A file's unit tests come last, after `#[cfg(test)]`: they may use fixtures from
        // anywhere (the demo register, say), which the module itself must not.
        let production = text.split("\n#[cfg(test)]").next().unwrap_or(&text);
        for (line_no, line) in production.lines().enumerate() {
            for (i, _) in line.match_indices("crate::") {
                let used: String = line[i + "crate::".len()..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if used != module && !allowed.contains(&used.as_str()) {
                    violations.push(format!(
                        "{}:{}: {module} uses crate::{used}",
                        relative.display(),
                        line_no + 1
                    ));
                }
            }
        }
    }
    assert!(checked > 10, "the scan found only {checked} files");
    assert!(
        violations.is_empty(),
        "imports that point outward:\n{}",
        violations.join("\n")
    );
}
