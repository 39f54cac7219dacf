//! The sign-in sheet for the door: every registered attendee in Spanish
//! alphabetical order of family name (see [`crate::collate`]), with room to
//! sign, the workshop on every page, the table header repeated, page
//! numbers, and blank rows at the end for walk-ins.

use taller_model::{Attendee, Language, PaperSize};

use crate::Error;
use crate::badges::fit;
use crate::collate::SortKey;
use crate::handout::page_label;
use crate::pdf::{
    Align, Color, DocumentInfo, Element, Face, Page, PageSize, Paint, Role, StreamDocument,
    TextStyle,
};

/// What the sheet's heading says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SigninOptions {
    /// The workshop's title.
    pub title: String,
    /// City.
    pub city: String,
    /// Venue (may be empty).
    pub venue: String,
    /// The date, written out (`27 de enero de 2016`).
    pub date: String,
    /// Language of the fixed texts and page numbers.
    pub language: Language,
    /// Blank rows at the end, at least (the last page is filled up too).
    pub blank_rows: usize,
    /// Creation time, seconds since 1970.
    pub created_unix: i64,
}

/// A printed sign-in sheet.
#[derive(Debug, Clone)]
pub struct MadeSignin {
    /// The PDF.
    pub pdf: Vec<u8>,
    /// Pages.
    pub pages: usize,
    /// The names in the order printed (`Family, Given`).
    pub names: Vec<String>,
    /// Blank rows printed at the end.
    pub blank_rows: usize,
}

const MARGIN: f32 = 15.0;
const TOP: f32 = 14.0;
/// Rows tall enough to sign in, millimetres.
const ROW: f32 = 11.0;
const HEADER_ROW: f32 = 8.0;
/// Where the table starts on every page (below the heading).
const TABLE_TOP: f32 = 40.0;
const FOOTER_BASELINE: f32 = 285.0;
/// Column widths: #, name, organisation, signature (the rest).
const COL_NUMBER: f32 = 10.0;
const COL_NAME: f32 = 64.0;
const COL_ORG: f32 = 52.0;
const ACCENT: Color = Color::rgb(30, 60, 110);
const GRID: Color = Color::rgb(150, 150, 150);
const HEADER_FILL: Color = Color::rgb(225, 232, 243);
const CELL_PT: f32 = 10.0;

struct Labels {
    sheet: &'static str,
    number: &'static str,
    name: &'static str,
    organisation: &'static str,
    signature: &'static str,
    registered: &'static str,
}

fn labels(language: &Language) -> Labels {
    match language.code() {
        "es" => Labels {
            sheet: "Hoja de firmas",
            number: "N.º",
            name: "Nombre",
            organisation: "Organización",
            signature: "Firma",
            registered: "inscritos",
        },
        "ca" => Labels {
            sheet: "Full de signatures",
            number: "Núm.",
            name: "Nom",
            organisation: "Organització",
            signature: "Signatura",
            registered: "inscrits",
        },
        "gl" => Labels {
            sheet: "Folla de sinaturas",
            number: "N.º",
            name: "Nome",
            organisation: "Organización",
            signature: "Sinatura",
            registered: "inscritos",
        },
        _ => Labels {
            sheet: "Sign-in sheet",
            number: "No.",
            name: "Name",
            organisation: "Organisation",
            signature: "Signature",
            registered: "registered",
        },
    }
}

/// How a person is listed: their name as typed when the roster has it
/// (`Nguyễn Thị Minh Khai`, `Nagy Katalin`: the parts split from one name
/// column are a guess, and `Katalin, Nagy` would be a name the person does
/// not have), else `Family, Given` (the family name as written, particles
/// included), or the one name known. The sheet is sorted by family name
/// either way.
pub fn listed_name(attendee: &Attendee) -> String {
    if !attendee.full_name.trim().is_empty() {
        return attendee.display_name();
    }
    let given = attendee.given_name.trim();
    let family = attendee.family_name.trim();
    match (family.is_empty(), given.is_empty()) {
        (false, false) => format!("{family}, {given}"),
        (false, true) => family.to_owned(),
        (true, false) => given.to_owned(),
        (true, true) => attendee.full_name.trim().to_owned(),
    }
}

/// Sorts attendees as the sheet lists them: family name, then given name,
/// Spanish collation.
pub fn sort(attendees: &mut [&Attendee]) {
    attendees.sort_by_cached_key(|a| {
        if a.family_name.trim().is_empty() && a.given_name.trim().is_empty() {
            SortKey::person("", &a.full_name)
        } else {
            SortKey::person(&a.given_name, &a.family_name)
        }
    });
}

/// Prints the sheet for `attendees` (sorted here).
pub fn render(attendees: &[&Attendee], options: &SigninOptions) -> Result<MadeSignin, Error> {
    let mut sorted = attendees.to_vec();
    sort(&mut sorted);
    let size = PageSize::new(PaperSize::A4, false);
    let rows_per_page = ((FOOTER_BASELINE - 8.0 - TABLE_TOP - HEADER_ROW) / ROW).floor() as usize;
    let filled = sorted.len() + options.blank_rows;
    let pages = filled.div_ceil(rows_per_page).max(1);
    let total_rows = pages * rows_per_page;
    let blank_rows = total_rows - sorted.len();
    let labels = labels(&options.language);

    // Tagged for screen readers (PDF/UA-1): the heading and the table
    // header once, on the first page (repeated on the others as
    // decoration), the sheet as one table with a row per attendee; blank
    // rows, grid lines and page numbers are decoration.
    let mut document = StreamDocument::tagged(
        Vec::new(),
        DocumentInfo {
            title: format!("{} — {}", labels.sheet, options.title),
            author: String::new(),
            subject: options.title.clone(),
            created_unix: options.created_unix,
        },
        options.language.code(),
    )?;
    let mut names = Vec::with_capacity(sorted.len());
    for page_index in 0..pages {
        let mut page = Page::new(size);
        let mut y = TABLE_TOP;
        if page_index == 0 {
            draw_heading(&mut page, options, &labels, sorted.len())?;
            page.open(Element::new(Role::Table));
            draw_header_row(&mut page, &labels, y)?;
        } else {
            page.artifact(|page| {
                draw_heading(page, options, &labels, sorted.len())?;
                draw_header_row(page, &labels, y)
            })?;
        }
        y += HEADER_ROW;
        for row in 0..rows_per_page {
            let index = page_index * rows_per_page + row;
            let attendee = sorted.get(index).copied();
            if let Some(attendee) = attendee {
                names.push(listed_name(attendee));
            }
            if attendee.is_some() {
                draw_row(&mut page, index + 1, attendee, y)?;
            } else {
                page.artifact(|page| draw_row(page, index + 1, None, y))?;
            }
            y += ROW;
        }
        if page_index + 1 == pages {
            page.close();
        }
        let label = page_label(&options.language, page_index + 1, pages);
        let style = TextStyle::new(Face::Sans, 8.5).with_color(GRID);
        page.artifact(|page| {
            page.text(
                &label,
                &style,
                size.width_mm - MARGIN,
                FOOTER_BASELINE,
                Align::Right,
            )
        })?;
        document.add_page(&page)?;
    }
    Ok(MadeSignin {
        pdf: document.finish()?,
        pages,
        names,
        blank_rows,
    })
}

fn table_right() -> f32 {
    210.0 - MARGIN
}

fn draw_heading(
    page: &mut Page,
    options: &SigninOptions,
    labels: &Labels,
    registered: usize,
) -> Result<(), Error> {
    let width = table_right() - MARGIN;
    let title = fit(&options.title, Face::SansBold, 16.0, 10.0, 1, width - 45.0)?;
    let style = TextStyle::new(Face::SansBold, title.size_pt).with_color(ACCENT);
    page.open(Element::new(Role::H1));
    if let Some(line) = title.lines.first() {
        page.shaped_text(line, &style, MARGIN, TOP + 6.0, Align::Left);
    }
    page.close();
    let sheet_style = TextStyle::new(Face::SansBold, 11.0).with_color(Color::BLACK);
    page.open(Element::new(Role::P));
    page.text(
        labels.sheet,
        &sheet_style,
        table_right(),
        TOP + 6.0,
        Align::Right,
    )?;
    page.close();
    let place: Vec<&str> = [
        options.city.trim(),
        options.venue.trim(),
        options.date.trim(),
    ]
    .into_iter()
    .filter(|part| !part.is_empty())
    .collect();
    let place = fit(&place.join(" · "), Face::Sans, 10.0, 7.0, 1, width - 30.0)?;
    let style = TextStyle::new(Face::Sans, place.size_pt);
    if let Some(line) = place.lines.first() {
        page.open(Element::new(Role::P));
        page.shaped_text(line, &style, MARGIN, TOP + 13.5, Align::Left);
        page.close();
    }
    let count = format!("{registered} {}", labels.registered);
    let style = TextStyle::new(Face::Sans, 9.0).with_color(GRID);
    page.open(Element::new(Role::P));
    page.text(&count, &style, table_right(), TOP + 13.5, Align::Right)?;
    page.close();
    page.artifact(|page| {
        page.line(
            (MARGIN, TOP + 17.5),
            (table_right(), TOP + 17.5),
            0.8,
            ACCENT,
        );
    });
    Ok(())
}

fn columns() -> [f32; 5] {
    let x0 = MARGIN;
    let x1 = x0 + COL_NUMBER;
    let x2 = x1 + COL_NAME;
    let x3 = x2 + COL_ORG;
    [x0, x1, x2, x3, table_right()]
}

fn draw_header_row(page: &mut Page, labels: &Labels, y: f32) -> Result<(), Error> {
    let cols = columns();
    page.artifact(|page| {
        page.rect(
            cols[0],
            y,
            cols[4] - cols[0],
            HEADER_ROW,
            Paint::Fill(HEADER_FILL),
        );
    });
    let style = TextStyle::new(Face::SansBold, 9.0).with_color(ACCENT);
    let baseline = y + HEADER_ROW * 0.66;
    page.open(Element::new(Role::TR));
    for (x, text) in [
        (cols[0], labels.number),
        (cols[1], labels.name),
        (cols[2], labels.organisation),
        (cols[3], labels.signature),
    ] {
        page.open(Element::column_header());
        page.text(text, &style, x + 1.5, baseline, Align::Left)?;
        page.close();
    }
    page.close();
    page.artifact(|page| {
        page.line(
            (cols[0], y + HEADER_ROW),
            (cols[4], y + HEADER_ROW),
            0.8,
            ACCENT,
        );
    });
    Ok(())
}

fn draw_row(
    page: &mut Page,
    number: usize,
    attendee: Option<&Attendee>,
    y: f32,
) -> Result<(), Error> {
    let cols = columns();
    let bottom = y + ROW;
    page.artifact(|page| {
        page.line((cols[0], bottom), (cols[4], bottom), 0.3, GRID);
        for x in &cols[1..4] {
            page.line((*x, y), (*x, bottom), 0.3, GRID);
        }
    });
    // A row of the table, a cell per column (the signature's is empty).
    page.open(Element::new(Role::TR));
    page.open(Element::new(Role::TD));
    let number_style = TextStyle::new(Face::Sans, 8.0).with_color(GRID);
    page.text(
        &number.to_string(),
        &number_style,
        cols[1] - 1.5,
        y + ROW * 0.62,
        Align::Right,
    )?;
    page.close();
    if let Some(attendee) = attendee {
        let name = listed_name(attendee);
        page.open(Element::new(Role::TD).in_language_of(&name));
        draw_cell(page, &name, Face::SansBold, cols[1], cols[2], y)?;
        page.close();
        page.open(Element::new(Role::TD).in_language_of(&attendee.organisation));
        draw_cell(
            page,
            &attendee.organisation,
            Face::Sans,
            cols[2],
            cols[3],
            y,
        )?;
        page.close();
        page.open(Element::new(Role::TD));
        page.close();
    }
    page.close();
    Ok(())
}

/// A cell's text: one line shrunk to fit, or two lines.
fn draw_cell(
    page: &mut Page,
    text: &str,
    face: Face,
    left: f32,
    right: f32,
    y: f32,
) -> Result<(), Error> {
    if text.trim().is_empty() {
        return Ok(());
    }
    let width = right - left - 3.0;
    let fitted = fit(text, face, CELL_PT, 8.0, 2, width)?;
    let style = TextStyle::new(face, fitted.size_pt);
    let line_height = fitted.size_pt * crate::pdf::MM_PER_PT * 1.1;
    let block = line_height * fitted.lines.len() as f32;
    let mut baseline = y + (ROW - block) / 2.0 + line_height * 0.8;
    for line in &fitted.lines {
        page.shaped_text(line, &style, left + 1.5, baseline, Align::Left);
        baseline += line_height;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(given: &str, family: &str) -> Attendee {
        Attendee {
            given_name: given.into(),
            family_name: family.into(),
            organisation: "ONG".into(),
            ..Attendee::default()
        }
    }

    fn options() -> SigninOptions {
        SigninOptions {
            title: "Campañas en redes".into(),
            city: "Madrid".into(),
            venue: String::new(),
            date: "27 de enero de 2016".into(),
            language: Language::spanish(),
            blank_rows: 5,
            created_unix: 0,
        }
    }

    #[test]
    fn a_name_typed_whole_is_listed_as_typed_and_sorted_by_family_name() {
        let mut an = person("Văn An", "Nguyễn");
        an.full_name = "Nguyễn Văn An".into();
        let mut katalin = person("Nagy", "Katalin");
        katalin.full_name = "Nagy Katalin".into();
        let ana = person("Ana", "Ruiz Gallardo");
        assert_eq!(listed_name(&an), "Nguyễn Văn An");
        assert_eq!(listed_name(&katalin), "Nagy Katalin");
        assert_eq!(listed_name(&ana), "Ruiz Gallardo, Ana");
        let mut people = vec![&ana, &an];
        sort(&mut people);
        assert_eq!(listed_name(people[0]), "Nguyễn Văn An");
    }

    #[test]
    fn sorted_by_family_name_in_spanish_order() {
        let people = [
            person("Luis", "Ortega"),
            person("Ana", "Núñez"),
            person("Eva", "Nuño"),
            person("Rosa", "Muñoz"),
            person("Paco", "Munoz"),
            person("Beatriz", "Ávila"),
            person("Tomás", "Álvarez"),
            person("Pedro", "de la Fuente"),
        ];
        let refs: Vec<&Attendee> = people.iter().collect();
        let made = render(&refs, &options()).expect("renders");
        assert_eq!(
            made.names,
            [
                "Álvarez, Tomás",
                "Ávila, Beatriz",
                "de la Fuente, Pedro",
                "Munoz, Paco",
                "Muñoz, Rosa",
                "Núñez, Ana",
                "Nuño, Eva",
                "Ortega, Luis",
            ]
        );
        assert_eq!(made.pages, 1);
        assert!(made.blank_rows >= 5);
    }

    #[test]
    fn many_names_make_pages_with_blank_rows_at_the_end() {
        let people: Vec<Attendee> = (0..60)
            .map(|i| person(&format!("P{i}"), "García"))
            .collect();
        let refs: Vec<&Attendee> = people.iter().collect();
        let made = render(&refs, &options()).expect("renders");
        assert_eq!(made.names.len(), 60);
        assert!(made.pages >= 3);
        assert!(made.blank_rows >= 5);
    }
}
