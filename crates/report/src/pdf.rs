//! `report.pdf`: a few A4 pages a funder reads — the totals, a bar chart
//! per breakdown (vector drawing, each bar labelled with its number), the
//! workshops' table and the data gaps — on taller's own PDF core and its
//! bundled fonts.

use taller_model::PaperSize;
use taller_print::pdf::{
    Align, Color, DocumentInfo, Face, Page, PageSize, Paint, StreamDocument, TextStyle, can_show,
    measure, wrap,
};

use crate::{BREAKDOWNS, Error, Report, chart_bars};

const LEFT: f32 = 18.0;
const RIGHT: f32 = 192.0;
const WIDTH: f32 = RIGHT - LEFT;
const TOP: f32 = 22.0;
const BOTTOM: f32 = 280.0;

const ACCENT: Color = Color::rgb(30, 60, 110);
const MUTED: Color = Color::rgb(91, 102, 117);
const BAR: Color = Color::rgb(47, 109, 181);
const REST: Color = Color::rgb(154, 164, 177);
const RULE: Color = Color::rgb(217, 222, 229);
const SHADE: Color = Color::rgb(242, 244, 247);
const GAP: Color = Color::rgb(138, 75, 0);

/// The PDF's bytes; `created_unix` is the creation time written in it
/// (passed in, so the same report gives the same bytes).
pub fn write(report: &Report, created_unix: i64) -> Result<Vec<u8>, Error> {
    let mut flow = Flow::new();
    header(&mut flow, report)?;
    totals(&mut flow, report)?;
    charts(&mut flow, report)?;
    workshops(&mut flow, report)?;
    gaps(&mut flow, report)?;

    let mut pages = flow.pages;
    let count = pages.len();
    let footer = TextStyle::new(Face::Sans, 8.0).with_color(MUTED);
    let title = fit(&report.programme.title, Face::Sans, 8.0, WIDTH - 30.0)?;
    for (i, page) in pages.iter_mut().enumerate() {
        page.line((LEFT, 286.0), (RIGHT, 286.0), 0.5, RULE);
        page.text(&title, &footer, LEFT, 290.5, Align::Left)?;
        page.text(
            &format!("{} / {count}", i + 1),
            &footer,
            RIGHT,
            290.5,
            Align::Right,
        )?;
    }
    let mut doc = StreamDocument::new(
        Vec::new(),
        DocumentInfo {
            title: printable(&report.programme.title),
            author: printable(&report.programme.organiser),
            subject: "Programme report".to_owned(),
            created_unix,
        },
    )?;
    for page in &pages {
        doc.add_page(page)?;
    }
    Ok(doc.finish()?)
}

/// Pages filled from the top down.
struct Flow {
    pages: Vec<Page>,
    y: f32,
}

impl Flow {
    fn new() -> Flow {
        Flow {
            pages: vec![Page::new(PageSize::new(PaperSize::A4, false))],
            y: TOP,
        }
    }

    fn page(&mut self) -> &mut Page {
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    /// Starts a new page unless `height` millimetres still fit on this one.
    fn need(&mut self, height: f32) {
        if self.y + height > BOTTOM {
            self.pages
                .push(Page::new(PageSize::new(PaperSize::A4, false)));
            self.y = TOP;
        }
    }

    fn heading(&mut self, text: &str, room_after: f32) -> Result<(), Error> {
        self.need(14.0 + room_after);
        self.y += 8.0;
        let style = TextStyle::new(Face::SansBold, 13.0).with_color(ACCENT);
        let y = self.y;
        self.page().text(text, &style, LEFT, y, Align::Left)?;
        self.page()
            .line((LEFT, y + 2.0), (RIGHT, y + 2.0), 0.8, RULE);
        self.y += 7.0;
        Ok(())
    }

    /// A paragraph, wrapped to the text width.
    fn paragraph(&mut self, text: &str, style: &TextStyle, indent: f32) -> Result<(), Error> {
        let line_height = style.size_pt * 0.53;
        for line in wrap(&printable(text), style.face, style.size_pt, WIDTH - indent)? {
            self.need(line_height);
            let y = self.y + line_height * 0.75;
            self.page()
                .shaped_text(&line, style, LEFT + indent, y, Align::Left);
            self.y += line_height;
        }
        Ok(())
    }
}

fn header(flow: &mut Flow, report: &Report) -> Result<(), Error> {
    let p = &report.programme;
    let title = TextStyle::new(Face::SansBold, 20.0).with_color(ACCENT);
    for line in wrap(&printable(&p.title), title.face, title.size_pt, WIDTH)?
        .iter()
        .take(3)
    {
        flow.y += 8.5;
        let y = flow.y;
        flow.page().shaped_text(line, &title, LEFT, y, Align::Left);
    }
    flow.y += 3.0;
    let mut sub = Vec::new();
    if !p.organiser.trim().is_empty() {
        sub.push(p.organiser.trim().to_owned());
    }
    if let Some(funder) = p.funder.as_deref().filter(|f| !f.trim().is_empty()) {
        sub.push(format!("funded by {}", funder.trim()));
    }
    sub.push(format!("programme {}", p.id));
    flow.paragraph(
        &sub.join(" · "),
        &TextStyle::new(Face::Sans, 10.5).with_color(MUTED),
        0.0,
    )
}

fn totals(flow: &mut Flow, report: &Report) -> Result<(), Error> {
    let boxes = report.total_figures();
    flow.y += 6.0;
    let (columns, gap, height) = (4, 4.0, 20.0);
    let width = (WIDTH - gap * (columns as f32 - 1.0)) / columns as f32;
    let figure = TextStyle::new(Face::SansBold, 20.0).with_color(ACCENT);
    let label = TextStyle::new(Face::Sans, 8.5).with_color(MUTED);
    for (row, chunk) in boxes.chunks(columns).enumerate() {
        let y = flow.y + row as f32 * (height + gap);
        for (column, (number, what)) in chunk.iter().enumerate() {
            let x = LEFT + column as f32 * (width + gap);
            let page = flow.page();
            page.rect(x, y, width, height, Paint::Fill(SHADE));
            page.rect(x, y, 1.2, height, Paint::Fill(ACCENT));
            page.text(number, &figure, x + 5.0, y + 10.5, Align::Left)?;
            page.text(what, &label, x + 5.0, y + 16.0, Align::Left)?;
        }
    }
    flow.y += 2.0 * height + gap + 5.0;
    flow.paragraph(
        "Each person is counted once across the programme (the same email, or the same name and organisation). The no-show rate is over the workshops that recorded attendance; the charts count the people who attended at least one of them.",
        &TextStyle::new(Face::Sans, 9.0).with_color(MUTED),
        0.0,
    )?;
    flow.paragraph(
        &report.consent_sentence(),
        &TextStyle::new(Face::Sans, 9.0).with_color(MUTED),
        0.0,
    )
}

fn charts(flow: &mut Flow, report: &Report) -> Result<(), Error> {
    let row = 6.0;
    let label_width = 52.0;
    let bar_left = LEFT + label_width + 3.0;
    let bar_space = WIDTH - label_width - 18.0;
    let label_style = TextStyle::new(Face::Sans, 9.0);
    let number_style = TextStyle::new(Face::SansBold, 9.0);
    let mut first = true;
    for (key, title, _) in BREAKDOWNS {
        let bars = chart_bars(report.breakdown(key));
        let height = bars.len().max(1) as f32 * row;
        let heading = if first {
            "Who attended: ".to_owned() + title
        } else {
            title.to_owned()
        };
        first = false;
        flow.heading(&heading, height)?;
        if bars.is_empty() {
            flow.paragraph(
                "Nobody to count.",
                &TextStyle::new(Face::Sans, 9.0).with_color(MUTED),
                0.0,
            )?;
            continue;
        }
        let max = bars.iter().map(|(_, n)| *n).max().unwrap_or(1).max(1) as f32;
        for (label, n) in &bars {
            flow.need(row);
            let y = flow.y;
            let shown = fit(label, Face::Sans, 9.0, label_width)?;
            let width = (bar_space * *n as f32 / max).max(0.4);
            let page = flow.page();
            page.text(
                &shown,
                &label_style,
                LEFT + label_width,
                y + 4.2,
                Align::Right,
            )?;
            let fill = if crate::html::is_rest(label) {
                REST
            } else {
                BAR
            };
            page.rect(bar_left, y + 1.0, width, row - 2.0, Paint::Fill(fill));
            page.text(
                &n.to_string(),
                &number_style,
                bar_left + width + 1.8,
                y + 4.2,
                Align::Left,
            )?;
            flow.y += row;
        }
        let y = flow.y;
        flow.page()
            .line((bar_left, y - height), (bar_left, y), 0.5, MUTED);
    }
    Ok(())
}

fn workshops(flow: &mut Flow, report: &Report) -> Result<(), Error> {
    // (title, x of the column's left or right edge, right-aligned)
    let columns: [(&str, f32, bool); 6] = [
        ("Workshop", LEFT + 1.5, false),
        ("Title", LEFT + 29.0, false),
        ("City", LEFT + 86.0, false),
        ("Date", LEFT + 112.0, false),
        ("Registered", LEFT + 146.0, true),
        ("Attended", RIGHT - 1.5, true),
    ];
    let widths = [26.0, 55.0, 24.0, 20.0];
    let row = 6.5;
    let head = TextStyle::new(Face::SansBold, 9.0);
    let cell = TextStyle::new(Face::Sans, 9.0);
    let missing = TextStyle::new(Face::SansItalic, 9.0).with_color(GAP);
    flow.heading("Workshops", 2.0 * row)?;
    let header_row = |flow: &mut Flow| -> Result<(), Error> {
        let y = flow.y;
        let page = flow.page();
        page.rect(LEFT, y, WIDTH, row, Paint::Fill(SHADE));
        for (title, x, right) in columns {
            let align = if right { Align::Right } else { Align::Left };
            page.text(title, &head, x, y + 4.5, align)?;
        }
        flow.y += row;
        Ok(())
    };
    header_row(flow)?;
    for w in &report.workshops {
        if flow.y + row > BOTTOM {
            flow.need(BOTTOM);
            header_row(flow)?;
        }
        let y = flow.y;
        let texts = [
            w.id.as_str(),
            w.title.as_str(),
            w.city.as_str(),
            w.date.as_deref().unwrap_or(""),
        ];
        let mut shown = Vec::with_capacity(texts.len());
        for (text, width) in texts.iter().zip(widths) {
            shown.push(fit(text, Face::Sans, 9.0, width)?);
        }
        let page = flow.page();
        for (text, (_, x, _)) in shown.iter().zip(columns) {
            page.text(text, &cell, x, y + 4.5, Align::Left)?;
        }
        page.text(
            &w.registered.to_string(),
            &cell,
            columns[4].1,
            y + 4.5,
            Align::Right,
        )?;
        match w.attended {
            Some(n) => page.text(&n.to_string(), &cell, columns[5].1, y + 4.5, Align::Right)?,
            None => page.text(
                "not recorded",
                &missing,
                columns[5].1,
                y + 4.5,
                Align::Right,
            )?,
        };
        page.line((LEFT, y + row), (RIGHT, y + row), 0.4, RULE);
        flow.y += row;
    }
    Ok(())
}

fn gaps(flow: &mut Flow, report: &Report) -> Result<(), Error> {
    flow.heading("Data gaps", 10.0)?;
    let style = TextStyle::new(Face::Sans, 9.5);
    if report.data_gaps.is_empty() && report.unknown_cities.is_empty() {
        return flow.paragraph(
            "None: every workshop recorded attendance and asked every question.",
            &style,
            0.0,
        );
    }
    for sentence in report.gap_sentences() {
        flow.paragraph(&format!("• {sentence}"), &style, 0.0)?;
        flow.y += 1.0;
    }
    if !report.merges_to_check.is_empty() {
        flow.y += 1.0;
        flow.paragraph(
            &format!(
                "• {} counted once because the same name and organisation came with two emails: report.xlsx lists them, to be checked.",
                people(report.merges_to_check.len())
            ),
            &style,
            0.0,
        )?;
    }
    Ok(())
}

/// "1 person was", "3 people were".
pub(crate) fn people(n: usize) -> String {
    if n == 1 {
        "1 person was".to_owned()
    } else {
        format!("{n} people were")
    }
}

/// Text any bundled font can show: control characters become spaces, and a
/// character no font has becomes `?` (a report must not fail over one
/// organisation's name; the workbook keeps the exact text).
fn printable(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() {
                ' '
            } else if can_show(c) {
                c
            } else {
                '?'
            }
        })
        .collect()
}

/// `text` made printable and cut with an ellipsis to fit `width` mm.
fn fit(text: &str, face: Face, size_pt: f32, width: f32) -> Result<String, Error> {
    let text = printable(text.trim());
    if measure(&text, face, size_pt)? <= width {
        return Ok(text);
    }
    let chars: Vec<char> = text.chars().collect();
    // The longest prefix that fits with its ellipsis, by bisection.
    let (mut lo, mut hi) = (0, chars.len().min(400));
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        let candidate: String = chars[..mid].iter().collect::<String>() + "…";
        if measure(&candidate, face, size_pt)? <= width {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    Ok(chars[..lo].iter().collect::<String>().trim_end().to_owned() + "…")
}
