//! Properties that hold for any input: every data row ends up in the
//! roster or in the report, and no input makes the import panic.

use proptest::prelude::*;
use taller_model::ProblemKind;
use taller_registration::{ImportOptions, Input, import};

fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("Ana Ruiz".to_owned()),
        Just("ANA RUIZ".to_owned()),
        Just("Luis Gil".to_owned()),
        Just("Total inscritos: 3".to_owned()),
        Just("ana@ong.org".to_owned()),
        Just("info@ong.org".to_owned()),
        Just("ana@gmail.con".to_owned()),
        Just("no tengo".to_owned()),
        Just("=1+1".to_owned()),
        "[A-Za-zÁÉñçł@. ;\"'-]{0,16}",
    ]
}

fn row() -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(cell(), 1..5)
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 200,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn every_data_row_is_in_the_roster_or_the_report(rows in prop::collection::vec(row(), 0..25)) {
        let mut writer = csv::WriterBuilder::new().flexible(true).from_writer(Vec::new());
        writer.write_record(["Nombre y apellidos", "Correo", "Organización", "Ciudad"]).expect("csv");
        for row in &rows {
            writer.write_record(row).expect("csv");
        }
        let bytes = writer.into_inner().expect("csv");
        let input = Input { name: "f.csv".into(), bytes };
        let imported = import(&[input], None, &ImportOptions::default()).expect("usable");
        for (index, row) in rows.iter().enumerate() {
            if row.iter().all(|cell| cell.trim().is_empty()) {
                continue;
            }
            let number = index as u32 + 2;
            let place = format!("f.csv:{number}");
            let in_roster = imported
                .roster
                .attendees
                .iter()
                .any(|a| a.source.0.contains(&place));
            let reported = imported.report.problems.iter().any(|p| {
                p.place.row == Some(number)
                    && matches!(p.kind, ProblemKind::RejectedRow | ProblemKind::NotAnAttendee)
            });
            prop_assert!(in_roster || reported, "row {number} {row:?} was lost: {:#?}", imported.report.problems);
            prop_assert!(!(in_roster && reported), "row {number} is both imported and left out");
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        let input = Input { name: "x.csv".into(), bytes };
        let _ = import(&[input], None, &ImportOptions::default());
    }
}

/// Damaged copies of the workbook fixtures, byte by byte: the import
/// returns a result (usually an error) and never panics.
#[test]
fn damaged_workbooks_never_panic() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/import");
    let mut seed: u64 = 0x2016_0127;
    let mut next = move || {
        // xorshift: deterministic, so a failure can be replayed.
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for name in [
        "inscripciones.xlsx",
        "inscripciones.xls",
        "inscripciones.ods",
        "ms-forms.xlsx",
    ] {
        let original = std::fs::read(root.join(name)).expect("fixture");
        for _ in 0..60 {
            let mut bytes = original.clone();
            for _ in 0..1 + next() % 8 {
                let at = (next() % bytes.len() as u64) as usize;
                bytes[at] = next() as u8;
            }
            let input = Input {
                name: name.into(),
                bytes,
            };
            let _ = import(&[input], None, &ImportOptions::default());
        }
    }
}
