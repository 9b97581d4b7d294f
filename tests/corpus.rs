//! The third-party corpus beside the repository (`../shared/corpus`), as an extra check on
//! input nobody on this project wrote: every file lints without a crash or a spurious
//! syntax error, and the peerings in it are found. Skipped when the corpus is absent.

use peerlint::config::Config;
use peerlint::frontend::{Disk, LoadOptions};
use std::path::Path;

#[test]
fn arm_corpus_lints_without_syntax_errors() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let corpus = manifest.join("../shared/corpus/arm");
    if !corpus.is_dir() {
        eprintln!("skipped: {} is absent", corpus.display());
        return;
    }
    let options = LoadOptions {
        files: &Disk,
        ..LoadOptions::default()
    };
    let mut peerings = 0;
    let mut folders = 0;
    let mut entries: Vec<_> = std::fs::read_dir(&corpus)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    entries.sort();
    for folder in entries {
        folders += 1;
        let outcome = peerlint::check_paths(
            std::slice::from_ref(&folder),
            &Config::default(),
            Some(manifest),
            &options,
        )
        .unwrap();
        let syntax: Vec<String> = outcome
            .diagnostics
            .iter()
            .filter(|d| d.rule == "syntax-error" || d.rule == "undefined-reference")
            .map(|d| d.message.clone())
            .collect();
        assert!(syntax.is_empty(), "{}: {syntax:?}", folder.display());
        peerings += outcome.model.peerings.len();
    }
    assert!(folders >= 5, "the corpus has its five ARM folders");
    assert!(peerings >= 29, "peerings found in the corpus: {peerings}");
}

#[test]
fn plan_and_rest_corpus_are_read() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let corpus = manifest.join("../shared/corpus");
    if !corpus.join("plan").is_dir() || !corpus.join("rest").is_dir() {
        eprintln!("skipped: {} is absent", corpus.display());
        return;
    }
    let scratch = Path::new(env!("CARGO_TARGET_TMPDIR")).join("corpus-plans");
    let _ = std::fs::remove_dir_all(&scratch);
    // Each plan on its own: its peerings are found and both ends resolve through the
    // plan's configuration (the remote ids are known only after apply).
    let mut plans: Vec<_> = std::fs::read_dir(corpus.join("plan"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    plans.sort();
    assert!(!plans.is_empty());
    for plan in plans {
        let dir = scratch.join(plan.file_stem().unwrap());
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::copy(&plan, dir.join("tfplan.json")).unwrap();
        let options = LoadOptions {
            files: &Disk,
            ..LoadOptions::default()
        };
        let outcome = peerlint::check_paths(
            std::slice::from_ref(&dir),
            &Config::default(),
            None,
            &options,
        )
        .unwrap();
        let m = &outcome.model;
        assert!(!m.peerings.is_empty(), "{}: no peerings", plan.display());
        for p in &m.peerings {
            assert!(
                p.local.resolved.is_some() && p.remote.resolved.is_some(),
                "{}: {} is not linked",
                plan.display(),
                p.label
            );
        }
        assert!(
            outcome.diagnostics.iter().all(|d| d.rule != "syntax-error"),
            "{}",
            plan.display()
        );
    }
    // Every REST and CLI shape yields VNets or peerings as an inventory.
    let mut files = Vec::new();
    let mut stack = vec![corpus.join("rest")];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "json") {
                files.push(p);
            }
        }
    }
    files.sort();
    assert!(files.len() >= 5);
    let empty = scratch.join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    for file in files {
        let options = LoadOptions {
            files: &Disk,
            inventory: vec![file.clone()],
            ..LoadOptions::default()
        };
        let outcome = peerlint::check_paths(
            std::slice::from_ref(&empty),
            &Config::default(),
            None,
            &options,
        )
        .unwrap();
        assert!(
            !outcome.model.vnets.is_empty() || !outcome.model.peerings.is_empty(),
            "{}: nothing read",
            file.display()
        );
    }
}
