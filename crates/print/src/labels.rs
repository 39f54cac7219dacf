//! A4 label sheets for name badges: the grid of each format, as data.
//!
//! Dimensions are the manufacturers' published ones, in millimetres from
//! the sheet's top-left corner:
//! - Avery L7418 name badge labels: 86 × 55 mm, 2 × 4 on A4. The grid is
//!   centred on the sheet with 10 mm between labels (14 mm side margins,
//!   23.5 mm top margin). Print a test sheet on plain paper and hold it
//!   against a label sheet before a big run: printers shift by a millimetre
//!   or two.
//! - Avery L7163 address labels: 99.1 × 38.1 mm, 2 × 7 on A4, horizontal
//!   pitch 101.6 mm, vertical pitch 38.1 mm, side margin 4.65 mm, top
//!   margin 15.15 mm (Avery's template figures).
//! - `cut-2x4`: plain paper cut into eight 90 × 60 mm badges (the size of
//!   common badge-holder inserts), edge to edge, with crop marks outside
//!   the grid to guide the guillotine.

/// One label sheet format.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LabelFormat {
    /// The name used on the command line (`avery-l7418`).
    pub name: &'static str,
    /// What it is, for `--help` and messages.
    pub description: &'static str,
    /// Labels across.
    pub columns: usize,
    /// Labels down.
    pub rows: usize,
    /// Label width, millimetres.
    pub width: f32,
    /// Label height, millimetres.
    pub height: f32,
    /// Left edge of the first column, millimetres.
    pub left: f32,
    /// Top edge of the first row, millimetres.
    pub top: f32,
    /// Distance between the left edges of two columns, millimetres.
    pub pitch_x: f32,
    /// Distance between the top edges of two rows, millimetres.
    pub pitch_y: f32,
    /// Print crop marks (plain paper to be cut) rather than nothing
    /// (die-cut labels).
    pub crop_marks: bool,
}

/// Sheet size every format is for: A4 portrait, millimetres.
pub const SHEET: (f32, f32) = (210.0, 297.0);

/// Every format taller knows, the default first.
pub const FORMATS: [LabelFormat; 3] = [
    LabelFormat {
        name: "avery-l7418",
        description: "Avery L7418 name badge labels, 86 × 55 mm, 8 per A4 sheet",
        columns: 2,
        rows: 4,
        width: 86.0,
        height: 55.0,
        left: 14.0,
        top: 23.5,
        pitch_x: 96.0,
        pitch_y: 65.0,
        crop_marks: false,
    },
    LabelFormat {
        name: "avery-l7163",
        description: "Avery L7163 labels, 99.1 × 38.1 mm, 14 per A4 sheet",
        columns: 2,
        rows: 7,
        width: 99.1,
        height: 38.1,
        left: 4.65,
        top: 15.15,
        pitch_x: 101.6,
        pitch_y: 38.1,
        crop_marks: false,
    },
    LabelFormat {
        name: "cut-2x4",
        description: "plain A4 paper, 8 badges of 90 × 60 mm to cut out along crop marks",
        columns: 2,
        rows: 4,
        width: 90.0,
        height: 60.0,
        left: 15.0,
        top: 28.5,
        pitch_x: 90.0,
        pitch_y: 60.0,
        crop_marks: true,
    },
];

/// Where one label sits: sheet (0-based) and its top-left corner.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Slot {
    /// Sheet number, from 0.
    pub sheet: usize,
    /// Left edge, millimetres.
    pub x: f32,
    /// Top edge, millimetres.
    pub y: f32,
}

impl LabelFormat {
    /// The format called `name` (case-insensitive), if taller knows it.
    pub fn by_name(name: &str) -> Option<LabelFormat> {
        FORMATS
            .into_iter()
            .find(|format| format.name.eq_ignore_ascii_case(name.trim()))
    }

    /// The names of every format, for messages: `avery-l7418, …`.
    pub fn names() -> String {
        FORMATS.map(|format| format.name).join(", ")
    }

    /// Labels on one sheet.
    pub fn per_sheet(&self) -> usize {
        self.columns * self.rows
    }

    /// Where the `index`-th label goes, filling each sheet row by row.
    pub fn slot(&self, index: usize) -> Slot {
        let per_sheet = self.per_sheet().max(1);
        let on_sheet = index % per_sheet;
        let (row, column) = (on_sheet / self.columns, on_sheet % self.columns);
        Slot {
            sheet: index / per_sheet,
            x: self.left + column as f32 * self.pitch_x,
            y: self.top + row as f32 * self.pitch_y,
        }
    }

    /// Sheets needed for `count` labels.
    pub fn sheets_for(&self, count: usize) -> usize {
        count.div_ceil(self.per_sheet().max(1)).max(1)
    }

    /// Crop marks for a cut sheet: line segments (from, to), outside the
    /// grid so no mark shows on a badge once cut.
    pub fn crop_marks(&self) -> Vec<((f32, f32), (f32, f32))> {
        if !self.crop_marks {
            return Vec::new();
        }
        const GAP: f32 = 2.0;
        const LENGTH: f32 = 8.0;
        let right = self.left + (self.columns - 1) as f32 * self.pitch_x + self.width;
        let bottom = self.top + (self.rows - 1) as f32 * self.pitch_y + self.height;
        let mut cuts_x: Vec<f32> = (0..self.columns)
            .flat_map(|c| {
                let x = self.left + c as f32 * self.pitch_x;
                [x, x + self.width]
            })
            .collect();
        cuts_x.dedup_by(|a, b| (*a - *b).abs() < 0.01);
        let mut cuts_y: Vec<f32> = (0..self.rows)
            .flat_map(|r| {
                let y = self.top + r as f32 * self.pitch_y;
                [y, y + self.height]
            })
            .collect();
        cuts_y.dedup_by(|a, b| (*a - *b).abs() < 0.01);
        let mut marks = Vec::new();
        for x in cuts_x {
            marks.push(((x, self.top - GAP - LENGTH), (x, self.top - GAP)));
            marks.push(((x, bottom + GAP), (x, bottom + GAP + LENGTH)));
        }
        for y in cuts_y {
            marks.push(((self.left - GAP - LENGTH, y), (self.left - GAP, y)));
            marks.push(((right + GAP, y), (right + GAP + LENGTH, y)));
        }
        marks
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_label_is_on_the_sheet_and_labels_never_overlap() {
        for format in FORMATS {
            let slots: Vec<Slot> = (0..format.per_sheet()).map(|i| format.slot(i)).collect();
            for slot in &slots {
                assert_eq!(slot.sheet, 0);
                assert!(slot.x >= 0.0 && slot.y >= 0.0, "{}", format.name);
                assert!(slot.x + format.width <= SHEET.0 + 0.01, "{}", format.name);
                assert!(slot.y + format.height <= SHEET.1 + 0.01, "{}", format.name);
            }
            for (i, a) in slots.iter().enumerate() {
                for b in &slots[i + 1..] {
                    let apart_x = (a.x - b.x).abs() >= format.width - 0.01;
                    let apart_y = (a.y - b.y).abs() >= format.height - 0.01;
                    assert!(apart_x || apart_y, "{} overlaps", format.name);
                }
            }
        }
    }

    #[test]
    fn published_dimensions() {
        let l7163 = LabelFormat::by_name("AVERY-L7163").expect("known");
        assert_eq!(l7163.per_sheet(), 14);
        // Symmetric on A4: the side and top margins match the far ones.
        let last = l7163.slot(13);
        assert!((SHEET.0 - (last.x + l7163.width) - l7163.left).abs() < 0.01);
        assert!((SHEET.1 - (last.y + l7163.height) - l7163.top).abs() < 0.01);
        let l7418 = LabelFormat::by_name("avery-l7418").expect("known");
        assert_eq!(
            (l7418.width, l7418.height, l7418.per_sheet()),
            (86.0, 55.0, 8)
        );
        let last = l7418.slot(7);
        assert!((SHEET.0 - (last.x + l7418.width) - l7418.left).abs() < 0.01);
        assert!((SHEET.1 - (last.y + l7418.height) - l7418.top).abs() < 0.01);
        assert!(LabelFormat::by_name("avery-9999").is_none());
        assert_eq!(LabelFormat::names(), "avery-l7418, avery-l7163, cut-2x4");
    }

    #[test]
    fn slots_fill_rows_then_sheets() {
        let format = FORMATS[0];
        assert_eq!(
            format.slot(0),
            Slot {
                sheet: 0,
                x: 14.0,
                y: 23.5
            }
        );
        assert_eq!(
            format.slot(1),
            Slot {
                sheet: 0,
                x: 110.0,
                y: 23.5
            }
        );
        assert_eq!(
            format.slot(2),
            Slot {
                sheet: 0,
                x: 14.0,
                y: 88.5
            }
        );
        assert_eq!(
            format.slot(8),
            Slot {
                sheet: 1,
                x: 14.0,
                y: 23.5
            }
        );
        assert_eq!(format.sheets_for(0), 1);
        assert_eq!(format.sheets_for(8), 1);
        assert_eq!(format.sheets_for(9), 2);
    }

    #[test]
    fn crop_marks_stay_outside_the_badges() {
        let cut = LabelFormat::by_name("cut-2x4").expect("known");
        let marks = cut.crop_marks();
        // 3 vertical cuts and 5 horizontal ones, marked at both ends.
        assert_eq!(marks.len(), (3 + 5) * 2);
        let (right, bottom) = (cut.left + 2.0 * cut.width, cut.top + 4.0 * cut.height);
        for ((x1, y1), (x2, y2)) in marks {
            for (x, y) in [(x1, y1), (x2, y2)] {
                let inside = x > cut.left && x < right && y > cut.top && y < bottom;
                assert!(!inside, "mark at {x},{y} would show on a badge");
                assert!((0.0..=SHEET.0).contains(&x) && (0.0..=SHEET.1).contains(&y));
            }
        }
        assert!(FORMATS[0].crop_marks().is_empty());
    }
}
