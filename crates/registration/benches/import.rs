//! The import of 100,000 attendees × 10 columns, as CSV and as XLSX (the
//! seeded synthetic sheets, generated in the setup): each stage alone
//! (reading the file into rows; making the roster from the rows: cleaning,
//! checking, merging duplicates, ids), the whole import, and writing the
//! roster in each format.
//! Run: `cargo bench -p taller-registration --bench import -- --quick`.

#![allow(missing_docs)] // criterion_group! makes an undocumented public function

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use taller_registration::synthetic::{Sheet, SheetFormat};
use taller_registration::{
    ImportOptions, Input, import, stages, write_roster_csv, write_roster_json, write_roster_xlsx,
};

/// The allocator of the `taller` binary, so that the stages are timed as
/// the command runs them.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const ATTENDEES: usize = 100_000;

fn bench(c: &mut Criterion) {
    let sheet = Sheet::generate(ATTENDEES, 2016);
    let inputs = [
        ("big.csv", SheetFormat::CsvUtf8),
        ("big.xlsx", SheetFormat::Xlsx),
    ]
    .map(|(name, format)| Input {
        name: name.to_owned(),
        bytes: sheet.to_bytes(format).expect("generated sheet"),
    });
    let options = ImportOptions::default();
    let mut group = c.benchmark_group("import 100k x 10");
    group.sample_size(10);
    for input in &inputs {
        group.bench_function(format!("read {}", input.name), |b| {
            b.iter(|| {
                let read = stages::read(input).expect("reads");
                assert!(read.rows() > ATTENDEES);
            })
        });
        group.bench_function(format!("roster from the rows of {}", input.name), |b| {
            b.iter_batched(
                || stages::read(input).expect("reads"),
                |read| {
                    let imported = stages::roster(read, &options).expect("imports");
                    assert!(imported.report.rows_read >= ATTENDEES);
                },
                BatchSize::PerIteration,
            )
        });
        group.bench_function(format!("whole import of {}", input.name), |b| {
            b.iter(|| {
                let imported =
                    import(std::slice::from_ref(input), None, &options).expect("imports");
                assert!(imported.report.rows_read >= ATTENDEES);
            })
        });
    }
    let roster = import(&inputs[..1], None, &options)
        .expect("imports")
        .roster;
    group.bench_function("write the roster as CSV", |b| {
        b.iter(|| write_roster_csv(&roster).expect("writes"))
    });
    group.bench_function("write the roster as JSON", |b| {
        b.iter(|| write_roster_json(&roster).expect("writes"))
    });
    group.bench_function("write the roster as XLSX", |b| {
        b.iter(|| write_roster_xlsx(&roster, &[]).expect("writes"))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
