//! Name badges on A4 label sheets: given name large, family name,
//! organisation and `@handle`, each fitted to the badge (shrunk, then
//! wrapped), with the workshop's title and optional logo on top.
//!
//! The sheets are tagged like the sign-in sheet (PDF/UA-1, PDF/A-2a): on
//! each badge the logo is a figure, the workshop's title a paragraph, the
//! person's name a heading (in Greek or Arabic when written so) and the
//! organisation and handle paragraphs; the rule and the crop marks are
//! decoration.

use taller_model::{Attendee, Language};

use crate::Error;
use crate::labels::{LabelFormat, Slot};
use crate::pdf::{
    Align, Color, DecodedImage, DocumentInfo, Element, Face, Image, MM_PER_PT, Page, PageSize,
    PdfImage, Role, ShapedText, StreamDocument, TextStyle, shape, wrap,
};
use taller_model::PaperSize;

/// Longest text printed on a badge or a sign-in row, in characters: a
/// badge cannot show more, and a 5 MB cell must not cost minutes.
pub(crate) const MAX_CHARS: usize = 120;

/// What goes on every badge besides the person.
#[derive(Debug, Clone, Default)]
pub struct BadgeOptions {
    /// The workshop's title, small on top of each badge.
    pub workshop_title: String,
    /// The workshop's logo (PNG/JPEG), decoded.
    pub logo: Option<DecodedImage>,
    /// The workshop's language: the document's, and the logo's
    /// description's.
    pub language: Language,
    /// Creation time, seconds since 1970.
    pub created_unix: i64,
}

/// One badge as printed, for summaries and tests.
#[derive(Debug, Clone, PartialEq)]
pub struct PlacedBadge {
    /// The name on it.
    pub name: String,
    /// Where it is.
    pub slot: Slot,
}

/// Printed badges.
#[derive(Debug, Clone)]
pub struct MadeBadges {
    /// The PDF.
    pub pdf: Vec<u8>,
    /// Sheets printed.
    pub sheets: usize,
    /// Every badge, in order.
    pub badges: Vec<PlacedBadge>,
}

/// Lines of text fitted to a box.
#[derive(Debug, Clone)]
pub(crate) struct Fitted {
    pub lines: Vec<ShapedText>,
    pub size_pt: f32,
}

/// Fits `text` to `width` mm: on one line from `max_pt` down to `min_pt`,
/// then on up to `max_lines` lines, going below `min_pt` (to 4 pt) only when
/// the text could not fit otherwise. Text beyond [`MAX_CHARS`] is cut with `…`.
pub(crate) fn fit(
    text: &str,
    face: Face,
    max_pt: f32,
    min_pt: f32,
    max_lines: usize,
    width: f32,
) -> Result<Fitted, Error> {
    let text = clip(text);
    let single = shape(&text, face)?;
    let mut size = max_pt;
    while size >= min_pt {
        if single.width_mm(size) <= width {
            return Ok(Fitted {
                lines: vec![single],
                size_pt: size,
            });
        }
        size -= 0.5;
    }
    let mut size = min_pt.max(4.0);
    loop {
        let lines = wrap(&text, face, size, width)?;
        if lines.len() <= max_lines || size <= 4.0 {
            let lines = lines.into_iter().take(max_lines.max(1)).collect();
            return Ok(Fitted {
                lines,
                size_pt: size,
            });
        }
        size -= 0.5;
    }
}

/// One printed line of a badge: cut like any quoted value
/// ([`taller_model::shorten`]), and unlike a message it also turns control
/// characters into spaces and trims, because a tab or line feed would be
/// drawn as a box or break the badge's fixed layout.
pub(crate) fn clip(text: &str) -> String {
    let out: String = taller_model::shorten(text, MAX_CHARS)
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    out.trim().to_owned()
}

const ACCENT: Color = Color::rgb(30, 60, 110);
const GREY: Color = Color::rgb(90, 90, 90);
/// Space kept clear inside each label's edge, millimetres.
const PADDING: f32 = 4.0;
/// Line height over type size.
const LINE_SPACING: f32 = 1.15;

/// Prints one badge per attendee on `format` sheets, in the given order.
pub fn render(
    attendees: &[&Attendee],
    format: &LabelFormat,
    options: &BadgeOptions,
) -> Result<MadeBadges, Error> {
    let mut document = StreamDocument::tagged(
        Vec::new(),
        DocumentInfo {
            title: format!("{} — badges", options.workshop_title),
            author: String::new(),
            subject: format.description.to_owned(),
            created_unix: options.created_unix,
        },
        options.language.code(),
    )?;
    let logo = options
        .logo
        .as_ref()
        .map(|logo| document.add_image(&PdfImage::encode(logo)))
        .transpose()?;
    let logo_alt = logo_description(&options.language);
    let sheets = format.sheets_for(attendees.len());
    let size = PageSize::new(PaperSize::A4, false);
    let per_sheet = format.per_sheet().max(1);
    let mut badges = Vec::with_capacity(attendees.len());
    for sheet in 0..sheets {
        let mut page = Page::new(size);
        let first = sheet * per_sheet;
        for (index, attendee) in attendees.iter().enumerate().skip(first).take(per_sheet) {
            let slot = format.slot(index);
            draw_badge(
                &mut page,
                attendee,
                format,
                slot,
                options,
                logo.as_ref().map(|logo| (logo, logo_alt)),
            )?;
            badges.push(PlacedBadge {
                name: attendee.display_name(),
                slot,
            });
        }
        page.artifact(|page| {
            for (from, to) in format.crop_marks() {
                page.line(from, to, 0.3, Color::BLACK);
            }
        });
        document.add_page(&page)?;
    }
    Ok(MadeBadges {
        pdf: document.finish()?,
        sheets,
        badges,
    })
}

/// What a screen reader says for the logo, in the workshop's language.
fn logo_description(language: &Language) -> &'static str {
    match language.code() {
        "es" => "Logotipo del taller",
        "ca" => "Logotip del taller",
        "gl" => "Logotipo do obradoiro",
        "eu" => "Tailerraren logotipoa",
        _ => "Workshop logo",
    }
}

fn draw_badge(
    page: &mut Page,
    attendee: &Attendee,
    format: &LabelFormat,
    slot: Slot,
    options: &BadgeOptions,
    logo: Option<(&Image, &str)>,
) -> Result<(), Error> {
    let width = format.width - 2.0 * PADDING;
    let left = slot.x + PADDING;
    let centre = slot.x + format.width / 2.0;
    // Scale type to the label: a 38 mm label gets smaller type than a 55 mm one.
    let scale = (format.height / 55.0).min(1.1);

    // Top band: logo and workshop title.
    let band = 7.0 * scale;
    let mut title_left = left;
    if let Some((logo, alt)) = logo {
        let logo_width = band * 2.5;
        page.open(Element::figure(alt));
        page.image(logo, left, slot.y + PADDING - 1.0, logo_width, band);
        page.close();
        title_left += logo_width + 2.0;
    }
    if !options.workshop_title.trim().is_empty() {
        let room = left + width - title_left;
        let fitted = fit(
            &options.workshop_title,
            Face::SansBold,
            7.5 * scale,
            5.5,
            1,
            room,
        )?;
        let style = TextStyle::new(Face::SansBold, fitted.size_pt).with_color(ACCENT);
        if let Some(line) = fitted.lines.first() {
            page.open(Element::new(Role::P));
            page.shaped_text(
                line,
                &style,
                title_left,
                slot.y + PADDING + band * 0.6,
                Align::Left,
            );
            page.close();
        }
    }
    let rule_y = slot.y + PADDING + band + 0.5;
    page.artifact(|page| page.line((left, rule_y), (left + width, rule_y), 0.6, ACCENT));

    // The person, centred in what is left.
    // Given and family name are one heading (the name as a reader says
    // it); organisation and handle a paragraph each.
    let (given, family) = badge_names(attendee);
    let name = [given.trim(), family.trim()]
        .into_iter()
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let heading = Element::new(Role::H1).in_language_of(&name);
    // Each block with its element and which element it is (blocks of one
    // element are drawn inside it).
    let mut blocks: Vec<(Fitted, TextStyle, (usize, Element))> = Vec::new();
    let mut add = |text: &str,
                   face: Face,
                   (max, min, lines): (f32, f32, usize),
                   color: Color,
                   element: (usize, Element)| {
        if text.trim().is_empty() {
            return Ok::<(), Error>(());
        }
        let fitted = fit(text, face, max * scale, min, lines, width)?;
        let style = TextStyle::new(face, fitted.size_pt).with_color(color);
        blocks.push((fitted, style, element));
        Ok(())
    };
    let black = Color::BLACK;
    add(
        &given,
        Face::SansBold,
        (26.0, 14.0, 2),
        black,
        (0, heading.clone()),
    )?;
    add(&family, Face::Sans, (15.0, 9.0, 2), black, (0, heading))?;
    let organisation = Element::new(Role::P).in_language_of(&attendee.organisation);
    let org_sizes = (10.0, 7.0, 2);
    add(
        &attendee.organisation,
        Face::Sans,
        org_sizes,
        GREY,
        (1, organisation),
    )?;
    let handle = if attendee.twitter.trim().is_empty() {
        String::new()
    } else {
        format!("@{}", attendee.twitter.trim().trim_start_matches('@'))
    };
    let paragraph = (2, Element::new(Role::P));
    add(&handle, Face::SansBold, (9.5, 6.5, 1), ACCENT, paragraph)?;

    let line_height =
        |b: &(Fitted, TextStyle, (usize, Element))| b.1.size_pt * MM_PER_PT * LINE_SPACING;
    let gap = 1.2 * scale;
    let total: f32 = blocks
        .iter()
        .map(|b| line_height(b) * b.0.lines.len() as f32)
        .sum::<f32>()
        + gap * blocks.len().saturating_sub(1) as f32;
    let area_top = rule_y + 1.0;
    let area_bottom = slot.y + format.height - PADDING;
    let mut y = area_top + ((area_bottom - area_top - total) / 2.0).max(0.0);
    // The element open: given and family name share their heading.
    let mut open: Option<usize> = None;
    for block in &blocks {
        let (group, element) = &block.2;
        if open != Some(*group) {
            if open.is_some() {
                page.close();
            }
            page.open(element.clone());
            open = Some(*group);
        }
        let h = line_height(block);
        for line in &block.0.lines {
            // Baseline at about 78 % of the line box: cap height sits inside.
            page.shaped_text(line, &block.1, centre, y + h * 0.78, Align::Center);
            y += h;
        }
        y += gap;
    }
    if open.is_some() {
        page.close();
    }
    Ok(())
}

/// Given and family name for a badge; a person known only by a full name,
/// or whose name is typed family first (`Nguyễn Thị Minh Khai`), gets the
/// name as typed as the large line: given above family would reorder it.
fn badge_names(attendee: &Attendee) -> (String, String) {
    if attendee.name_is_reordered_by_parts() {
        return (attendee.display_name(), String::new());
    }
    let given = attendee.given_name.trim();
    let family = attendee.family_name.trim();
    match (given.is_empty(), family.is_empty()) {
        (false, _) => (given.to_owned(), family.to_owned()),
        (true, false) => (family.to_owned(), String::new()),
        (true, true) => (attendee.full_name.trim().to_owned(), String::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::labels::FORMATS;
    use crate::pdf::pages_text;

    fn person(given: &str, family: &str, org: &str, twitter: &str) -> Attendee {
        Attendee {
            given_name: given.into(),
            family_name: family.into(),
            organisation: org.into(),
            twitter: twitter.into(),
            ..Attendee::default()
        }
    }

    #[test]
    fn a_family_first_name_is_one_line_as_typed() {
        let mut an = person("Văn An", "Nguyễn", "", "");
        an.full_name = "Nguyễn Văn An".into();
        assert_eq!(badge_names(&an), ("Nguyễn Văn An".into(), String::new()));
        let mut ana = person("Ana", "Ruiz Gallardo", "", "");
        ana.full_name = "Ana Ruiz Gallardo".into();
        assert_eq!(badge_names(&ana), ("Ana".into(), "Ruiz Gallardo".into()));
    }

    #[test]
    fn badges_fill_sheets_with_every_name_once() {
        let names = [
            "Ana", "Beatriz", "Carmen", "Dolores", "Elena", "Fátima", "Gloria", "Helena", "Inés",
            "Julia", "Karim",
        ];
        let people: Vec<Attendee> = names
            .iter()
            .map(|n| person(n, "Apellido", "ONG", "ong_x"))
            .collect();
        let refs: Vec<&Attendee> = people.iter().collect();
        for format in FORMATS {
            let made = render(
                &refs,
                &format,
                &BadgeOptions {
                    workshop_title: "Campañas".into(),
                    ..BadgeOptions::default()
                },
            )
            .expect("renders");
            assert_eq!(made.badges.len(), 11);
            assert_eq!(made.sheets, 11_usize.div_ceil(format.per_sheet()));
            let text = pages_text(&made.pdf).join("\n");
            for name in names {
                // "Elena" is inside "Helena": count whole words.
                let count = text
                    .split(|c: char| !c.is_alphabetic())
                    .filter(|word| *word == name)
                    .count();
                assert_eq!(count, 1, "{name} on {}", format.name);
            }
            assert!(text.contains("@ong_x"));
        }
    }

    #[test]
    fn long_text_is_fitted_inside_the_badge() {
        let width = 78.0;
        let fitted = fit(
            "Maria de los Remedios Fernández-Villaverde",
            Face::SansBold,
            26.0,
            14.0,
            2,
            width,
        )
        .expect("fits");
        for line in &fitted.lines {
            assert!(line.width_mm(fitted.size_pt) <= width + 0.01);
        }
        let short = fit("Ana", Face::SansBold, 26.0, 14.0, 2, width).expect("fits");
        assert_eq!(short.size_pt, 26.0);
        let huge = fit(&"x".repeat(5_000_000), Face::Sans, 10.0, 7.0, 2, width).expect("fits");
        assert!(huge.lines.len() <= 2);
        assert!(clip(&"y".repeat(1000)).ends_with('…'));
        assert_eq!(clip("a\r\nb"), "a  b");
    }
}
