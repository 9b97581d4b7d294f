//! The command-line contract: exit codes, formats, the JSON document, configuration.

use assert_cmd::Command;
use serde_json::Value;
use std::path::Path;

fn peerlint() -> Command {
    let mut cmd = Command::cargo_bin("peerlint").unwrap();
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    cmd.env_remove("NO_COLOR");
    cmd
}

fn stdout(cmd: &mut Command) -> (i32, String) {
    let out = cmd.output().unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
    )
}

fn scratch(name: &str) -> std::path::PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn exit_codes() {
    peerlint()
        .args(["check", "fixtures/address-overlap/valid_disjoint"])
        .assert()
        .code(0);
    peerlint()
        .args(["check", "fixtures/address-overlap/invalid_basic"])
        .assert()
        .code(1);
    // A path that does not exist: the run itself failed.
    let out = peerlint()
        .args(["check", "fixtures/no-such-folder"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("fixtures/no-such-folder: no such file or directory"),
        "{err}"
    );
    // Bad arguments.
    peerlint()
        .args(["check", "--format", "xml"])
        .assert()
        .code(2);
    peerlint()
        .args(["explain", "no-such-rule"])
        .assert()
        .code(2);
    peerlint().assert().code(2);
}

#[test]
fn fail_on_and_configured_levels() {
    let dir = scratch("levels");
    std::fs::write(
        dir.join(".peerlint.toml"),
        "[rules]\ncross-region = \"warning\"\n",
    )
    .unwrap();
    let case = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/cross-region/invalid_basic");
    let run = |extra: &[&str]| {
        let mut cmd = Command::cargo_bin("peerlint").unwrap();
        cmd.current_dir(&dir)
            .arg("check")
            .arg(&case)
            .args(["--format", "compact"]);
        cmd.args(extra);
        stdout(&mut cmd)
    };
    let (code, out) = run(&[]);
    assert_eq!(
        code, 0,
        "a warning does not fail the default --fail-on error"
    );
    assert!(out.contains(": warning[cross-region]: "), "{out}");
    assert_eq!(run(&["--fail-on", "warning"]).0, 1);
    assert_eq!(run(&["--fail-on", "note"]).0, 1);

    std::fs::write(
        dir.join(".peerlint.toml"),
        "[rules]\ncross-region = \"off\"\n",
    )
    .unwrap();
    let (code, out) = run(&[]);
    assert_eq!((code, out.as_str()), (0, ""));

    // An explicit --config wins; an invalid one fails the run.
    let bad = dir.join("bad.toml");
    std::fs::write(&bad, "[rules]\ncross-regoin = \"off\"\n").unwrap();
    let out = Command::cargo_bin("peerlint")
        .unwrap()
        .current_dir(&dir)
        .arg("check")
        .arg(&case)
        .arg("--config")
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8(out.stderr)
            .unwrap()
            .contains("unknown rule \"cross-regoin\"")
    );
}

#[test]
fn compact_lines() {
    let (code, out) = stdout(peerlint().args([
        "check",
        "fixtures/address-overlap/invalid_basic",
        "--format",
        "compact",
    ]));
    assert_eq!(code, 1);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2);
    assert!(lines[0].starts_with(
        "fixtures/address-overlap/invalid_basic/main.tf:24:3: error[address-overlap]: `azurerm_virtual_network_peering.hub_to_spoke` peers"
    ), "{}", lines[0]);
    assert!(lines[1].starts_with(
        "fixtures/address-overlap/invalid_basic/main.tf:31:3: error[address-overlap]: "
    ));
}

/// The keys of a JSON object, sorted.
fn keys(v: &Value) -> Vec<&str> {
    let mut k: Vec<&str> = v
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect();
    k.sort();
    k
}

fn assert_span(span: &Value) {
    assert_eq!(keys(span), ["end", "length", "offset", "start"]);
    for pos in [&span["start"], &span["end"]] {
        assert_eq!(keys(pos), ["column", "line"]);
        assert!(pos["line"].as_u64().unwrap() >= 1);
        assert!(pos["column"].as_u64().unwrap() >= 1);
    }
    assert!(span["offset"].is_u64());
    assert!(span["length"].is_u64());
}

#[test]
fn json_contract_version_1() {
    let (code, out) = stdout(peerlint().args([
        "check",
        "fixtures/syntax-error/invalid_unclosed_block",
        "fixtures/remote-gateway-conflict/invalid_across_files",
        "--format",
        "json",
    ]));
    assert_eq!(code, 1);
    let doc: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(keys(&doc), ["diagnostics", "summary", "tool", "version"]);
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["tool"]["name"], "peerlint");
    assert_eq!(doc["tool"]["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(
        doc["summary"],
        serde_json::json!({"files": 5, "vnets": 4, "peerings": 3, "errors": 3, "warnings": 1, "notes": 0})
    );
    let diags = doc["diagnostics"].as_array().unwrap();
    let summary: Vec<(String, String, String, u64)> = diags
        .iter()
        .map(|d| {
            (
                d["severity"].as_str().unwrap().to_string(),
                d["rule"].as_str().unwrap().to_string(),
                d["file"].as_str().unwrap().to_string(),
                d["span"]["start"]["line"].as_u64().unwrap(),
            )
        })
        .collect();
    // Sorted by file, then offset: the syntax error in one file does not hide the rest.
    assert_eq!(
        summary,
        [
            (
                "error".into(),
                "remote-gateway-conflict".into(),
                "fixtures/remote-gateway-conflict/invalid_across_files/peering.tf".into(),
                7
            ),
            (
                "error".into(),
                "syntax-error".into(),
                "fixtures/syntax-error/invalid_unclosed_block/broken.tf".into(),
                6
            ),
            (
                "error".into(),
                "address-overlap".into(),
                "fixtures/syntax-error/invalid_unclosed_block/good.tf".into(),
                20
            ),
            (
                "warning".into(),
                "missing-reverse-peering".into(),
                "fixtures/syntax-error/invalid_unclosed_block/good.tf".into(),
                20
            ),
        ]
    );
    for d in diags {
        let mut expected = vec![
            "file", "help", "message", "note", "related", "rule", "severity", "span",
        ];
        if d.get("note").is_none() {
            expected.retain(|k| *k != "note");
        }
        assert_eq!(keys(d), expected);
        assert_span(&d["span"]);
        for r in d["related"].as_array().unwrap() {
            assert_eq!(keys(r), ["file", "message", "span"]);
            assert_span(&r["span"]);
        }
    }
    // The gateway evidence is labelled in its own file, with exact positions.
    let gw = &diags[0]["related"][0];
    assert_eq!(
        gw["file"],
        "fixtures/remote-gateway-conflict/invalid_across_files/gateway.tf"
    );
    assert_eq!(
        gw["span"]["start"],
        serde_json::json!({"line": 1, "column": 1})
    );
    assert_eq!(
        gw["span"]["end"],
        serde_json::json!({"line": 1, "column": 51})
    );
    assert_eq!(gw["span"]["offset"], 0);
    assert_eq!(gw["span"]["length"], 50);
    let primary = &diags[0]["span"];
    assert_eq!(
        primary["start"],
        serde_json::json!({"line": 7, "column": 3})
    );
    assert_eq!(primary["end"], serde_json::json!({"line": 7, "column": 35}));
}

#[test]
fn json_offsets_count_a_byte_order_mark_and_columns_count_characters() {
    let dir = scratch("bom");
    let text = "\u{feff}resource \"azurerm_virtual_network_peering\" \"p\" {\n  name = \"ü\"\n  allow_gateway_transit = \"nö\"\n}\n";
    std::fs::write(dir.join("main.tf"), text).unwrap();
    let (code, out) = stdout(
        Command::cargo_bin("peerlint")
            .unwrap()
            .current_dir(&dir)
            .args(["check", "--format", "json"]),
    );
    assert_eq!(code, 1);
    let doc: Value = serde_json::from_str(&out).unwrap();
    let d = &doc["diagnostics"][0];
    assert_eq!(d["rule"], "invalid-value");
    assert_eq!(d["file"], "main.tf");
    let at = text.find("\"nö\"").unwrap();
    assert_eq!(d["span"]["offset"], at as u64);
    assert_eq!(d["span"]["length"], 5);
    assert_eq!(
        d["span"]["start"],
        serde_json::json!({"line": 3, "column": 27})
    );
    assert_eq!(
        d["span"]["end"],
        serde_json::json!({"line": 3, "column": 31})
    );
}

#[test]
fn human_output_and_colour() {
    let (code, out) = stdout(peerlint().args(["check", "fixtures/cross-region/invalid_basic"]));
    assert_eq!(code, 1);
    assert!(!out.contains('\u{1b}'), "no colour when not on a terminal");
    assert!(out.contains("cross-region"));
    assert!(out.contains("help: put both VNets in one region"));
    assert!(
        out.trim_end()
            .ends_with("Found 2 errors in 1 file (2 VNets, 2 peerings)."),
        "{out}"
    );
    let (_, coloured) = stdout(peerlint().args([
        "check",
        "fixtures/cross-region/invalid_basic",
        "--color",
        "always",
    ]));
    assert!(coloured.contains('\u{1b}'));
    let (code, clean) =
        stdout(peerlint().args(["check", "fixtures/missing-reverse-peering/valid_both_ways"]));
    assert_eq!(code, 0);
    assert_eq!(
        clean,
        "No problems found in 1 file (2 VNets, 2 peerings).\n"
    );
}

#[test]
fn a_single_file_is_checked_with_its_module() {
    // good.tf alone: its finding needs nothing from broken.tf, and broken.tf's syntax error
    // is not reported because broken.tf was not asked for.
    let (code, out) = stdout(peerlint().args([
        "check",
        "fixtures/syntax-error/invalid_unclosed_block/good.tf",
        "--format",
        "compact",
    ]));
    assert_eq!(code, 1);
    assert_eq!(out.lines().count(), 2, "{out}");
    assert!(out.contains("good.tf:20:3: error[address-overlap]"));
    assert!(out.contains("good.tf:20:3: warning[missing-reverse-peering]"));
    // peering.tf alone still sees the VNets and the gateway declared in its siblings.
    let (code, out) = stdout(peerlint().args([
        "check",
        "fixtures/remote-gateway-conflict/invalid_across_files/peering.tf",
        "--format",
        "compact",
    ]));
    assert_eq!(code, 1);
    assert!(
        out.contains("peering.tf:7:3: error[remote-gateway-conflict]"),
        "{out}"
    );
}

#[test]
fn hidden_folders_are_skipped() {
    let dir = scratch("hidden");
    std::fs::create_dir_all(dir.join(".terraform/modules/x")).unwrap();
    std::fs::write(dir.join(".terraform/modules/x/bad.tf"), "resource {").unwrap();
    std::fs::write(dir.join("main.tf"), "locals {}\n").unwrap();
    let (code, out) = stdout(
        Command::cargo_bin("peerlint")
            .unwrap()
            .current_dir(&dir)
            .arg("check"),
    );
    assert_eq!(code, 0, "{out}");
    assert_eq!(out, "No problems found in 1 file (0 VNets, 0 peerings).\n");
}

#[test]
fn rules_and_explain() {
    let (code, out) = stdout(peerlint().arg("rules"));
    assert_eq!(code, 0);
    for meta in peerlint::rules::all() {
        let line = out
            .lines()
            .find(|l| l.split_whitespace().next() == Some(meta.id))
            .unwrap_or_else(|| panic!("{} is not listed", meta.id));
        let level = meta.default_level.as_str();
        assert!(line.contains(&format!(" {level} ")), "{line}");
        assert!(line.ends_with(meta.summary), "{line}");
    }
    let (code, doc) = stdout(peerlint().args(["explain", "address-overlap"]));
    assert_eq!(code, 0);
    assert!(doc.starts_with("# address-overlap\n"));
    assert_eq!(doc, peerlint::rules::find("address-overlap").unwrap().doc);
}

#[test]
fn output_does_not_depend_on_the_thread_count() {
    let run = |threads: &str| {
        let out = peerlint()
            .env("RAYON_NUM_THREADS", threads)
            .args(["check", "fixtures", "examples", "--format", "json"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        out.stdout
    };
    let one = run("1");
    assert!(one.len() > 10_000, "the run reports findings");
    assert_eq!(one, run("4"));
    assert_eq!(one, run("4"));
}

#[test]
fn a_file_named_twice_is_read_once_and_other_files_are_refused() {
    let case = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/address-overlap/invalid_basic");
    let (code, out) = stdout(
        Command::cargo_bin("peerlint")
            .unwrap()
            .current_dir(&case)
            .args(["check", ".", "main.tf", "./main.tf", "--format", "compact"]),
    );
    assert_eq!(code, 1);
    assert_eq!(out.lines().count(), 2, "{out}");
    assert!(
        out.starts_with("main.tf:24:3: error[address-overlap]"),
        "{out}"
    );

    let out = peerlint().args(["check", "README.md"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8(out.stderr)
            .unwrap()
            .contains("README.md: not a file peerlint reads")
    );
}

#[test]
fn variable_values_follow_terraforms_precedence() {
    let dir = scratch("precedence");
    std::fs::write(
        dir.join("main.tf"),
        r#"
variable "spoke_cidr" {
  type    = string
  default = "10.9.0.0/16"
}
variable "spokes" {
  type    = list(string)
  default = []
}
resource "azurerm_virtual_network" "hub" {
  name                = "vnet-hub"
  resource_group_name = "rg"
  location            = "westeurope"
  address_space       = ["10.0.0.0/16"]
}
resource "azurerm_virtual_network" "spoke" {
  name                = "vnet-spoke"
  resource_group_name = "rg"
  location            = "westeurope"
  address_space       = concat([var.spoke_cidr], var.spokes)
}
resource "azurerm_virtual_network_peering" "hub_to_spoke" {
  name                      = "hub-to-spoke"
  resource_group_name       = "rg"
  virtual_network_name      = azurerm_virtual_network.hub.name
  remote_virtual_network_id = azurerm_virtual_network.spoke.id
}
"#,
    )
    .unwrap();
    std::fs::write(
        dir.join("terraform.tfvars"),
        "spoke_cidr = \"10.8.0.0/16\"\n",
    )
    .unwrap();
    std::fs::write(dir.join("prod.tfvars"), "spoke_cidr = \"10.0.1.0/24\"\n").unwrap();
    std::fs::write(
        dir.join("dev.tfvars.json"),
        "{\"spoke_cidr\": \"10.7.0.0/16\"}\n",
    )
    .unwrap();
    let run = |args: &[&str], env: &[(&str, &str)]| {
        let mut cmd = Command::cargo_bin("peerlint").unwrap();
        cmd.current_dir(&dir)
            .args(["check", "--format", "compact"])
            .args(args);
        for (k, v) in env {
            cmd.env(k, v);
        }
        let (code, out) = stdout(&mut cmd);
        let overlap = out
            .split("overlap: 10.0.0.0/16 (`azurerm_virtual_network.hub`) overlaps ")
            .nth(1)
            .map(|rest| rest.split(' ').next().unwrap().to_string());
        (code, overlap)
    };
    // terraform.tfvars (10.8/16) wins over the default and over TF_VAR_.
    assert_eq!(run(&[], &[("TF_VAR_spoke_cidr", "10.0.2.0/24")]), (0, None));
    // --var-file wins over terraform.tfvars; later files win.
    assert_eq!(
        run(&["--var-file", "prod.tfvars"], &[]),
        (1, Some("10.0.1.0/24".into()))
    );
    assert_eq!(
        run(
            &["--var-file", "prod.tfvars", "--var-file", "dev.tfvars.json"],
            &[]
        ),
        (0, None)
    );
    // --var wins over the files before it; for a list variable it is read as HCL.
    assert_eq!(
        run(
            &[
                "--var-file",
                "prod.tfvars",
                "--var",
                "spoke_cidr=10.6.0.0/16"
            ],
            &[]
        ),
        (0, None)
    );
    // --var and --var-file apply in command-line order, as in Terraform.
    assert_eq!(
        run(
            &[
                "--var",
                "spoke_cidr=10.6.0.0/16",
                "--var-file",
                "prod.tfvars"
            ],
            &[]
        ),
        (1, Some("10.0.1.0/24".into()))
    );
    assert_eq!(
        run(&["--var", "spokes=[\"10.0.3.0/24\"]"], &[]),
        (1, Some("10.0.3.0/24".into()))
    );
    // TF_VAR_ is below terraform.tfvars, but above the default.
    std::fs::remove_file(dir.join("terraform.tfvars")).unwrap();
    assert_eq!(
        run(&[], &[("TF_VAR_spoke_cidr", "10.0.2.0/24")]),
        (1, Some("10.0.2.0/24".into()))
    );
    // A variables file that does not exist fails the run; a malformed --var is a usage error.
    peerlint()
        .current_dir(&dir)
        .args(["check", "--var-file", "nope.tfvars"])
        .assert()
        .code(2);
    peerlint()
        .current_dir(&dir)
        .args(["check", "--var", "no-equals"])
        .assert()
        .code(2);
}

#[test]
fn verbose_says_what_could_not_be_followed() {
    let dir = scratch("verbose");
    std::fs::write(
        dir.join("main.tf"),
        "module \"hub\" {\n  source  = \"Azure/avm-ptn-hubnetworking/azurerm\"\n  version = \"0.1.0\"\n}\n",
    )
    .unwrap();
    let out = Command::cargo_bin("peerlint")
        .unwrap()
        .current_dir(&dir)
        .args(["check", "--verbose"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(
        err,
        "peerlint: note: module.hub: the module \"Azure/avm-ptn-hubnetworking/azurerm\" is not installed (run `terraform init`); its values are unknown\n"
    );
    let quiet = Command::cargo_bin("peerlint")
        .unwrap()
        .current_dir(&dir)
        .arg("check")
        .output()
        .unwrap();
    assert!(quiet.stderr.is_empty());
}

/// A template with two VNets in the deployment's resource group, from parameters.
const ARM_VNETS: &str = r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {
    "hubPrefix": { "type": "string", "defaultValue": "10.0.0.0/16" },
    "spokePrefix": { "type": "string", "defaultValue": "10.1.0.0/16" },
    "spokeLocation": { "type": "string", "defaultValue": "[resourceGroup().location]" }
  },
  "resources": [
    { "type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-09-01", "name": "vnet-hub",
      "location": "westeurope",
      "properties": { "addressSpace": { "addressPrefixes": ["[parameters('hubPrefix')]"] } } },
    { "type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-09-01", "name": "vnet-spoke",
      "location": "[parameters('spokeLocation')]",
      "properties": { "addressSpace": { "addressPrefixes": ["[parameters('spokePrefix')]"] } } }
  ]
}
"#;

/// A template with the peering between them, deployed separately.
const ARM_PEERING: &str = r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "resources": [
    { "type": "Microsoft.Network/virtualNetworks/virtualNetworkPeerings", "apiVersion": "2023-09-01",
      "name": "vnet-spoke/spoke-to-hub",
      "properties": { "remoteVirtualNetwork": {
        "id": "[resourceId('Microsoft.Network/virtualNetworks', 'vnet-hub')]" } } }
  ]
}
"#;

fn parameters(values: &[(&str, &str)]) -> String {
    let values: Vec<String> = values
        .iter()
        .map(|(k, v)| format!("\"{k}\": {{ \"value\": \"{v}\" }}"))
        .collect();
    format!(
        "{{\n  \"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#\",\n  \"contentVersion\": \"1.0.0.0\",\n  \"parameters\": {{ {} }}\n}}\n",
        values.join(", ")
    )
}

#[test]
fn arm_templates_deployed_together_with_the_target_flags() {
    let dir = scratch("arm-target");
    std::fs::write(dir.join("vnets.json"), ARM_VNETS).unwrap();
    std::fs::write(dir.join("peering.json"), ARM_PEERING).unwrap();
    std::fs::write(
        dir.join("vnets.parameters.json"),
        parameters(&[("spokePrefix", "10.0.64.0/18")]),
    )
    .unwrap();
    let run = |args: &[&str]| {
        stdout(
            Command::cargo_bin("peerlint")
                .unwrap()
                .current_dir(&dir)
                .args(["check", "--format", "compact"])
                .args(args),
        )
    };
    // Each template on its own: the peering's VNets are not among its own.
    let (code, out) = run(&[]);
    assert_eq!((code, out.as_str()), (0, ""));
    // Deployed to one resource group: the peering links to the VNets of the other template
    // (with the parameter file that pairs by name), and the spoke's location is the
    // group's.
    let (code, out) = run(&[
        "--subscription",
        "00000000-0000-0000-0000-000000000001",
        "--resource-group",
        "rg-net",
        "--location",
        "northeurope",
    ]);
    assert_eq!(code, 1);
    assert_eq!(
        out,
        "peering.json:8:9: error[address-overlap]: `virtualNetworkPeerings/vnet-spoke/spoke-to-hub` peers VNets whose address spaces overlap: 10.0.64.0/18 (`virtualNetworks/vnet-spoke (with vnets.parameters.json)`) overlaps 10.0.0.0/16 (`virtualNetworks/vnet-hub (with vnets.parameters.json)`)\n\
         peering.json:8:9: error[cross-region]: `virtualNetworkPeerings/vnet-spoke/spoke-to-hub` peers VNets in different regions: `virtualNetworks/vnet-spoke (with vnets.parameters.json)` is in northeurope, `virtualNetworks/vnet-hub (with vnets.parameters.json)` in westeurope\n\
         peering.json:8:9: warning[missing-reverse-peering]: `virtualNetworkPeerings/vnet-spoke/spoke-to-hub` peers `virtualNetworks/vnet-spoke (with vnets.parameters.json)` with `virtualNetworks/vnet-hub (with vnets.parameters.json)`, but no peering goes back from `virtualNetworks/vnet-hub (with vnets.parameters.json)`\n"
    );
}

#[test]
fn arm_parameter_files_pair_by_name_or_explicitly() {
    let dir = scratch("arm-parameters");
    std::fs::write(dir.join("vnets.json"), ARM_VNETS.replace(
        r#"  ]
}"#,
        r#"  , { "type": "Microsoft.Network/virtualNetworks/virtualNetworkPeerings", "apiVersion": "2023-09-01",
      "name": "vnet-hub/hub-to-spoke",
      "properties": { "remoteVirtualNetwork": {
        "id": "[resourceId('Microsoft.Network/virtualNetworks', 'vnet-spoke')]" } } }
  ]
}"#,
    ))
    .unwrap();
    // Two files pair by name: the template is linted once with each.
    std::fs::write(
        dir.join("vnets.parameters.json"),
        parameters(&[("spokePrefix", "10.0.1.0/24")]),
    )
    .unwrap();
    std::fs::write(
        dir.join("vnets.parameters.prod.json"),
        parameters(&[("SPOKEPREFIX", "10.0.2.0/24")]),
    )
    .unwrap();
    // Files that pair by no name, given explicitly; one fits no template.
    std::fs::write(
        dir.join("lab.json"),
        parameters(&[("spokePrefix", "10.0.3.0/24")]),
    )
    .unwrap();
    std::fs::write(dir.join("other.json"), parameters(&[("vmName", "vm1")])).unwrap();
    let run = |args: &[&str]| {
        let out = Command::cargo_bin("peerlint")
            .unwrap()
            .current_dir(&dir)
            .args(["check", "--format", "compact"])
            .args(args)
            .output()
            .unwrap();
        (
            out.status.code().unwrap(),
            // The hub peers one way only; the warnings about it are beside the point here.
            String::from_utf8(out.stdout)
                .unwrap()
                .lines()
                .filter(|l| !l.contains("warning[missing-reverse-peering]"))
                .map(|l| format!("{l}\n"))
                .collect::<String>(),
            String::from_utf8(out.stderr).unwrap(),
        )
    };
    let (code, out, err) = run(&[]);
    assert_eq!(code, 1);
    let withs: Vec<&str> = out
        .lines()
        .map(|l| {
            l.split(" (with ")
                .nth(1)
                .unwrap()
                .split(')')
                .next()
                .unwrap()
        })
        .collect();
    assert_eq!(
        withs,
        ["vnets.parameters.json", "vnets.parameters.prod.json"],
        "{out}"
    );
    assert!(
        out.contains("10.0.2.0/24"),
        "names match case-insensitively: {out}"
    );
    assert_eq!(err, "");
    let (code, out, err) = run(&[
        "--arm-parameters",
        "lab.json",
        "--arm-parameters",
        "other.json",
    ]);
    assert_eq!(code, 1);
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(
        out.contains("10.0.3.0/24") && out.contains("(with lab.json)"),
        "{out}"
    );
    assert_eq!(
        err,
        "peerlint: other.json: no template declares every parameter this file gives; it was not used\n"
    );
    // A parameter file that does not exist: the run fails.
    let (code, _, err) = run(&["--arm-parameters", "missing.json"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("missing.json: no such parameter file"),
        "{err}"
    );
}

#[test]
fn bicep_sources_are_mentioned_once_unless_compiled() {
    let dir = scratch("bicep");
    std::fs::create_dir_all(dir.join("modules")).unwrap();
    std::fs::write(dir.join("main.bicep"), "param location string\n").unwrap();
    std::fs::write(dir.join("modules/vnet.bicep"), "param name string\n").unwrap();
    let run = || {
        Command::cargo_bin("peerlint")
            .unwrap()
            .current_dir(&dir)
            .arg("check")
            .output()
            .unwrap()
    };
    let out = run();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        "peerlint: 2 .bicep files are not read: compile Bicep to JSON first (`az bicep build --file main.bicep`, or `bicep build main.bicep`) and check the JSON\n"
    );
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "No problems found in 0 files (0 VNets, 0 peerings).\n"
    );
    // With Bicep's output beside them, nothing to say.
    std::fs::write(
        dir.join("main.json"),
        r#"{ "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "metadata": { "_generator": { "name": "bicep", "version": "0.30.23.60470" } },
  "resources": [] }"#,
    )
    .unwrap();
    let out = run();
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stderr.is_empty());
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "No problems found in 1 file (0 VNets, 0 peerings).\n"
    );
}

#[test]
fn a_single_template_is_checked_and_other_files_are_refused() {
    let (code, out) = stdout(peerlint().args([
        "check",
        "fixtures/address-overlap/invalid_arm_basic/azuredeploy.json",
        "--format",
        "compact",
    ]));
    assert_eq!(code, 1);
    assert_eq!(out.lines().count(), 2, "{out}");
    let out = peerlint().args(["check", "README.md"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8(out.stderr)
            .unwrap()
            .contains("README.md: not a file peerlint reads"),
    );
}

#[test]
fn a_single_parameter_file_or_template_reports_what_it_deploys() {
    // A parameter file alone: the findings of its template with its values.
    let (code, out) = stdout(peerlint().args([
        "check",
        "fixtures/address-overlap/invalid_arm_parameter_files/main.parameters.prod.json",
        "--format",
        "compact",
    ]));
    assert_eq!(code, 1);
    assert!(
        out.starts_with("fixtures/address-overlap/invalid_arm_parameter_files/main.json:42:15: error[address-overlap]")
            && out.contains("(with main.parameters.prod.json)"),
        "{out}"
    );
    // A template alone: the findings in the templates it links.
    let (code, out) = stdout(peerlint().args([
        "check",
        "fixtures/cross-region/invalid_arm_linked_template/azuredeploy.json",
        "--format",
        "compact",
    ]));
    assert_eq!(code, 1);
    assert!(
        out.starts_with("fixtures/cross-region/invalid_arm_linked_template/nested/vnet.json:27:35: error[cross-region]"),
        "{out}"
    );
}

#[test]
fn a_binary_plan_says_how_to_convert_it() {
    let dir = scratch("binary-plan");
    // A zip archive's local header naming its first entry `tfplan`, as `terraform plan
    // -out` writes.
    let mut bytes = b"PK\x03\x04".to_vec();
    bytes.extend([0u8; 22]);
    bytes.extend([6, 0, 0, 0]);
    bytes.extend(b"tfplan\x00\x01binary");
    std::fs::write(dir.join("tfplan"), bytes).unwrap();
    let (code, out) = stdout(
        Command::cargo_bin("peerlint")
            .unwrap()
            .current_dir(&dir)
            .args(["check", "tfplan", "--format", "compact"]),
    );
    assert_eq!(code, 1);
    assert_eq!(
        out,
        "tfplan:1:1: error[syntax-error]: a binary Terraform plan: peerlint reads plans as JSON\n"
    );
    let out = Command::cargo_bin("peerlint")
        .unwrap()
        .current_dir(&dir)
        .args(["check", "tfplan"])
        .output()
        .unwrap();
    assert!(
        String::from_utf8(out.stdout)
            .unwrap()
            .contains("terraform show -json tfplan > tfplan.json")
    );
}

#[test]
fn a_plan_elsewhere_points_at_its_sources_with_source() {
    let dir = scratch("plan-source");
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/address-overlap/invalid_plan_beside_sources");
    std::fs::create_dir_all(dir.join("root")).unwrap();
    std::fs::create_dir_all(dir.join("out")).unwrap();
    std::fs::copy(fixture.join("main.tf"), dir.join("root/main.tf")).unwrap();
    std::fs::copy(fixture.join("tfplan.json"), dir.join("out/prod.plan.json")).unwrap();
    let run = |args: &[&str]| {
        stdout(
            Command::cargo_bin("peerlint")
                .unwrap()
                .current_dir(&dir)
                .args(["check", "--format", "compact"])
                .args(args),
        )
    };
    // The plan alone: findings point into it.
    let (code, out) = run(&["out/prod.plan.json"]);
    assert_eq!(code, 1);
    assert!(out.starts_with("out/prod.plan.json:"), "{out}");
    // With its sources: at the `.tf` line, once.
    let (code, out) = run(&["out/prod.plan.json", "--source", "root"]);
    assert_eq!(code, 1);
    assert_eq!(out.lines().count(), 2, "{out}");
    assert!(
        out.starts_with("root/main.tf:25:3: error[address-overlap]"),
        "{out}"
    );
    assert!(
        out.contains("root/main.tf:25:3: warning[missing-reverse-peering]"),
        "{out}"
    );
    // The sources alone cannot know the spoke's range (the peering is one-way still).
    let (code, out) = run(&["root"]);
    assert_eq!(code, 0);
    assert!(!out.contains("error["), "{out}");
    // Missing files and folders fail the run.
    let fail = |args: &[&str]| {
        Command::cargo_bin("peerlint")
            .unwrap()
            .current_dir(&dir)
            .arg("check")
            .args(args)
            .output()
            .unwrap()
    };
    let out = fail(&["root", "--source", "nowhere"]);
    assert_eq!(out.status.code(), Some(2));
    let out = fail(&["root", "--inventory", "missing.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8(out.stderr)
            .unwrap()
            .contains("missing.json: no such inventory file")
    );
}

#[test]
fn an_inventory_that_cannot_be_read_is_reported() {
    let dir = scratch("broken-inventory");
    std::fs::write(dir.join("main.tf"), "locals {}\n").unwrap();
    // What `az network vnet list -o json > vnets.json` leaves when `az` fails.
    std::fs::write(dir.join("vnets.json"), "").unwrap();
    let (code, out) = stdout(
        Command::cargo_bin("peerlint")
            .unwrap()
            .current_dir(&dir)
            .args([
                "check",
                "main.tf",
                "--inventory",
                "vnets.json",
                "--format",
                "compact",
            ]),
    );
    assert_eq!(code, 1);
    assert_eq!(
        out,
        "vnets.json:1:1: error[syntax-error]: JSON syntax error: the file holds no JSON value\n"
    );
}

#[test]
fn a_rule_option_comes_from_the_configuration() {
    let dir = scratch("peering-limit-option");
    std::fs::write(
        dir.join("main.tf"),
        r#"resource "azurerm_virtual_network" "hub" {
  name                = "vnet-hub"
  resource_group_name = "rg"
  location            = "westeurope"
  address_space       = ["10.0.0.0/16"]
}
resource "azurerm_virtual_network" "spoke" {
  count               = 3
  name                = "vnet-spoke-${count.index}"
  resource_group_name = "rg"
  location            = "westeurope"
  address_space       = ["10.${count.index + 1}.0.0/16"]
}
resource "azurerm_virtual_network_peering" "hub_to_spoke" {
  count                     = 3
  name                      = "hub-to-spoke-${count.index}"
  resource_group_name       = "rg"
  virtual_network_name      = azurerm_virtual_network.hub.name
  remote_virtual_network_id = azurerm_virtual_network.spoke[count.index].id
}
resource "azurerm_virtual_network_peering" "spoke_to_hub" {
  count                     = 3
  name                      = "spoke-to-hub"
  resource_group_name       = "rg"
  virtual_network_name      = azurerm_virtual_network.spoke[count.index].name
  remote_virtual_network_id = azurerm_virtual_network.hub.id
}
"#,
    )
    .unwrap();
    let run = || {
        stdout(
            Command::cargo_bin("peerlint")
                .unwrap()
                .current_dir(&dir)
                .args(["check", "--format", "compact"]),
        )
    };
    assert_eq!(run(), (0, String::new()));
    std::fs::write(
        dir.join(".peerlint.toml"),
        "[rules]\npeering-limit = { level = \"warning\", max = 2 }\n",
    )
    .unwrap();
    let (code, out) = run();
    assert_eq!(code, 0, "a warning does not fail the run: {out}");
    assert_eq!(
        out,
        "main.tf:1:1: warning[peering-limit]: `azurerm_virtual_network.hub` has 3 peerings, more than the limit of 2\n"
    );
    std::fs::write(
        dir.join(".peerlint.toml"),
        "[rules]\npeering-limit = { max = -1 }\n",
    )
    .unwrap();
    let out = Command::cargo_bin("peerlint")
        .unwrap()
        .current_dir(&dir)
        .arg("check")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8(out.stderr)
            .unwrap()
            .contains("`max` is a positive integer")
    );
}

#[test]
fn findings_held_back_by_gaps_are_counted_on_stderr() {
    // A module that is not installed may declare the peering back: no finding, but the
    // user hears that one was held back, and why.
    let out = peerlint()
        .args([
            "check",
            "fixtures/missing-reverse-peering/valid_module_not_installed",
            "--format",
            "compact",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "");
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.starts_with("peerlint: 1 missing-reverse-peering finding held back: "),
        "{err}"
    );
    assert!(err.contains("see --verbose"), "{err}");
    // With the rule off, nothing is held back.
    let dir = scratch("held-back-off");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/missing-reverse-peering/valid_module_not_installed/main.tf"),
        dir.join("main.tf"),
    )
    .unwrap();
    std::fs::write(
        dir.join(".peerlint.toml"),
        "[rules]\nmissing-reverse-peering = \"off\"\n",
    )
    .unwrap();
    let out = Command::cargo_bin("peerlint")
        .unwrap()
        .current_dir(&dir)
        .arg("check")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8(out.stderr).unwrap(), "");
}
