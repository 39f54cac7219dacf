//! Writes the input of the end-to-end benchmark: a workshop folder with the
//! bundled templates, a roster of N attendees (JSON) and a ~45 KB certificate
//! for each, listed in `certificates.json`.
//!
//! ```text
//! cargo run --release -p taller-followup --example bench_input -- /tmp/bench 10000
//! cd /tmp/bench && /usr/bin/time -v taller followup --roster roster.json --workshop workshop.toml -o outbox --quiet
//! ```

use std::fs;
use std::path::{Path, PathBuf};

use sha2::Digest;

use taller_model::{
    Answer, Attendee, AttendeeId, CertificateManifest, Language, ManifestEntry, Roster, file_stem,
};

const WORKSHOP: &str = r#"[workshop]
id = "mad-2016-01"
title = "Campañas en redes sociales y contranarrativas"
city = "Madrid"
venue = "Centro Cultural La Corrala"
date = 2016-01-27
hours = 4
language = "es"
organiser = "Red de Formación para ONG"

[certificate]
verify_url = "https://example.org/verify/{id}"

[followup]
template = "templates/followup"
from = "Red de Formación para ONG <formacion@example.org>"
"#;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().ok_or("usage: bench_input DIR [COUNT]")?);
    let count: usize = args.next().map_or(Ok(10_000), |n| n.parse())?;
    fs::create_dir_all(dir.join("templates"))?;
    fs::create_dir_all(dir.join("certificates"))?;
    fs::write(dir.join("workshop.toml"), WORKSHOP)?;
    let assets = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/templates");
    for entry in fs::read_dir(assets)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with("followup.") {
            fs::copy(entry.path(), dir.join("templates").join(name))?;
        }
    }

    let mut roster = Roster::new(
        (0..count)
            .map(|i| {
                let email = format!("persona{i}@ejemplo.org");
                Attendee {
                    id: AttendeeId::from_email(&email),
                    given_name: "María de los Ángeles".to_owned(),
                    family_name: format!("Fernández-Villaverde Íñiguez {i}"),
                    email,
                    organisation: "Asociación por los Derechos Humanos".to_owned(),
                    language: Some(if i % 4 == 0 {
                        Language::english()
                    } else {
                        Language::spanish()
                    }),
                    consent: Answer::Yes,
                    attended: if i % 10 == 9 { Answer::No } else { Answer::Yes },
                    ..Attendee::default()
                }
            })
            .collect(),
    );
    roster.assign_certificate_ids("mad-2016-01");
    fs::write(dir.join("roster.json"), serde_json::to_vec(&roster)?)?;

    // One real-sized file, hard-linked for everyone: the reading and
    // base64 work per message is the same, the disk is spared 450 MB.
    let mut pdf = b"%PDF-1.4\n".to_vec();
    pdf.extend((0..45_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8));
    let sha256: String = sha2::Sha256::digest(&pdf)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let master = dir.join("certificates/.master.pdf");
    fs::write(&master, &pdf)?;
    let mut manifest = CertificateManifest {
        workshop_id: "mad-2016-01".to_owned(),
        certificates: Vec::new(),
    };
    for attendee in roster.certificate_holders(false) {
        let id = attendee.certificate_id.clone().ok_or("no certificate id")?;
        let file = format!("{}.pdf", file_stem(&id, &attendee.display_name()));
        let path = dir.join("certificates").join(&file);
        if !path.exists() {
            fs::hard_link(&master, &path)?;
        }
        manifest.certificates.push(ManifestEntry {
            certificate_id: id,
            attendee_id: attendee.id.clone(),
            name: attendee.display_name(),
            email: attendee.email.clone(),
            file,
            sha256: sha256.clone(),
        });
    }
    fs::write(
        dir.join("certificates/certificates.json"),
        serde_json::to_vec(&manifest)?,
    )?;
    Ok(())
}
