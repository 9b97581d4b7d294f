//! The README shows what `peerlint check` prints on the bundled example: keep it true.

use assert_cmd::Command;

fn run(args: &[&str]) -> String {
    let out = Command::cargo_bin("peerlint")
        .unwrap()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("NO_COLOR")
        .args(args)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "the example has findings");
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn readme_shows_the_real_output() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    assert!(readme.contains("```sh\ncargo run -- check examples/hub-spoke\n```"));
    assert!(readme.contains("```sh\ncargo test\n```"));

    let compact = run(&["check", "examples/hub-spoke", "--format", "compact"]);
    assert!(
        readme.contains(&format!("```text\n{compact}```")),
        "README's compact output is stale; it should be:\n{compact}"
    );

    let human = run(&["check", "examples/hub-spoke"]);
    let first = human.split("\n\naddress-overlap\n").next().unwrap();
    assert!(
        readme.contains(first),
        "README's first finding is stale; it should be:\n{first}"
    );
    let summary = human.lines().last().unwrap();
    assert!(
        readme.contains(summary),
        "README's summary is stale: {summary}"
    );
}

#[test]
fn readme_shows_the_landing_zone_output() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let compact = run(&["check", "examples/landing-zone", "--format", "compact"]);
    assert!(
        readme.contains(&format!("```text\n{compact}```")),
        "README's landing-zone output is stale; it should be:\n{compact}"
    );
}

#[test]
fn readme_shows_the_bicep_output() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let compact = run(&["check", "examples/bicep-hub-spoke", "--format", "compact"]);
    assert!(
        readme.contains(&format!("```text\n{compact}```")),
        "README's Bicep output is stale; it should be:\n{compact}"
    );
}

#[test]
fn readme_shows_the_plan_output() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let compact = run(&["check", "examples/pipeline-plan", "--format", "compact"]);
    assert!(
        readme.contains(&format!("```text\n{compact}```")),
        "README's plan output is stale; it should be:\n{compact}"
    );
}
