//! Files that ship inside the binary, so that `taller run` and `taller init`
//! work from anywhere: the bundled example programme, and the starting files
//! of a new workshop folder.

use std::path::Path;

use crate::files;

/// Files embedded in the binary: (path inside the folder, content).
pub type Embedded = &'static [(&'static str, &'static [u8])];

/// Embeds files of one folder of the repository under their relative names.
macro_rules! embed {
    ($folder:literal: $($name:literal => $source:literal),* $(,)?) => {
        &[$(($name, include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/", $folder, "/", $source)) as &[u8])),*]
    };
}

/// The example programme of `assets/examples/`: its programme file and one
/// folder per workshop.
pub const EXAMPLE_FILES: Embedded = embed!("assets/examples":
    "programme.toml" => "programme.toml",
    "madrid-2016/workshop.toml" => "madrid-2016/workshop.toml",
    "madrid-2016/inscripciones.csv" => "madrid-2016/inscripciones.csv",
    "madrid-2016/checkin.csv" => "madrid-2016/checkin.csv",
    "madrid-2016/handouts/factsheet.es.md" => "madrid-2016/handouts/factsheet.es.md",
    "madrid-2016/handouts/factsheet.en.md" => "madrid-2016/handouts/factsheet.en.md",
    "madrid-2016/templates/followup.es.hbs" => "madrid-2016/templates/followup.es.hbs",
    "madrid-2016/templates/followup.en.hbs" => "madrid-2016/templates/followup.en.hbs",
    "madrid-2016/templates/followup.ca.hbs" => "madrid-2016/templates/followup.ca.hbs",
    "madrid-2016/templates/followup.html.hbs" => "madrid-2016/templates/followup.html.hbs",
    "madrid-2016/templates/followup.missed.es.hbs" => "madrid-2016/templates/followup.missed.es.hbs",
    "madrid-2016/templates/followup.missed.en.hbs" => "madrid-2016/templates/followup.missed.en.hbs",
    "madrid-2016/templates/followup.missed.ca.hbs" => "madrid-2016/templates/followup.missed.ca.hbs",
    "sevilla-2016/workshop.toml" => "sevilla-2016/workshop.toml",
    "sevilla-2016/inscripciones.csv" => "sevilla-2016/inscripciones.csv",
    "sevilla-2016/checkin.csv" => "sevilla-2016/checkin.csv",
    "sevilla-2016/handouts/factsheet.es.md" => "sevilla-2016/handouts/factsheet.es.md",
    "sevilla-2016/templates/followup.es.hbs" => "sevilla-2016/templates/followup.es.hbs",
    "sevilla-2016/templates/followup.en.hbs" => "sevilla-2016/templates/followup.en.hbs",
    "sevilla-2016/templates/followup.html.hbs" => "sevilla-2016/templates/followup.html.hbs",
    "sevilla-2016/templates/followup.missed.es.hbs" => "sevilla-2016/templates/followup.missed.es.hbs",
    "sevilla-2016/templates/followup.missed.en.hbs" => "sevilla-2016/templates/followup.missed.en.hbs",
    "bilbao-online-2016/workshop.toml" => "bilbao-online-2016/workshop.toml",
    "bilbao-online-2016/zoom-registro.csv" => "bilbao-online-2016/zoom-registro.csv",
    "bilbao-online-2016/sesion-1.csv" => "bilbao-online-2016/sesion-1.csv",
    "bilbao-online-2016/sesion-2.csv" => "bilbao-online-2016/sesion-2.csv",
    "bilbao-online-2016/templates/followup.es.hbs" => "bilbao-online-2016/templates/followup.es.hbs",
    "bilbao-online-2016/templates/followup.missed.es.hbs" => "bilbao-online-2016/templates/followup.missed.es.hbs",
);

/// The programme file of the example, inside the folder it is unpacked to.
pub const EXAMPLE_PROGRAMME: &str = "programme.toml";

/// What `taller init` writes (from `assets/templates/`).
pub const INIT_FILES: Embedded = embed!("assets/templates":
    "workshop.toml" => "workshop.toml",
    "inscripciones.csv" => "inscripciones.csv",
    "handouts/handout.md" => "handout.md",
    "templates/followup.es.hbs" => "followup.es.hbs",
    "templates/followup.en.hbs" => "followup.en.hbs",
    "templates/followup.ca.hbs" => "followup.ca.hbs",
    "templates/followup.html.hbs" => "followup.html.hbs",
    "templates/followup.missed.es.hbs" => "followup.missed.es.hbs",
    "templates/followup.missed.en.hbs" => "followup.missed.en.hbs",
    "templates/followup.missed.ca.hbs" => "followup.missed.ca.hbs",
);

/// Writes embedded files under `dir`, each atomically.
pub fn write_files(dir: &Path, embedded: Embedded) -> anyhow::Result<()> {
    for (name, bytes) in embedded {
        files::write_atomic(&dir.join(name), bytes)?;
    }
    Ok(())
}

/// Unpacks the example programme into `dir`.
pub fn write_example(dir: &Path) -> anyhow::Result<()> {
    write_files(dir, EXAMPLE_FILES)
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    fn files_under(dir: &Path) -> Vec<String> {
        let mut found = Vec::new();
        let mut stack = vec![PathBuf::new()];
        while let Some(relative) = stack.pop() {
            for entry in std::fs::read_dir(dir.join(&relative)).expect("readable folder") {
                let entry = entry.expect("readable entry");
                let path = relative.join(entry.file_name());
                if entry.file_type().expect("file type").is_dir() {
                    stack.push(path);
                } else {
                    found.push(path.to_string_lossy().replace('\\', "/"));
                }
            }
        }
        found.sort();
        found
    }

    /// A file added to the example folder must ship in the binary too.
    #[test]
    fn the_embedded_example_is_the_whole_example_folder() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/examples");
        let mut embedded: Vec<String> =
            EXAMPLE_FILES.iter().map(|(n, _)| (*n).to_owned()).collect();
        embedded.sort();
        assert_eq!(embedded, files_under(&dir));
    }

    /// The workshop file `taller init` writes points at files it writes.
    #[test]
    fn init_files_hold_what_the_workshop_file_names() {
        let names: Vec<&str> = INIT_FILES.iter().map(|(n, _)| *n).collect();
        let (_, toml) = INIT_FILES[0];
        let workshop = taller_model::Workshop::from_toml(std::str::from_utf8(toml).expect("utf-8"))
            .expect("the init workshop file is valid");
        for source in &workshop.registration.sources {
            assert!(names.contains(&source.as_str()), "{source}");
        }
        for handout in &workshop.handouts {
            assert!(
                names.contains(&handout.source.as_str()),
                "{}",
                handout.source
            );
        }
        let template = workshop.followup.expect("followup").template;
        assert!(
            names.iter().any(|n| n.starts_with(&format!("{template}."))),
            "{template}"
        );
    }
}
