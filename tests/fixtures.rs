//! Runs every case under `fixtures/<rule-id>/`, with the rule the folder is named after,
//! the input checks and the rules its `expect.txt` lists (the other rules are off): a
//! `valid_*` case must produce no finding at all; an `invalid_*` case must produce exactly
//! the findings its `expect.txt` lists (lines `<file>:<line> <rule-id>`, files relative to
//! the case), at least one of them of the folder's rule. A case's `args.txt` gives
//! options (`--inventory FILE`, `--source DIR`, `--subscription`, `--resource-group`),
//! its `rules.toml` lines of the `[rules]` table (rule options). The human output of
//! every case is snapshotted.

use peerlint::config::Config;
use peerlint::frontend::{Disk, LoadOptions};
use peerlint::report::{self, Format, RenderOptions};
use std::path::{Path, PathBuf};

type Finding = (String, u32, String);

/// The checks on the input itself, which run in every case.
const INPUT_CHECKS: [&str; 3] = ["syntax-error", "undefined-reference", "invalid-value"];

fn sorted_dirs(dir: &Path) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

/// The findings `expect.txt` lists, sorted (a finding listed twice is expected twice).
fn expected(case: &Path) -> Vec<Finding> {
    let Ok(text) = std::fs::read_to_string(case.join("expect.txt")) else {
        return Vec::new();
    };
    let mut found = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (at, rule) = l.split_once(' ').expect("`<file>:<line> <rule>`");
            let (file, line) = at.rsplit_once(':').expect("`<file>:<line>`");
            (
                file.to_string(),
                line.parse().expect("a line number"),
                rule.trim().to_string(),
            )
        })
        .collect::<Vec<_>>();
    found.sort();
    found
}

/// `a` without one occurrence of each element of `b`.
fn minus(a: &[Finding], b: &[Finding]) -> Vec<Finding> {
    let mut rest = b.to_vec();
    a.iter()
        .filter(|f| match rest.iter().position(|r| r == *f) {
            Some(i) => {
                rest.remove(i);
                false
            }
            None => true,
        })
        .cloned()
        .collect()
}

#[test]
fn fixtures() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let root = manifest.join("fixtures");
    let mut failures = Vec::new();
    let mut counts: std::collections::BTreeMap<String, (usize, usize)> = Default::default();
    for rule_dir in sorted_dirs(&root) {
        let rule = rule_dir.file_name().unwrap().to_str().unwrap().to_string();
        assert!(
            peerlint::rules::find(&rule).is_some(),
            "fixtures/{rule}: no rule has this id"
        );
        for case in sorted_dirs(&rule_dir) {
            let name = case.file_name().unwrap().to_str().unwrap().to_string();
            let valid = name.starts_with("valid_");
            assert!(
                valid || name.starts_with("invalid_"),
                "fixtures/{rule}/{name}: a case is named valid_* or invalid_*"
            );
            let entry = counts.entry(rule.clone()).or_default();
            if valid {
                entry.0 += 1;
            } else {
                entry.1 += 1;
            }
            let rel = case.strip_prefix(manifest).unwrap().to_path_buf();
            // `args.txt`: options the case is checked with (`--inventory FILE`, `--source
            // DIR`, `--subscription ID`, `--resource-group NAME`), paths relative to the
            // case.
            let mut options = LoadOptions {
                files: &Disk,
                ..LoadOptions::default()
            };
            let args = std::fs::read_to_string(case.join("args.txt")).unwrap_or_default();
            for line in args.lines().map(str::trim).filter(|l| !l.is_empty()) {
                match line.split_once(' ') {
                    Some(("--inventory", file)) => options.inventory.push(rel.join(file)),
                    Some(("--source", dir)) => options.plan_sources.push(rel.join(dir)),
                    Some(("--subscription", id)) => options.arm.subscription = Some(id.into()),
                    Some(("--resource-group", rg)) => {
                        options.arm.resource_group = Some(rg.into());
                    }
                    _ => panic!("{rel:?}/args.txt: unknown option line {line:?}"),
                }
            }
            // The case's rule, the input checks, and the rules its expect.txt lists run;
            // the others are off, so that a case shows what it is about.
            let want = expected(&case);
            // `rules.toml`: lines of the `[rules]` table the case is checked with (rule
            // options, such as `peering-limit = { max = 2 }`).
            let own = std::fs::read_to_string(case.join("rules.toml")).unwrap_or_default();
            let own_ids: Vec<&str> = own
                .lines()
                .filter_map(|l| l.split_once('=').map(|(id, _)| id.trim()))
                .collect();
            let mut toml = format!("[rules]\n{own}\n");
            for meta in peerlint::rules::all() {
                let on = meta.id == rule
                    || INPUT_CHECKS.contains(&meta.id)
                    || own_ids.contains(&meta.id)
                    || want.iter().any(|(_, _, r)| r == meta.id);
                if !on {
                    toml.push_str(&format!("{} = \"off\"\n", meta.id));
                }
            }
            let config = Config::parse(&toml, Path::new("fixture.toml")).unwrap();
            let outcome = peerlint::check_paths(
                std::slice::from_ref(&rel),
                &config,
                Some(manifest),
                &options,
            )
            .unwrap();
            let prefix = format!("{}/", rel.display());
            let actual: Vec<Finding> = outcome
                .diagnostics
                .iter()
                .map(|d| {
                    let file = outcome.sources.get(d.primary.span.file);
                    let line = file.line_col(d.primary.span.start).line;
                    let shown = file.display.strip_prefix(&prefix).unwrap_or(&file.display);
                    (shown.to_string(), line, d.rule.to_string())
                })
                .collect::<Vec<_>>();
            let mut actual = actual;
            actual.sort();
            if valid && !want.is_empty() {
                failures.push(format!("{rel:?}: a valid case must not have an expect.txt"));
            }
            if !valid && !want.iter().any(|(_, _, r)| *r == rule) {
                failures.push(format!("{rel:?}: expect.txt lists no `{rule}` finding"));
            }
            if actual != want {
                let missing = minus(&want, &actual);
                let extra = minus(&actual, &want);
                failures.push(format!(
                    "{rel:?}:\n    missing: {missing:?}\n    unexpected: {extra:?}"
                ));
            }
            let mut out = Vec::new();
            report::render(
                &outcome,
                Format::Human,
                RenderOptions { color: false },
                &mut out,
            )
            .unwrap();
            insta::with_settings!({
                snapshot_path => manifest.join("tests/snapshots"),
                prepend_module_to_snapshot => false,
                omit_expression => true,
            }, {
                insta::assert_snapshot!(format!("{rule}__{name}"), String::from_utf8(out).unwrap());
            });
        }
    }
    for meta in peerlint::rules::all() {
        let (valid, invalid) = counts.get(meta.id).copied().unwrap_or_default();
        if valid < 3 || invalid < 3 {
            failures.push(format!(
                "fixtures/{}: needs at least 3 valid and 3 invalid cases (has {valid} and {invalid})",
                meta.id
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
