//! Certificates written into one PDF as they are made, in batches laid
//! out on every core.

use std::io::Write;

use rayon::prelude::*;

use super::maker::{CertificateMaker, Recipient};
use crate::Error;
use crate::pdf::{Image, Page, StreamDocument};

/// Certificates being written into one PDF as they are made.
pub struct CertificateDocument<'a, W: Write> {
    pub(super) maker: &'a CertificateMaker,
    pub(super) doc: StreamDocument<W>,
    pub(super) background: Option<Image>,
    pub(super) logo: Option<Image>,
}

/// Pages laid out and serialized at a time: enough to keep every core
/// busy, few enough that memory stays flat.
const BATCH: usize = 256;
/// The first batch is small: what a page shares with earlier ones is known
/// once those are written, so drawing common to pages is stored once from
/// the fifth page on, even in a short document.
const FIRST_BATCH: usize = 4;

impl<W: Write> CertificateDocument<'_, W> {
    /// Adds one attendee's certificate as a page. On error (a name no font
    /// can show) nothing is added.
    pub fn add(&mut self, recipient: Recipient<'_>) -> Result<(), Error> {
        let page = self
            .maker
            .page(recipient, self.background.as_ref(), self.logo.as_ref())?;
        self.doc.add_page(&page)
    }

    /// Adds many certificates, laying out and serializing their pages on
    /// all cores (in bounded batches) and writing them in order. Each
    /// recipient gets its own result; one that fails adds no page. The
    /// outer error is a failure to write.
    pub fn add_all(
        &mut self,
        recipients: &[Recipient<'_>],
    ) -> Result<Vec<Result<(), Error>>, Error> {
        let maker = self.maker;
        let (background, logo) = (self.background.clone(), self.logo.clone());
        self.pipeline(recipients, |recipient| {
            match maker.page(recipient, background.as_ref(), logo.as_ref()) {
                Ok(page) => (Ok(()), Ok(page)),
                Err(err) => (Err(err), Err(())),
            }
        })
    }

    /// Runs `lay_out` for every recipient on all cores, batch by batch, and
    /// adds the pages it gives in recipient order: glyphs numbered in order,
    /// pages serialized (and deflated) on all cores, written in order.
    pub(super) fn pipeline<R: Send>(
        &mut self,
        recipients: &[Recipient<'_>],
        lay_out: impl Fn(Recipient<'_>) -> (R, Result<Page, ()>) + Sync,
    ) -> Result<Vec<R>, Error> {
        let mut results = Vec::with_capacity(recipients.len());
        let mut rest = recipients;
        while !rest.is_empty() {
            let size = if self.doc.page_count() == 0 && results.is_empty() {
                FIRST_BATCH
            } else {
                BATCH
            };
            let (batch, tail) = rest.split_at(size.min(rest.len()));
            rest = tail;
            let made: Vec<(R, Result<Page, ()>)> = batch
                .par_iter()
                .map(|recipient| lay_out(*recipient))
                .collect();
            let mut pages = Vec::with_capacity(made.len());
            for (result, page) in made {
                results.push(result);
                if let Ok(page) = page {
                    self.doc.number_glyphs(&page);
                    pages.push(page);
                }
            }
            let serializer = self.doc.serializer();
            let serialized: Vec<_> = pages
                .par_iter()
                .map(|page| serializer.serialize(page))
                .collect();
            drop(pages);
            for page in serialized {
                self.doc.write(page)?;
            }
        }
        Ok(results)
    }

    /// Number of certificates so far.
    pub fn len(&self) -> usize {
        self.doc.page_count()
    }

    /// Whether no certificate was added.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Writes the end of the PDF (fonts, page tree) and gives back the
    /// output.
    pub fn finish(self) -> Result<W, Error> {
        self.doc.finish()
    }
}
