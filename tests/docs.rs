//! The rule pages in `docs/rules/` show code that triggers each rule and code that fixes
//! it: keep them true. Every fenced `hcl` and `json` block of a page's "## Example"
//! section must produce at least one finding of the page's rule, and every such block of
//! its "## Use instead" section none (blocks under a `###` sub-heading, such as
//! "### In an ARM template", belong to the section above it). Each block is linted alone,
//! as `main.tf` or `azuredeploy.json` in a folder of its own. Blocks marked `hcl context`
//! are shown for context and not linted.

use peerlint::config::Config;
use peerlint::frontend::{Disk, LoadOptions};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// A fenced code block of a doc page.
struct Block {
    /// The `## ` section it is in.
    section: String,
    /// The info string after the opening fence (`hcl`, `json`, `toml`, …).
    lang: String,
    /// The line of the opening fence (1-based).
    line: usize,
    text: String,
}

/// The fenced blocks of a Markdown page, with the `## ` section each is in.
fn blocks(page: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut section = String::new();
    let mut lines = page.lines().enumerate();
    while let Some((i, line)) = lines.next() {
        if let Some(title) = line.strip_prefix("## ") {
            section = title.trim().to_string();
        } else if let Some(info) = line.strip_prefix("```") {
            let mut text = String::new();
            for (_, body) in lines.by_ref() {
                if body.trim_end() == "```" {
                    break;
                }
                text.push_str(body);
                text.push('\n');
            }
            out.push(Block {
                section: section.clone(),
                lang: info.trim().to_string(),
                line: i + 1,
                text,
            });
        }
    }
    out
}

/// A folder of its own under the system's temp folder, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(label: &str) -> Self {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let dir =
            std::env::temp_dir().join(format!("peerlint-docs-{}-{n}-{label}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Lints `text` alone, saved as `file` in a folder of its own: the rule of every finding,
/// with its message.
fn findings(manifest: &Path, label: &str, file: &str, text: &str) -> Vec<(String, String)> {
    let dir = TempDir::new(label);
    std::fs::write(dir.0.join(file), text).unwrap();
    let options = LoadOptions {
        files: &Disk,
        ..LoadOptions::default()
    };
    let outcome = peerlint::check_paths(
        std::slice::from_ref(&dir.0),
        &Config::default(),
        Some(manifest),
        &options,
    )
    .unwrap();
    outcome
        .diagnostics
        .iter()
        .map(|d| (d.rule.to_string(), d.message.clone()))
        .collect()
}

#[test]
fn rule_pages_show_code_that_does_what_they_say() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut pages: Vec<PathBuf> = std::fs::read_dir(manifest.join("docs/rules"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    pages.sort();
    assert!(!pages.is_empty(), "no pages in docs/rules");

    let mut failures = Vec::new();
    let mut checked = 0;
    for page in &pages {
        let rule = page.file_stem().unwrap().to_str().unwrap().to_string();
        let shown = format!("docs/rules/{rule}.md");
        if peerlint::rules::find(&rule).is_none() {
            failures.push(format!("{shown}: no rule has the id `{rule}`"));
            continue;
        }
        let text = std::fs::read_to_string(page).unwrap();
        let code: Vec<Block> = blocks(&text)
            .into_iter()
            .filter(|b| matches!(b.section.as_str(), "Example" | "Use instead"))
            .filter(|b| matches!(b.lang.as_str(), "hcl" | "json"))
            .collect();
        // A rule about changes shows plans (JSON); the others show both frontends.
        let langs: &[&str] = if rule == "peered-address-change" {
            &["json"]
        } else {
            &["hcl", "json"]
        };
        for lang in langs {
            if !code
                .iter()
                .any(|b| b.section == "Example" && b.lang == *lang)
            {
                failures.push(format!("{shown}: \"## Example\" has no ```{lang} block"));
            }
        }
        for block in &code {
            let file = if block.lang == "hcl" {
                "main.tf"
            } else {
                "azuredeploy.json"
            };
            let found = findings(manifest, &rule, file, &block.text);
            checked += 1;
            let of_rule: Vec<&(String, String)> =
                found.iter().filter(|(r, _)| *r == rule).collect();
            let at = format!("{shown}:{} ({} block)", block.line, block.lang);
            if block.section == "Example" && of_rule.is_empty() {
                failures.push(format!(
                    "{at}: the example yields no `{rule}` finding; it yields {found:?}"
                ));
            }
            if block.section == "Use instead" && !of_rule.is_empty() {
                failures.push(format!("{at}: the fix still yields `{rule}`: {of_rule:?}"));
            }
        }
    }
    assert!(checked > 0, "no example was checked");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn blocks_belong_to_their_section() {
    let page = "# r\n\n## Example\n\n```hcl\na\n```\n\n### In an ARM template\n\n```json\n{}\n```\n\n## Use instead\n\n```json\n[]\n```\n\n## Options\n\n```toml\nx\n```\n";
    let found: Vec<(String, String, usize, String)> = blocks(page)
        .into_iter()
        .map(|b| (b.section, b.lang, b.line, b.text))
        .collect();
    let want = [
        ("Example", "hcl", 5, "a\n"),
        ("Example", "json", 11, "{}\n"),
        ("Use instead", "json", 17, "[]\n"),
        ("Options", "toml", 23, "x\n"),
    ]
    .map(|(s, l, n, t)| (s.to_string(), l.to_string(), n, t.to_string()));
    assert_eq!(found, want);
}
