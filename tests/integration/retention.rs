//! Retention and consent: `taller run` warns about workshops past their
//! retention, `taller purge` deletes their personal data and keeps the
//! programme's report the same, and the summaries count consent.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use calamine::Reader;

use crate::common::{pdf_pages_text, read_roster, taller, taller_with_env, temp_dir};

/// 2030-03-17: past a 24-month retention for the example's 2016
/// workshops, within a 20-year one.
const LATER: [(&str, &str); 1] = [("SOURCE_DATE_EPOCH", "1900000000")];

/// The bundled example programme with `retention = "24 months"`, and its
/// online workshop keeping its own longer retention.
fn example_programme(dir: &Path) {
    taller(dir, &["init", "--programme", "redes"]).expect_code(0);
    let programme = dir.join("redes/programme.toml");
    let text = fs::read_to_string(&programme).expect("programme.toml");
    fs::write(
        &programme,
        text.replace("[programme]\n", "[programme]\nretention = \"24 months\"\n"),
    )
    .expect("write");
    let online = dir.join("redes/bilbao-online-2016/workshop.toml");
    let text = fs::read_to_string(&online).expect("workshop.toml");
    fs::write(
        &online,
        text.replacen("[workshop]\n", "[workshop]\nretention = \"20 years\"\n", 1),
    )
    .expect("write");
}

/// Every file under `dir`, with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in fs::read_dir(&folder).expect("folder") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let bytes = fs::read(&path).expect("file");
                files.insert(path, bytes);
            }
        }
    }
    files
}

/// A file's text as a reader would find it: a PDF's extracted text, a
/// workbook's cells, anything else as UTF-8.
fn readable_text(path: &Path, bytes: &[u8]) -> String {
    match path.extension().and_then(|e| e.to_str()) {
        Some("pdf") => pdf_pages_text(path).join("\n"),
        Some("xlsx") => {
            let mut workbook: calamine::Xlsx<_> =
                calamine::open_workbook(path).expect("a workbook");
            let mut text = String::new();
            for name in workbook.sheet_names() {
                let range = workbook.worksheet_range(&name).expect("sheet");
                for cell in range.cells() {
                    text.push_str(&cell.2.to_string());
                    text.push('\n');
                }
            }
            text
        }
        _ => String::from_utf8_lossy(bytes).into_owned(),
    }
}

#[test]
fn purge_deletes_past_retention_keeps_the_report_and_skips_on_later_runs() {
    let dir = temp_dir();
    let root = dir.path();
    example_programme(root);
    let out = root.join("redes/taller-out");

    // Past retention: run warns about Madrid and Sevilla, not the online one.
    let run = taller_with_env(root, &["run", "redes/programme.toml"], &LATER);
    run.expect_code(0);
    let warnings: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.contains("past its retention"))
        .collect();
    assert_eq!(warnings.len(), 2, "{}", run.stderr);
    assert!(
        warnings
            .iter()
            .all(|w| w.contains("taller purge --programme")),
        "{warnings:?}"
    );
    // Within the retention, no warning.
    let early = taller_with_env(
        root,
        &["run", "redes/programme.toml", "-o", "early"],
        &[("SOURCE_DATE_EPOCH", "1500000000")],
    );
    early.expect_code(0);
    assert!(
        !early.stderr.contains("past its retention"),
        "{}",
        early.stderr
    );
    fs::remove_dir_all(root.join("early")).expect("remove");

    // Who the purged workshops hold, but not the one that stays.
    let kept_roster = read_roster(&out.join("bio-2016-06/roster.csv"));
    let kept: BTreeSet<String> = kept_roster
        .attendees
        .iter()
        .flat_map(|a| [a.email.to_lowercase(), a.full_name.clone()])
        .collect();
    let mut needles = BTreeSet::new();
    for id in ["mad-2016-01", "sev-2016-01"] {
        for a in read_roster(&out.join(id).join("roster.csv")).attendees {
            for value in [a.email.to_lowercase(), a.full_name.clone(), a.phone.clone()] {
                if value.trim().len() > 3 && !kept.contains(&value) {
                    needles.insert(value);
                }
            }
        }
    }
    assert!(
        needles.len() > 60,
        "{} names, emails and phones",
        needles.len()
    );

    // The search below can fail: before the purge the workbook names them.
    let workbook = out.join("report/report.xlsx");
    let text = readable_text(&workbook, &[]);
    assert!(needles.iter().any(|n| text.contains(n.as_str())), "{text}");

    // A dry run changes nothing, and makes no salt.
    let before = snapshot(&root.join("redes"));
    let dry = taller_with_env(
        root,
        &["purge", "--programme", "redes/programme.toml", "--dry-run"],
        &LATER,
    );
    dry.expect_code(0);
    assert!(
        dry.stderr.contains("mad-2016-01: past its retention"),
        "{}",
        dry.stderr
    );
    assert!(
        dry.stderr.contains("bio-2016-06: within its retention"),
        "{}",
        dry.stderr
    );
    assert!(
        snapshot(&root.join("redes")) == before,
        "the dry run changed a file"
    );

    let record = fs::read(out.join("report/report.json")).expect("report.json");
    let online_before = snapshot(&out.join("bio-2016-06"));
    let purge = taller_with_env(
        root,
        &["purge", "--programme", "redes/programme.toml"],
        &LATER,
    );
    purge.expect_code(0);
    assert_eq!(
        fs::read(out.join("report/report.json")).expect("report.json"),
        record,
        "report.json changed with the purge"
    );
    assert!(
        snapshot(&out.join("bio-2016-06")) == online_before,
        "the workshop within its retention was touched"
    );
    for id in ["mad-2016-01", "sev-2016-01"] {
        let folder = out.join(id);
        for gone in [
            "roster.csv",
            "roster.xlsx",
            "import-report.json",
            "outbox",
            "badges.pdf",
            "signin.pdf",
            "certificates.pdf",
        ] {
            assert!(!folder.join(gone).exists(), "{id}/{gone} is still there");
        }
        // Verification keeps working from what stays.
        assert!(folder.join("certificates/certificates.json").is_file());
        let site = folder.join("site/index.html");
        assert_eq!(site.is_file(), before.contains_key(&site), "{id}'s site");
    }

    // A later report and a later run count the same, and bring nobody back.
    taller(
        root,
        &["report", "redes/programme.toml", "-o", "redes/again"],
    )
    .expect_code(0);
    assert_eq!(
        fs::read(root.join("redes/again/report.json")).expect("report.json"),
        record
    );
    let rerun = taller_with_env(root, &["run", "redes/programme.toml"], &LATER);
    rerun.expect_code(0);
    assert!(
        rerun
            .stderr
            .contains("mad-2016-01: purged after its retention, skipped"),
        "{}",
        rerun.stderr
    );
    assert!(!out.join("mad-2016-01/roster.csv").exists());
    assert_eq!(
        fs::read(out.join("report/report.json")).expect("report.json"),
        record
    );

    // Nothing left names the purged workshops' people: outputs, the report
    // (its workbook too) and the pseudonymised rosters. The certificates'
    // signed lists are kept for verification, as the README says.
    for (path, bytes) in snapshot(&root.join("redes")) {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        // The organiser's own registration sheets are theirs to delete.
        let inputs = ["madrid-2016", "sevilla-2016", "bilbao-online-2016"]
            .iter()
            .any(|d| path.starts_with(root.join("redes").join(d)))
            && !name.starts_with(".taller-purged");
        if inputs || name == "certificates.json" {
            continue;
        }
        let text = readable_text(&path, &bytes);
        let lower = text.to_lowercase();
        for needle in &needles {
            assert!(
                !text.contains(needle.as_str()) && !lower.contains(&needle.to_lowercase()),
                "{} still holds {needle}",
                path.display()
            );
        }
    }

    // Purging again finds nothing more to do.
    let again = taller_with_env(
        root,
        &["purge", "--programme", "redes/programme.toml"],
        &LATER,
    );
    again.expect_code(0);
    assert!(
        again.stderr.contains("mad-2016-01: purged already"),
        "{}",
        again.stderr
    );

    // A purge cut short after its record was written (here: a roster put
    // back by hand) is finished by the next one.
    let left = out.join("mad-2016-01/roster.csv");
    fs::write(&left, "left over").expect("write");
    let finish = taller_with_env(
        root,
        &["purge", "--programme", "redes/programme.toml"],
        &LATER,
    );
    finish.expect_code(0);
    assert!(!left.exists(), "{}", finish.stderr);
    assert_eq!(
        fs::read(out.join("report/report.json")).expect("report.json"),
        record
    );
}

#[test]
fn consent_is_counted_in_every_summary_and_no_goes_unwritten() {
    let dir = temp_dir();
    let root = dir.path();
    fs::write(
        root.join("sheet.csv"),
        "Nombre y apellidos,Correo,¿Podemos escribirte después del taller?\n\
         Ana Ruiz,ana@a.org,Sí\n\
         Luis Gil,luis@b.org,No\n\
         Eva Sanz,eva@c.org,\n\
         Olga Pérez,olga@d.org,Sí\n\
         Iker Etxebarria,iker@e.org,\n\
         Nuria Vidal,nuria@f.org,Sí\n",
    )
    .expect("sheet");
    let import = taller(root, &["import", "sheet.csv", "-o", "roster.csv"]);
    import.expect_code(0);
    assert!(
        import
            .stderr
            .contains("Consent to follow-up emails: 3 yes, 1 no, 2 unknown"),
        "{}",
        import.stderr
    );
    let import = taller(root, &["import", "sheet.csv", "-o", "again.csv", "--json"]);
    import.expect_code(0);
    let json: serde_json::Value = serde_json::from_str(&import.stdout).expect("json");
    assert_eq!(
        json["consent"],
        serde_json::json!({"yes": 3, "no": 1, "unknown": 2})
    );

    // The bundled programme: the summaries and the report count what the
    // rosters say, and nobody who said no gets a message.
    let run = taller(root, &["run", "-o", "out"]);
    run.expect_code(0);
    let mut total = (0, 0, 0);
    for id in ["mad-2016-01", "sev-2016-01", "bio-2016-06"] {
        let roster = read_roster(&root.join("out").join(id).join("roster.csv"));
        let count = |answer| {
            roster
                .attendees
                .iter()
                .filter(|a| a.consent == answer)
                .count()
        };
        let (yes, no, unknown) = (
            count(taller_model::Answer::Yes),
            count(taller_model::Answer::No),
            count(taller_model::Answer::Unknown),
        );
        total = (total.0 + yes, total.1 + no, total.2 + unknown);
        assert!(
            run.stderr.contains(&format!(
                "consent       to follow-up emails: {yes} yes, {no} no, {unknown} unknown"
            )),
            "{id}: {}",
            run.stderr
        );
        let refused: BTreeSet<String> = roster
            .attendees
            .iter()
            .filter(|a| a.consent == taller_model::Answer::No)
            .map(|a| a.email.to_lowercase())
            .collect();
        let outbox = root.join("out").join(id).join("outbox");
        for entry in fs::read_dir(&outbox).expect("outbox") {
            let path = entry.expect("entry").path();
            if path.extension().is_none_or(|e| e != "eml") {
                continue;
            }
            let bytes = fs::read(&path).expect("message");
            let message = mail_parser::MessageParser::default()
                .parse(&bytes)
                .expect("a message");
            for to in message.to().into_iter().flat_map(|a| a.iter()) {
                let address = to.address().unwrap_or_default().to_lowercase();
                assert!(
                    !refused.contains(&address),
                    "{} is written to {address}, who said no",
                    path.display()
                );
            }
        }
    }
    assert!(total.1 > 0, "the example has people who said no");
    let report: serde_json::Value = serde_json::from_slice(
        &fs::read(root.join("out/report/report.json")).expect("report.json"),
    )
    .expect("json");
    assert_eq!(
        report["by_consent"],
        serde_json::json!({"yes": total.0, "no": total.1, "unknown": total.2})
    );
    let html = fs::read_to_string(root.join("out/report/report.html")).expect("html");
    assert!(
        html.contains(&format!(
            "{} yes, {} no, {} unknown",
            total.0, total.1, total.2
        )),
        "the page says the consent counts"
    );
}

#[test]
fn a_retention_that_is_not_a_period_is_one_clear_sentence() {
    let dir = temp_dir();
    let root = dir.path();
    taller(root, &["init", "--programme", "redes"]).expect_code(0);
    let programme = root.join("redes/programme.toml");
    let text = fs::read_to_string(&programme).expect("programme.toml");
    fs::write(
        &programme,
        text.replace("[programme]\n", "[programme]\nretention = \"24 monhts\"\n"),
    )
    .expect("write");
    let purge = taller(root, &["purge", "--programme", "redes/programme.toml"]);
    purge.expect_code(2);
    assert!(
        purge.stderr.contains("programme.toml")
            && purge.stderr.contains("24 monhts")
            && purge.stderr.contains("e.g. \"24 months\""),
        "{}",
        purge.stderr
    );
}

/// `taller forget` after a purge: a person of a purged workshop is taken
/// out of its record and its signed manifest, and the purged workshop's
/// personal data is not made again from its registration sheets.
#[test]
fn forget_after_purge_erases_from_the_record_and_makes_nothing_again() {
    let dir = temp_dir();
    let root = dir.path();
    example_programme(root);
    let out = root.join("redes/taller-out");
    taller_with_env(root, &["run", "redes/programme.toml"], &LATER).expect_code(0);
    let madrid = out.join("mad-2016-01");
    let kept: BTreeSet<String> = read_roster(&out.join("bio-2016-06/roster.csv"))
        .attendees
        .iter()
        .map(|a| a.email.to_lowercase())
        .collect();
    let person = read_roster(&madrid.join("roster.csv"))
        .attendees
        .into_iter()
        .find(|a| {
            a.attended == taller_model::Answer::Yes
                && !a.email.is_empty()
                && !kept.contains(&a.email.to_lowercase())
        })
        .expect("an attendee of Madrid only");
    taller_with_env(
        root,
        &["purge", "--programme", "redes/programme.toml"],
        &LATER,
    )
    .expect_code(0);
    let record = root.join("redes/madrid-2016/.taller-purged.csv");
    let rows_before = read_roster(&record).attendees.len();
    let manifest = madrid.join("certificates/certificates.json");
    let text = fs::read_to_string(&manifest).expect("manifest");
    assert!(text.contains(&person.email), "the manifest names them");

    let forget = taller_with_env(
        root,
        &[
            "forget",
            &person.email,
            "--programme",
            "redes/programme.toml",
        ],
        &LATER,
    );
    forget.expect_code(0);
    assert!(!madrid.join("roster.csv").exists(), "{}", forget.stdout);
    assert!(!madrid.join("signin.pdf").exists());
    assert_eq!(read_roster(&record).attendees.len(), rows_before - 1);
    let text = fs::read_to_string(&manifest).expect("manifest");
    assert!(!text.contains(&person.email), "{text}");
    assert!(!text.contains(&person.full_name), "{text}");
    // Still signed: the site is made from it again.
    let site = root.join("site-again");
    taller(
        root,
        &[
            "site",
            "--manifest",
            manifest.to_str().expect("utf-8"),
            "-o",
            site.to_str().expect("utf-8"),
        ],
    )
    .expect_code(0);
}
