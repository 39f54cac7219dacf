//! Handouts: a Markdown text set as an A4 PDF.

pub mod layout;
pub mod markdown;
pub mod placeholders;
