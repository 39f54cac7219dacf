//! A structural check of Excel 97–2003 (.xls) files before calamine reads
//! them. calamine follows the file's sector chains without looking for
//! loops, so one damaged byte in a 5 KB file can make it allocate until the
//! machine runs out of memory (found by `tests/mutation.rs`). A loop never
//! occurs in a real file, so finding one means the file is damaged.

/// Sector ids at and above this are markers (free, end of chain, FAT, DIFAT).
const MAX_REGULAR_SECTOR: u32 = 0xFFFF_FFFA;
/// DIFAT entries at and above this are not FAT sectors.
const DIFAT_SECTOR: u32 = 0xFFFF_FFFC;

fn u16_at(bytes: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(bytes.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}

fn u32s(bytes: &[u8]) -> impl Iterator<Item = u32> + '_ {
    bytes
        .chunks_exact(4)
        .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
}

/// Checks that no sector chain of the compound file loops back on itself.
/// Returns why the file is damaged; a file this check cannot even parse is
/// left to calamine, which reports it as an error without looping.
pub(crate) fn check_chains(bytes: &[u8]) -> Result<(), &'static str> {
    let Some(size) = u16_at(bytes, 30).and_then(|shift| match shift {
        9 => Some(512usize),
        12 => Some(4096),
        _ => None,
    }) else {
        return Ok(());
    };
    let sector = |id: u32| -> &[u8] {
        let start = (id as usize).saturating_add(1).saturating_mul(size);
        bytes
            .get(start..start.saturating_add(size).min(bytes.len()))
            .unwrap_or(&[])
    };
    let sectors = bytes.len() / size + 1;

    // The FAT's sectors are listed in the header, then in a chain of DIFAT
    // sectors whose last entry is the next one (bounded like calamine's).
    let mut difat: Vec<u32> = u32s(bytes.get(76..512).unwrap_or(&[])).collect();
    let mut next = u32_at(bytes, 68).unwrap_or(u32::MAX);
    let mut hops = 0;
    while next < MAX_REGULAR_SECTOR && hops <= sectors {
        hops += 1;
        difat.extend(u32s(sector(next)));
        next = difat.pop().unwrap_or(u32::MAX);
    }
    let fat: Vec<u32> = difat
        .iter()
        .filter(|&&id| id < DIFAT_SECTOR)
        .flat_map(|&id| u32s(sector(id)))
        .collect();
    if loops(&fat) {
        return Err("a sector chain loops back on itself");
    }

    // The mini FAT is itself a (now loop-free) chain in the FAT.
    let mut mini_fat = Vec::new();
    let mut id = u32_at(bytes, 60).unwrap_or(u32::MAX);
    while id < MAX_REGULAR_SECTOR {
        mini_fat.extend(u32s(sector(id)));
        id = fat.get(id as usize).copied().unwrap_or(u32::MAX);
    }
    if loops(&mini_fat) {
        return Err("a mini-sector chain loops back on itself");
    }
    Ok(())
}

/// True when following `next` from some entry comes back to an entry
/// already on the same path. Entries pointing outside the table end a path.
fn loops(next: &[u32]) -> bool {
    const NEW: u8 = 0;
    const ON_PATH: u8 = 1;
    const DONE: u8 = 2;
    let mut state = vec![NEW; next.len()];
    let mut path = Vec::new();
    for start in 0..next.len() {
        let mut at = start;
        while at < next.len() && state[at] == NEW {
            state[at] = ON_PATH;
            path.push(at);
            at = next[at] as usize;
        }
        if at < next.len() && state[at] == ON_PATH {
            return true;
        }
        for visited in path.drain(..) {
            state[visited] = DONE;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_loops_and_accepts_chains() {
        let end = 0xFFFF_FFFE;
        assert!(!loops(&[1, 2, end, end, 3]));
        assert!(loops(&[1, 2, 0]));
        assert!(loops(&[end, 1]));
        assert!(!loops(&[]));
    }

    const XLS: &[u8] = include_bytes!("../../../tests/fixtures/import/inscripciones.xls");

    #[test]
    fn a_real_xls_passes() {
        assert_eq!(check_chains(XLS), Ok(()));
    }

    #[test]
    fn a_directory_chain_pointing_at_itself_is_refused_not_followed() {
        // Point the directory's first sector at itself in the FAT: calamine
        // alone would read that sector forever.
        let mut bytes = XLS.to_vec();
        let dir_start = u32_at(&bytes, 48).expect("header");
        let first_fat = u32_at(&bytes, 76).expect("header") as usize;
        let entry = (first_fat + 1) * 512 + 4 * dir_start as usize;
        bytes[entry..entry + 4].copy_from_slice(&dir_start.to_le_bytes());
        assert!(check_chains(&bytes).is_err());
        let input = crate::Input {
            name: "inscripciones.xls".to_owned(),
            bytes,
        };
        let error =
            crate::import(&[input], None, &crate::ImportOptions::default()).expect_err("refused");
        assert!(
            error
                .to_string()
                .starts_with("inscripciones.xls: is damaged"),
            "{error}"
        );
    }
}
