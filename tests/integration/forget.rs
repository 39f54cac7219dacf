//! `taller forget`: a person erased from everything `taller run` wrote for
//! the example programme, their certificate still verifiable, their sent
//! message never resent, and a rerun that does not bring them back.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use mail_parser::MessageParser;

use crate::common::{pdftotext, taller, temp_dir};
use crate::send::TestServer;
use crate::site::{Browser, file_url};

/// An attendee of the example in two of its workshops (Madrid, Sevilla).
const EMAIL: &str = "lucia.moreno@amigosdelainfancia.org";
const NAME: &str = "Lucía Moreno Castillo";
/// What of her must be found nowhere, folded as [`fold`] folds.
const TRACES: [&str; 5] = [
    "Lucía Moreno Castillo",
    "Moreno Castillo",
    EMAIL,
    "600 123 456",
    "luciamoreno_ai",
];
/// An attendee of the online workshop only, who joined its Zoom sessions:
/// forgotten with Lucía, in the same command.
const ANE: &str = "ane.etxeberria@bizkaia-ong.eus";
const ANE_TRACES: [&str; 2] = [ANE, "Ane Etxeberria"];
/// Another attendee, who must stay everywhere.
const OTHER: &str = "Ortega Ruiz";

/// Lower case without white space: a PDF's text breaks lines and spaces
/// words as its layout did.
fn fold(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

fn files_under(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).expect("a folder") {
        let path = entry.expect("an entry").path();
        if path.is_dir() {
            files_under(&path, found);
        } else {
            found.push(path);
        }
    }
}

/// Every file's text as a reader sees it: PDFs through pdftotext,
/// workbooks through calamine, anything else as UTF-8.
fn texts(dir: &Path) -> BTreeMap<PathBuf, String> {
    let mut paths = Vec::new();
    files_under(dir, &mut paths);
    paths
        .into_iter()
        .map(|path| {
            let ext = path
                .extension()
                .map(|e| e.to_string_lossy().to_lowercase())
                .unwrap_or_default();
            let text = match ext.as_str() {
                "pdf" => pdftotext(&path),
                "xlsx" => workbook_text(&path),
                _ => String::from_utf8_lossy(&fs::read(&path).expect("file")).into_owned(),
            };
            (path, fold(&text))
        })
        .collect()
}

fn workbook_text(path: &Path) -> String {
    use calamine::Reader;
    let mut workbook = calamine::open_workbook_auto(path).expect("a workbook");
    let mut text = String::new();
    for name in workbook.sheet_names() {
        let range = workbook.worksheet_range(&name).expect("a sheet");
        for row in range.rows() {
            for cell in row {
                text.push_str(&cell.to_string());
                text.push('\n');
            }
        }
    }
    text
}

#[track_caller]
fn assert_forgotten(out: &Path, traces: &[&str]) {
    let texts = texts(out);
    for (path, text) in &texts {
        for trace in traces {
            assert!(
                !text.contains(&fold(trace)),
                "{} still holds {trace}",
                path.display()
            );
        }
    }
    // The others are still there, in the rosters, printouts and report.
    for file in [
        "mad-2016-01/roster.csv",
        "mad-2016-01/roster.xlsx",
        "mad-2016-01/signin.pdf",
        "mad-2016-01/badges.pdf",
        "report/report.xlsx",
    ] {
        let text = &texts[&out.join(file)];
        assert!(text.contains(&fold(OTHER)), "{file} lost {OTHER}");
    }
}

/// The example programme, initialised and run in `dir/prog`.
fn example(dir: &Path) -> PathBuf {
    taller(dir, &["init", "--programme", "prog"]).expect_code(0);
    taller(dir, &["run", "prog/programme.toml", "-q"]).expect_code(0);
    dir.join("prog")
}

fn eml_files(outbox: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(outbox)
        .expect("outbox")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "eml"))
        .collect();
    files.sort();
    files
}

fn recipients(bytes: &[u8]) -> String {
    let message = MessageParser::default().parse(bytes).expect("a message");
    message
        .to()
        .map(|to| {
            to.iter()
                .filter_map(|a| a.address())
                .collect::<Vec<_>>()
                .join(",")
        })
        .unwrap_or_default()
}

#[test]
fn forget_erases_a_person_everywhere_and_keeps_certificates_and_sends_right() {
    let dir = temp_dir();
    let prog = example(dir.path());
    let out = prog.join("taller-out");
    let madrid = out.join("mad-2016-01");
    let outbox = madrid.join("outbox");

    // Her message alone is sent, as `taller send` sends it; the others wait.
    let held = dir.path().join("held");
    fs::create_dir(&held).expect("folder");
    for eml in eml_files(&outbox) {
        if !recipients(&fs::read(&eml).expect("eml")).contains(EMAIL) {
            fs::rename(&eml, held.join(eml.file_name().expect("name"))).expect("move");
        }
    }
    let first = TestServer::start(usize::MAX);
    let outbox_arg = outbox.display().to_string();
    taller(dir.path(), &["send", &outbox_arg, "--smtp", &first.url()]).expect_code(0);
    assert_eq!(first.deliveries().len(), 1);
    for eml in eml_files(&held) {
        fs::rename(&eml, outbox.join(eml.file_name().expect("name"))).expect("move back");
    }

    // What she holds: her certificate and its QR address.
    let manifest_path = madrid.join("certificates/certificates.json");
    let manifest: taller_model::CertificateManifest =
        serde_json::from_slice(&fs::read(&manifest_path).expect("manifest")).expect("json");
    let entry = manifest
        .certificates
        .iter()
        .find(|e| e.email == EMAIL)
        .expect("her certificate")
        .clone();
    let kept = dir.path().join("her-certificate.pdf");
    fs::copy(madrid.join("certificates").join(&entry.file), &kept).expect("copy");

    let forget = taller(
        dir.path(),
        &["forget", EMAIL, ANE, "--programme", "prog/programme.toml"],
    );
    forget.expect_code(0);
    let log = prog.join("taller-erasures.jsonl");
    assert!(
        forget.stdout.contains(&format!(
            "erasure log: {}",
            Path::new("prog").join("taller-erasures.jsonl").display()
        )),
        "{}",
        forget.stdout
    );
    // The organiser's sheets are named, by row, not edited.
    for row in [
        "inscripciones.csv, row 2",
        "sesion-1.csv, row 5",
        "zoom-registro.csv, row 6",
    ] {
        assert!(forget.stdout.contains(row), "{row}: {}", forget.stdout);
    }
    assert!(
        fold(&fs::read_to_string(prog.join("madrid-2016/inscripciones.csv")).expect("sheet"))
            .contains(&fold(EMAIL))
    );
    let both: Vec<&str> = TRACES.iter().chain(&ANE_TRACES).copied().collect();
    assert_forgotten(&out, &both);
    // The erasure log and the salt hold nothing of her.
    let log_text = fs::read_to_string(&log).expect("log");
    for trace in TRACES.iter().chain(&ANE_TRACES) {
        assert!(!fold(&log_text).contains(&fold(trace)), "{log_text}");
    }
    assert!(log_text.contains("\"pending\"") && log_text.contains("\"done\""));
    assert!(log_text.contains("email:"), "{log_text}");

    // Her certificate still verifies, with the manifest re-signed.
    let kept_arg = kept.display().to_string();
    let manifest_arg = manifest_path.display().to_string();
    let verified = taller(
        dir.path(),
        &["verify", &kept_arg, "--manifest", &manifest_arg],
    );
    verified.expect_code(0);
    assert!(verified.stdout.starts_with("valid:"), "{}", verified.stdout);
    assert!(!verified.stdout.contains("Lucía"), "{}", verified.stdout);
    // A site made again from it is accepted (the signature is good)...
    taller(
        dir.path(),
        &["site", "--manifest", &manifest_arg, "-o", "site2"],
    )
    .expect_code(0);
    // ...and the published one answers "valid" to her QR code and to her
    // id and name typed in.
    if let Some(browser) = Browser::start() {
        let index = file_url(&madrid.join("site/index.html"));
        let url = entry.url.clone().expect("a QR address");
        let fragment = &url[url.find('#').expect("#")..];
        browser.open(&format!("{index}{fragment}"));
        let (verdict, text) = browser.verdict();
        assert_eq!(verdict, "valid", "{text}");
        browser.open(&index);
        browser.type_into("#cert-id", entry.certificate_id.as_str());
        browser.type_into("#cert-name", NAME);
        browser.click("#check");
        let (verdict, text) = browser.verdict();
        assert_eq!(verdict, "valid", "{text}");
        browser.open(&index);
        browser.type_into("#cert-id", entry.certificate_id.as_str());
        browser.type_into("#cert-name", "Lucía Moreno");
        browser.click("#check");
        assert_eq!(browser.verdict().0, "unknown");
    }

    // Sending again: her sent message is not resent, every other once.
    let waiting = eml_files(&outbox);
    assert!(!waiting.is_empty());
    let second = TestServer::start(usize::MAX);
    taller(dir.path(), &["send", &outbox_arg, "--smtp", &second.url()]).expect_code(0);
    let deliveries = second.deliveries();
    assert_eq!(deliveries.len(), waiting.len(), "{deliveries:?}");
    assert!(deliveries.values().all(|n| *n == 1), "{deliveries:?}");
    assert!(
        !deliveries
            .keys()
            .any(|id| first.deliveries().contains_key(id))
    );

    // The online workshop's report names her session rows by place only.
    let online = fs::read_to_string(out.join("bio-2016-06/import-report.json")).expect("report");
    assert!(online.contains("\"forgotten\""), "{online}");

    // A rerun does not bring her back, and each report says a forgotten
    // person's row was skipped, by its place only.
    taller(dir.path(), &["run", "prog/programme.toml", "-q"]).expect_code(0);
    assert_forgotten(&out, &both);
    let report = fs::read_to_string(madrid.join("import-report.json")).expect("report");
    let report: serde_json::Value = serde_json::from_str(&report).expect("json");
    let skipped: Vec<&serde_json::Value> = report["problems"]
        .as_array()
        .expect("problems")
        .iter()
        .filter(|p| p["kind"] == "forgotten")
        .collect();
    assert!(
        skipped.iter().any(|p| p["place"]["row"] == 2),
        "{skipped:?}"
    );
    // `taller person` finds nothing of her; exit 1 says so.
    taller(
        dir.path(),
        &["person", EMAIL, "--programme", "prog/programme.toml"],
    )
    .expect_code(1);
}

/// Every file under `dir` with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut paths = Vec::new();
    files_under(dir, &mut paths);
    paths
        .into_iter()
        .map(|p| {
            let bytes = fs::read(&p).expect("file");
            (p, bytes)
        })
        .collect()
}

#[test]
fn dry_run_changes_nothing_and_bad_input_is_one_sentence() {
    let dir = temp_dir();
    let prog = example(dir.path());
    let before = snapshot(&prog);
    let dry = taller(
        dir.path(),
        &[
            "forget",
            EMAIL,
            "--programme",
            "prog/programme.toml",
            "--dry-run",
        ],
    );
    dry.expect_code(0);
    assert!(dry.stdout.contains("signin.pdf"), "{}", dry.stdout);
    assert!(dry.stdout.contains("Dry run"), "{}", dry.stdout);
    assert_eq!(snapshot(&prog), before, "--dry-run changed files");

    let unknown = taller(
        dir.path(),
        &[
            "forget",
            "nobody@example.org",
            "--programme",
            "prog/programme.toml",
        ],
    );
    unknown.expect_code(2);
    assert_eq!(
        unknown.stderr.trim().lines().count(),
        1,
        "{}",
        unknown.stderr
    );
    assert!(
        unknown
            .stderr
            .contains("nobody with the email or id \"nobody@example.org\""),
        "{}",
        unknown.stderr
    );
    let no_outputs = taller(
        dir.path(),
        &[
            "forget",
            EMAIL,
            "--programme",
            "prog/programme.toml",
            "-o",
            "elsewhere",
        ],
    );
    no_outputs.expect_code(2);
    assert!(
        no_outputs
            .stderr
            .contains("elsewhere is not a folder taller wrote to"),
        "{}",
        no_outputs.stderr
    );
    let neither = taller(dir.path(), &["forget", EMAIL]);
    neither.expect_code(2);
    assert!(
        neither.stderr.contains("--programme P.toml"),
        "{}",
        neither.stderr
    );
    // None of these wrote a thing.
    assert_eq!(snapshot(&prog), before);
}

fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("folder");
    for entry in fs::read_dir(from).expect("folder") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

#[test]
fn a_killed_forget_is_finished_by_a_rerun() {
    let dir = temp_dir();
    let prog = example(dir.path());
    let manifest = prog.join("taller-out/mad-2016-01/certificates/certificates.json");
    let entry = serde_json::from_slice::<taller_model::CertificateManifest>(
        &fs::read(&manifest).expect("manifest"),
    )
    .expect("json")
    .certificates
    .into_iter()
    .find(|e| e.email == EMAIL)
    .expect("her certificate");
    let kept = dir.path().join("her-certificate.pdf");
    fs::copy(
        prog.join("taller-out/mad-2016-01/certificates")
            .join(&entry.file),
        &kept,
    )
    .expect("copy");
    // Rounds killed after the erasure was logged as pending and before it
    // was done: the case that matters.
    let mut mid_way = 0;
    for (round, delay) in [20u64, 150, 400, 900, 1400].into_iter().enumerate() {
        let copy = dir.path().join(format!("copy-{round}"));
        copy_tree(&prog, &copy);
        let mut child = Command::new(env!("CARGO_BIN_EXE_taller"))
            .args(["forget", EMAIL, "--programme", "programme.toml"])
            .current_dir(&copy)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("taller runs");
        std::thread::sleep(Duration::from_millis(delay));
        let _ = child.kill();
        let _ = child.wait();
        let log_path = copy.join("taller-erasures.jsonl");
        if fs::read_to_string(&log_path).is_ok_and(|log| !log.contains("\"done\"")) {
            mid_way += 1;
            // Meanwhile an import already skips her.
            let import = taller(
                &copy,
                &[
                    "import",
                    "--workshop",
                    "madrid-2016/workshop.toml",
                    "-o",
                    "check.csv",
                ],
            );
            import.expect_code(0);
            let roster = fs::read_to_string(copy.join("check.csv")).expect("roster");
            assert!(!fold(&roster).contains(&fold(EMAIL)), "round {round}");
        }
        // Every file in place is whole: the rosters read back.
        let roster = copy.join("taller-out/mad-2016-01/roster.csv");
        taller_registration::read_roster(&fs::read(&roster).expect("roster"), "roster.csv")
            .expect("a whole roster");
        // Rerun, whatever state it was killed in: the job is finished.
        let again = taller(&copy, &["forget", EMAIL, "--programme", "programme.toml"]);
        again.expect_code(0);
        assert_forgotten(&copy.join("taller-out"), &TRACES);
        let log = fs::read_to_string(copy.join("taller-erasures.jsonl")).expect("log");
        let pending = log.matches("\"pending\"").count();
        let done = log.matches("\"done\"").count();
        assert!(pending >= 1 && done >= pending, "round {round}: {log}");
        let kept_arg = kept.display().to_string();
        let manifest_arg = copy
            .join("taller-out/mad-2016-01/certificates/certificates.json")
            .display()
            .to_string();
        taller(&copy, &["verify", &kept_arg, "--manifest", &manifest_arg]).expect_code(0);
    }
    assert!(
        mid_way > 0,
        "no round was killed mid-way: the delays need adjusting"
    );
}
