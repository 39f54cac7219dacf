//! How long `import` takes on 100,000 attendees × 10 columns, as CSV and
//! as XLSX (the seeded synthetic sheets, generated in the setup).
//! Run: `cargo bench -p taller-registration --bench import -- --quick`.

#![allow(missing_docs)] // criterion_group! makes an undocumented public function

use criterion::{Criterion, criterion_group, criterion_main};
use taller_registration::synthetic::{Sheet, SheetFormat};
use taller_registration::{ImportOptions, Input, import};

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
        group.bench_function(input.name.clone(), |b| {
            b.iter(|| {
                let imported =
                    import(std::slice::from_ref(input), None, &options).expect("imports");
                assert!(imported.report.rows_read >= ATTENDEES);
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
