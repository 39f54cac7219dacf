//! `report.html`: the report as one self-contained page — charts as inline
//! SVG, styles inline, no script and nothing fetched from another host —
//! readable on a phone and printable on A4.

use std::fmt::Write;

use taller_model::escape_markup;

use crate::{BREAKDOWNS, Report, chart_bars};

/// Height of one bar's row in the SVG, in its units.
const ROW: usize = 26;
/// Width of the labels' column and of the whole chart, in SVG units.
const LABEL_WIDTH: usize = 170;
const CHART_WIDTH: usize = 440;

const STYLE: &str = "\
:root{--ink:#1e2a3a;--accent:#1e3c6e;--muted:#5b6675;--bar:#2f6db5;--line:#d9dee5}
*{box-sizing:border-box}
body{margin:0;font-family:system-ui,-apple-system,\"Segoe UI\",Roboto,\"Noto Sans\",sans-serif;color:var(--ink);line-height:1.45;background:#fff}
main{max-width:52rem;margin:0 auto;padding:1.25rem}
h1{color:var(--accent);font-size:1.6rem;margin:.2rem 0 .3rem}
h2{color:var(--accent);font-size:1.2rem;margin:2rem 0 .6rem;border-bottom:2px solid var(--line);padding-bottom:.2rem}
.sub{color:var(--muted);margin:0}
.totals{display:grid;grid-template-columns:repeat(auto-fit,minmax(9.5rem,1fr));gap:.6rem;margin-top:1.2rem}
.total{border:1px solid var(--line);border-radius:.4rem;padding:.6rem .7rem}
.total b{display:block;font-size:1.7rem;color:var(--accent);line-height:1.1}
.total span{color:var(--muted);font-size:.85rem}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(20rem,1fr));gap:1rem 1.5rem}
figure{margin:0;break-inside:avoid}
figcaption{font-weight:600;margin-bottom:.3rem}
svg{width:100%;height:auto;display:block}
svg text{font-size:12.5px;fill:var(--ink)}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:.92rem}
th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid var(--line);vertical-align:top}
th{background:#f2f4f7}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
.gap{color:#8a4b00}
ul{padding-left:1.2rem}
@media (max-width:30rem){table{font-size:.82rem}th,td{padding:.3rem .3rem}}
@media print{@page{size:A4;margin:15mm}main{max-width:none;padding:0}h2{break-after:avoid}tr,figure,.total{break-inside:avoid}}
";

/// The page's bytes.
pub fn write(report: &Report) -> Vec<u8> {
    let mut h = String::with_capacity(16 * 1024);
    let p = &report.programme;
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n\
<title>{}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n<main>\n<h1>{}</h1>\n",
        escape_markup(&p.title),
        escape_markup(&p.title)
    );
    let mut sub = Vec::new();
    if !p.organiser.trim().is_empty() {
        sub.push(escape_markup(&p.organiser));
    }
    if let Some(funder) = p.funder.as_deref().filter(|f| !f.trim().is_empty()) {
        sub.push(format!("funded by {}", escape_markup(funder)));
    }
    sub.push(format!("programme {}", escape_markup(&p.id)));
    let _ = writeln!(h, "<p class=\"sub\">{}</p>", sub.join(" · "));

    h.push_str("<section class=\"totals\">\n");
    for (figure, label) in report.total_figures() {
        let _ = writeln!(
            h,
            "<div class=\"total\"><b>{figure}</b><span>{label}</span></div>"
        );
    }
    h.push_str("</section>\n");
    h.push_str("<p class=\"sub\">Each person is counted once across the programme. The no-show rate is over the workshops that recorded attendance; the breakdowns count the people who attended at least one of them.</p>\n");

    let _ = writeln!(
        h,
        "<p class=\"sub\">{}</p>",
        escape_markup(&report.consent_sentence())
    );
    h.push_str("<h2>Who attended</h2>\n<div class=\"charts\">\n");
    for (key, title, _) in BREAKDOWNS {
        h.push_str(&chart(title, &chart_bars(report.breakdown(key))));
    }
    h.push_str("</div>\n");

    h.push_str("<h2>Workshops</h2>\n<div class=\"scroll\"><table>\n<thead><tr><th>Workshop</th><th>City</th><th>Date</th><th class=\"n\">Registered</th><th class=\"n\">Attended</th></tr></thead>\n<tbody>\n");
    for w in &report.workshops {
        let attended = w.attended.map_or_else(
            || "<span class=\"gap\">not recorded</span>".to_owned(),
            |n| n.to_string(),
        );
        let _ = writeln!(
            h,
            "<tr><td>{}<br><small>{}</small></td><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{attended}</td></tr>",
            escape_markup(&w.title),
            escape_markup(&w.id),
            escape_markup(&w.city),
            escape_markup(w.date.as_deref().unwrap_or("")),
            w.registered
        );
    }
    h.push_str("</tbody></table></div>\n");

    h.push_str("<h2>Data gaps</h2>\n");
    if report.data_gaps.is_empty() && report.unknown_cities.is_empty() {
        h.push_str("<p>None: every workshop recorded attendance and asked every question.</p>\n");
    } else {
        h.push_str("<ul>\n");
        for sentence in report.gap_sentences() {
            let _ = writeln!(h, "<li class=\"gap\">{}</li>", escape_markup(&sentence));
        }
        h.push_str("</ul>\n");
    }
    if !report.merges_to_check.is_empty() {
        let _ = writeln!(
            h,
            "<h2>Merges to check</h2>\n<p>{} counted once because the same name and organisation came with two emails; the workbook (report.xlsx) lists them.</p>",
            crate::pdf::people(report.merges_to_check.len())
        );
    }
    h.push_str("</main>\n</body>\n</html>\n");
    h.into_bytes()
}

/// A horizontal bar chart, labelled with its numbers.
fn chart(title: &str, bars: &[(String, usize)]) -> String {
    let mut s = String::new();
    let _ = write!(
        s,
        "<figure>\n<figcaption>{}</figcaption>\n",
        escape_markup(title)
    );
    if bars.is_empty() {
        s.push_str("<p class=\"sub\">Nobody to count.</p>\n</figure>\n");
        return s;
    }
    let max = bars.iter().map(|(_, n)| *n).max().unwrap_or(1).max(1);
    let height = bars.len() * ROW + 4;
    let bar_space = CHART_WIDTH - LABEL_WIDTH - 40;
    let _ = writeln!(
        s,
        "<svg viewBox=\"0 0 {CHART_WIDTH} {height}\" role=\"img\" aria-label=\"{}\">",
        escape_markup(title)
    );
    for (i, (label, n)) in bars.iter().enumerate() {
        let y = i * ROW + 2;
        let width = (bar_space * n).div_ceil(max).max(1);
        let shown = shorten(label, 19);
        let fill = if is_rest(label) { "#9aa4b1" } else { "#2f6db5" };
        let _ = writeln!(
            s,
            "<g><title>{}: {n}</title><text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>\
<rect x=\"{LABEL_WIDTH}\" y=\"{}\" width=\"{width}\" height=\"{}\" rx=\"2\" fill=\"{fill}\"/>\
<text x=\"{}\" y=\"{}\">{n}</text></g>",
            escape_markup(label),
            LABEL_WIDTH - 8,
            y + 17,
            escape_markup(&shown),
            y + 3,
            ROW - 8,
            LABEL_WIDTH + width + 6,
            y + 17,
        );
    }
    s.push_str("</svg>\n</figure>\n");
    s
}

/// Whether a bar is the unknown or the "others" one, drawn in grey.
pub(crate) fn is_rest(label: &str) -> bool {
    label == crate::UNKNOWN || label.ends_with(" others")
}

/// At most `max` characters counting the ellipsis (a chart label has a
/// fixed width, unlike a quoted value), control characters as spaces.
pub(crate) fn shorten(text: &str, max: usize) -> String {
    let text: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if text.chars().nth(max).is_none() {
        text
    } else {
        taller_model::shorten(&text, max.saturating_sub(1))
    }
}
