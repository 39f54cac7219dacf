//! CSV, TSV and TXT files: the encoding and the delimiter are detected, as
//! a coordinator cannot be asked which ones Excel used.

use std::borrow::Cow;

use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1252};
use rayon::prelude::*;

use crate::Error;
use crate::normalise::is_blank;
use crate::table::{Cell, Row, Table, check_row};

/// The delimiters found in registration files, in order of preference
/// when the evidence is even.
const DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];

/// How many lines the delimiter sniffer looks at.
const SNIFF_LINES: usize = 50;

/// Bytes of non-ASCII lines the encoding detector reads.
const DETECTION_SAMPLE: usize = 16 << 10;

/// Decodes a text file to UTF-8: a byte-order mark decides first, then
/// valid UTF-8 is taken as is, then UTF-16 without a mark (every other byte
/// zero), else the most likely legacy encoding (Windows-1252 for Spanish
/// Excel's "CSV (delimitado por comas)").
///
/// The text comes back as UTF-8 bytes: checked whole where the file was
/// taken for UTF-8, and a decoder's output otherwise (a reader checks
/// each record again as it cuts it into fields).
pub(crate) fn decode<'a>(
    bytes: &'a [u8],
    file: &str,
) -> Result<(Cow<'a, [u8]>, &'static Encoding), Error> {
    let utf8 = |text: Cow<'a, str>| match text {
        Cow::Borrowed(text) => Cow::Borrowed(text.as_bytes()),
        Cow::Owned(text) => Cow::Owned(text.into_bytes()),
    };
    if let Some((encoding, bom)) = Encoding::for_bom(bytes) {
        let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[bom..]);
        if had_errors && encoding == UTF_8 {
            return Err(Error::input(
                file,
                "starts as UTF-8 text but holds bytes that are not; save it again as \"CSV UTF-8\"",
            ));
        }
        return check_text(utf8(text), encoding, file);
    }
    // Before UTF-8: ASCII in UTF-16 is valid UTF-8, full of NULs.
    if let Some(encoding) = utf16_without_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(bytes);
        return check_text(utf8(text), encoding, file);
    }
    if simdutf8::basic::from_utf8(bytes).is_ok() {
        return check_text(Cow::Borrowed(bytes), UTF_8, file);
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    // Only lines with non-ASCII bytes tell legacy encodings apart, and a
    // sample of them settles it: feeding a big export whole made the
    // detector a large share of its import.
    let mut budget = DETECTION_SAMPLE;
    for line in bytes
        .split_inclusive(|&b| b == b'\n')
        .filter(|line| !line.is_ascii())
    {
        let sample = &line[..line.len().min(budget)];
        detector.feed(sample, false);
        budget -= sample.len();
        if budget == 0 {
            break;
        }
    }
    detector.feed(&[], true);
    let guess = detector.guess(Some(b"es"), chardetng::Utf8Detection::Allow);
    // Mostly-Latin registration sheets: anything exotic is more likely
    // a wrong guess than an Asian spreadsheet.
    let encoding = if guess == UTF_8 { WINDOWS_1252 } else { guess };
    let text = match encoding
        .is_single_byte()
        .then(|| decode_single_byte(bytes, encoding))
        .flatten()
    {
        Some(text) => Cow::Owned(text),
        None => utf8(encoding.decode_without_bom_handling(bytes).0),
    };
    check_text(text, encoding, file)
}

/// Decodes text in a single-byte encoding (Windows-1252, ISO 8859-x) to
/// UTF-8, on all cores. Each byte is a character on its own, so the text
/// can be cut anywhere and its pieces decoded apart, each into its place
/// in the result: one-threaded, decoding (and first touching the memory of
/// the decoded text) was a large share of a big export's import.
/// `None` if a piece did not come to the length its bytes promise (not
/// expected: the caller then decodes the whole text in one).
fn decode_single_byte(bytes: &[u8], encoding: &'static Encoding) -> Option<Vec<u8>> {
    const PIECE: usize = 1 << 20;
    // Each byte's character as encoding_rs decodes it (U+FFFD for a byte
    // the encoding leaves out), in UTF-8.
    let mut characters = [([0u8; 4], 0usize); 256];
    for (byte, (utf8, len)) in (0..=u8::MAX).zip(&mut characters) {
        let byte = [byte];
        let character = encoding.decode_without_bom_handling(&byte).0;
        *len = character.len().min(4);
        utf8[..*len].copy_from_slice(&character.as_bytes()[..*len]);
    }
    // Sixteen bytes at a time while they are ASCII, which is itself.
    const RUN: usize = 16;
    let pieces: Vec<&[u8]> = bytes.chunks(PIECE).collect();
    let lengths: Vec<usize> = pieces
        .par_iter()
        .map(|piece| {
            piece
                .chunks(RUN)
                .map(|run| {
                    if run.is_ascii() {
                        run.len()
                    } else {
                        run.iter().map(|&b| characters[usize::from(b)].1).sum()
                    }
                })
                .sum()
        })
        .collect();
    let mut decoded = vec![0u8; lengths.iter().sum()];
    let mut places = Vec::with_capacity(pieces.len());
    let mut rest = decoded.as_mut_slice();
    for &len in &lengths {
        let (place, after) = rest.split_at_mut(len);
        places.push(place);
        rest = after;
    }
    let whole = pieces.into_par_iter().zip(places).all(|(piece, place)| {
        // encoding_rs stops short of the end of a buffer sized exactly,
        // keeping room for its widest character: the last few bytes are
        // decoded one by one.
        let mut decoder = encoding.new_decoder_without_bom_handling();
        let (_, read, mut at, _) = decoder.decode_to_utf8(piece, place, true);
        for &byte in &piece[read..] {
            let (utf8, len) = &characters[usize::from(byte)];
            let Some(to) = place.get_mut(at..at + len) else {
                return false;
            };
            to.copy_from_slice(&utf8[..*len]);
            at += len;
        }
        at == place.len()
    });
    whole.then_some(decoded)
}

/// UTF-16 without a byte-order mark shows as zero bytes in every other
/// position of mostly-ASCII text.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    let sample = &bytes[..bytes.len().min(4096) & !1];
    if sample.len() < 4 {
        return None;
    }
    let pairs = sample.len() / 2;
    let zero_at = |offset: usize| {
        sample
            .iter()
            .skip(offset)
            .step_by(2)
            .filter(|b| **b == 0)
            .count()
    };
    if zero_at(1) * 10 >= pairs * 9 && zero_at(0) == 0 {
        Some(UTF_16LE)
    } else if zero_at(0) * 10 >= pairs * 9 && zero_at(1) == 0 {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// Refuses text that is really binary data: NUL characters do not occur
/// in anything a person typed.
fn check_text<'a>(
    text: Cow<'a, [u8]>,
    encoding: &'static Encoding,
    file: &str,
) -> Result<(Cow<'a, [u8]>, &'static Encoding), Error> {
    if text.contains(&0) {
        return Err(Error::input(
            file,
            "is not a spreadsheet or a text file (it holds binary data); export the registrations as CSV or Excel",
        ));
    }
    Ok((text, encoding))
}

/// Counts `delimiter` outside double-quoted fields, line by line.
fn counts_per_line(sample: &[u8], delimiter: u8) -> Vec<usize> {
    let mut counts = Vec::new();
    let mut in_quotes = false;
    let mut count = 0;
    for &byte in sample {
        match byte {
            b'"' => in_quotes = !in_quotes,
            b'\n' if !in_quotes => {
                counts.push(count);
                count = 0;
                if counts.len() == SNIFF_LINES {
                    return counts;
                }
            }
            b if b == delimiter && !in_quotes => count += 1,
            _ => {}
        }
    }
    counts.push(count);
    counts
}

/// Picks the delimiter: the one found on the most lines, at the most
/// consistent count. A file of one column falls back to `,`.
pub(crate) fn sniff_delimiter(text: &[u8]) -> u8 {
    let mut best = (0usize, b',');
    for delimiter in DELIMITERS {
        let counts: Vec<usize> = counts_per_line(text, delimiter)
            .into_iter()
            .filter(|count| *count > 0)
            .collect();
        let mut frequency = std::collections::HashMap::new();
        for count in &counts {
            *frequency.entry(*count).or_insert(0usize) += 1;
        }
        let consistent = frequency.values().copied().max().unwrap_or(0);
        let score = counts.len() * 2 + consistent;
        if score > best.0 {
            best = (score, delimiter);
        }
    }
    best.1
}

/// Counts line breaks forward through a text, for line numbers.
struct LineCounter<'a> {
    text: &'a [u8],
    offset: usize,
    line: u32,
}

impl<'a> LineCounter<'a> {
    /// A counter that knows byte `offset` of `text` is on `line`.
    fn at(text: &'a [u8], offset: usize, line: u32) -> Self {
        LineCounter { text, offset, line }
    }

    /// The 1-based line of byte `offset` (offsets only move forward).
    fn line_at(&mut self, offset: usize) -> u32 {
        let end = offset.min(self.text.len());
        if end > self.offset {
            let breaks = count_line_breaks(&self.text[self.offset..end]);
            self.line = self
                .line
                .saturating_add(u32::try_from(breaks).unwrap_or(u32::MAX));
            self.offset = end;
        }
        self.line
    }
}

/// The `\n` bytes in `bytes`, counted in byte-sized sums that the
/// compiler turns into wide vector adds: counting byte by byte was
/// measurable on the parser's thread for a big export.
fn count_line_breaks(bytes: &[u8]) -> usize {
    bytes
        .chunks(255)
        .map(|chunk| usize::from(chunk.iter().map(|&b| u8::from(b == b'\n')).sum::<u8>()))
        .sum()
}

/// Where a record that the parser begins at `offset` has its first
/// character: after the blank lines it skips, and after a byte-order mark
/// at the very start of the text, which it strips.
fn record_start(text: &[u8], mut offset: usize) -> usize {
    if offset == 0 && text.starts_with("\u{FEFF}".as_bytes()) {
        offset = "\u{FEFF}".len();
    }
    while text.get(offset).is_some_and(|b| matches!(b, b'\r' | b'\n')) {
        offset += 1;
    }
    offset
}

/// Records parsed before their cells are made, at a time.
const RECORDS_PER_CHUNK: usize = 4096;

/// The size of the pieces a big text is cut into, to be parsed at once.
const PIECE_BYTES: usize = 1 << 20;

/// Reads a CSV/TSV/TXT file into one table.
///
/// A quoted field may hold line breaks, so a text cannot be cut blindly:
/// it is cut at line breaks into pieces of about a megabyte, each parsed
/// on its own on all cores, and each cut is then checked to have fallen
/// between two records. A cut inside a quoted field is found that way,
/// and the text from the piece before it on is read again in one piece.
pub(crate) fn read_text_table(bytes: &[u8], file: &str) -> Result<Table, Error> {
    let (text, _) = decode(bytes, file)?;
    let delimiter = sniff_delimiter(&text);
    let rows = read_records(&text, delimiter, PIECE_BYTES, file)?;
    Ok(Table { sheet: None, rows })
}

/// The rows of `text`, cut in pieces of about `piece_bytes`.
fn read_records(
    text: &[u8],
    delimiter: u8,
    piece_bytes: usize,
    file: &str,
) -> Result<Vec<Row>, Error> {
    let spare_chunks = SpareChunks::default();
    let mut pieces: Vec<PieceRows> = pieces_of(text, piece_bytes)
        .into_par_iter()
        .map(|piece| piece.read(text, delimiter, file, &spare_chunks))
        .collect();
    // Every piece up to the first that ended inside a record (or met an
    // error) began between records, so it was read right; from there on
    // the text is read again, as one piece. The pieces read wrongly are
    // dropped first, so that a sheet with line breaks in its answers never
    // holds its rows twice.
    if let Some(first_wrong) = pieces.iter().position(|p| !p.ends_between_records)
        && pieces[first_wrong].rows.is_ok()
    {
        let rest = Piece {
            end: text.len(),
            ..pieces[first_wrong].piece
        };
        pieces.truncate(first_wrong);
        pieces.push(rest.read(text, delimiter, file, &spare_chunks));
    }
    let mut rows = Vec::with_capacity(pieces.iter().map(PieceRows::len).sum());
    for piece in pieces {
        rows.extend(piece.rows?);
    }
    Ok(rows)
}

/// A part of a text, cut just after a line break.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Piece {
    start: usize,
    end: usize,
    /// The line `start` is on.
    first_line: u32,
}

/// What a piece held.
struct PieceRows {
    piece: Piece,
    /// Its non-blank rows, or the first row too big to read.
    rows: Result<Vec<Row>, Error>,
    /// False when its end fell inside a record: a quoted field that
    /// holds a line break, read on into the next piece.
    ends_between_records: bool,
}

impl PieceRows {
    fn len(&self) -> usize {
        self.rows.as_ref().map_or(0, Vec::len)
    }
}

/// `text` cut into pieces of at least `piece_bytes`, each ending just after
/// a line break (the last at the end), with their first lines.
fn pieces_of(text: &[u8], piece_bytes: usize) -> Vec<Piece> {
    let mut cuts = vec![0];
    let mut at = piece_bytes.max(1);
    while at < text.len() {
        let Some(found) = text[at..].iter().position(|&b| b == b'\n') else {
            break;
        };
        let cut = at + found + 1;
        if cut < text.len() {
            cuts.push(cut);
        }
        at = cut.saturating_add(piece_bytes.max(1));
    }
    cuts.push(text.len());
    let breaks: Vec<usize> = cuts
        .par_windows(2)
        .map(|cut| count_line_breaks(&text[cut[0]..cut[1]]))
        .collect();
    let mut first_line = 1u32;
    cuts.windows(2)
        .zip(breaks)
        .map(|(cut, breaks)| {
            let piece = Piece {
                start: cut[0],
                end: cut[1],
                first_line,
            };
            first_line = first_line.saturating_add(u32::try_from(breaks).unwrap_or(u32::MAX));
            piece
        })
        .collect()
}

impl Piece {
    /// Parses the piece and makes its rows: each chunk of records is made
    /// into rows while the next chunk is parsed.
    fn read(self, text: &[u8], delimiter: u8, file: &str, spares: &SpareChunks) -> PieceRows {
        let mut parser = RecordParser::new(text, self, delimiter);
        let mut rows = Vec::new();
        let mut chunk = parser.next_chunk(spares.take());
        // Two chunks take turns: one is parsed into while the other's
        // records are made into rows.
        let mut spare = spares.take();
        while !chunk.records.is_empty() {
            let (made, next) = rayon::join(|| chunk.rows(file), || parser.next_chunk(spare));
            spare = std::mem::replace(&mut chunk, next);
            match made {
                Ok(made) => rows.extend(made),
                Err(error) => {
                    return PieceRows {
                        piece: self,
                        rows: Err(error),
                        ends_between_records: false,
                    };
                }
            }
        }
        spares.give_back([chunk, spare]);
        PieceRows {
            piece: self,
            rows: Ok(rows),
            ends_between_records: parser.ends_between_records,
        }
    }
}

/// The CSV parser over a piece of a decoded text, numbering records by
/// line.
///
/// It is `csv_core` fed the whole piece, which is what `csv::Reader` does
/// through a buffer; the records of a chunk share two buffers instead of
/// owning three allocations each.
struct RecordParser<'a> {
    reader: csv_core::Reader,
    lines: LineCounter<'a>,
    text: &'a [u8],
    /// Bytes of `text` parsed so far.
    offset: usize,
    /// Where the piece ends: the end of the text is the end of the last
    /// record; any other end is where parsing stops.
    end: usize,
    /// Whether the piece's end fell between records (known once the
    /// whole piece is parsed).
    ends_between_records: bool,
}

impl<'a> RecordParser<'a> {
    fn new(text: &'a [u8], piece: Piece, delimiter: u8) -> Self {
        let mut reader = csv_core::ReaderBuilder::new().delimiter(delimiter).build();
        if piece.start > 0 {
            // A parser that has read a line break, as it would have after
            // the line before: a byte-order mark is stripped only at the
            // very start of the file.
            let _ = reader.read_record(b"\n", &mut [], &mut []);
        }
        RecordParser {
            reader,
            lines: LineCounter::at(text, piece.start, piece.first_line),
            text,
            offset: piece.start,
            end: piece.end,
            ends_between_records: true,
        }
    }
}

/// A chunk's first buffers, small: they double as needed.
const FIRST_FIELD_BYTES: usize = 4096;
const FIRST_FIELD_ENDS: usize = 64;

/// Records as parsed: every field's bytes back to back in one buffer.
#[derive(Debug, Default)]
struct RecordChunk {
    /// The fields' bytes, unquoted (the buffer, longer than what is used).
    fields: Vec<u8>,
    /// Where each field ends, counted from the start of its record (the
    /// buffer, longer than what is used).
    ends: Vec<usize>,
    records: Vec<ParsedRecord>,
}

/// Chunks whose buffers are free, for the next piece: a new buffer is
/// zeroed as it grows, which with new chunks for every piece came to four
/// times the size of the file.
#[derive(Debug, Default)]
struct SpareChunks(std::sync::Mutex<Vec<RecordChunk>>);

impl SpareChunks {
    fn take(&self) -> RecordChunk {
        let mut spares = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        spares.pop().unwrap_or_default()
    }

    fn give_back(&self, chunks: [RecordChunk; 2]) {
        let mut spares = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        spares.extend(chunks);
    }
}

/// One record of a [`RecordChunk`].
#[derive(Debug, Clone, Copy)]
struct ParsedRecord {
    /// The line it starts on.
    line: u32,
    /// Where its bytes start in `fields`.
    start: usize,
    /// Its fields' ends: `ends[first_end..first_end + fields]`.
    first_end: usize,
    fields: usize,
}

impl RecordParser<'_> {
    /// The next records, none at the end of the piece, parsed into the
    /// buffers of `chunk`. The parser never fails: like a spreadsheet, it
    /// prefers a reading over none.
    fn next_chunk(&mut self, mut chunk: RecordChunk) -> RecordChunk {
        use csv_core::ReadRecordResult;

        chunk.records.clear();
        chunk.records.reserve(RECORDS_PER_CHUNK);
        let (mut written, mut ended) = (0, 0);
        let mut started = None;
        while chunk.records.len() < RECORDS_PER_CHUNK {
            let record = started.get_or_insert_with(|| ParsedRecord {
                // A text editor's line number. The parser skips blank
                // lines, so count the line breaks up to the record's
                // first character.
                line: self.lines.line_at(record_start(self.text, self.offset)),
                start: written,
                first_end: ended,
                fields: 0,
            });
            let input = self.text.get(self.offset..self.end).unwrap_or_default();
            if input.is_empty() && self.end < self.text.len() {
                // Not the end of the file: a record begun here goes on
                // in the next piece.
                self.ends_between_records &= written == record.start && ended == record.first_end;
                break;
            }
            let (result, read, wrote, ends) = self.reader.read_record(
                input,
                &mut chunk.fields[written..],
                &mut chunk.ends[ended..],
            );
            self.offset += read;
            written += wrote;
            ended += ends;
            match result {
                ReadRecordResult::InputEmpty => {}
                ReadRecordResult::OutputFull => {
                    let grown = (chunk.fields.len() * 2).max(FIRST_FIELD_BYTES);
                    chunk.fields.resize(grown, 0);
                }
                ReadRecordResult::OutputEndsFull => {
                    let grown = (chunk.ends.len() * 2).max(FIRST_FIELD_ENDS);
                    chunk.ends.resize(grown, 0);
                }
                ReadRecordResult::Record => {
                    record.fields = ended - record.first_end;
                    chunk.records.push(*record);
                    started = None;
                }
                ReadRecordResult::End => break,
            }
        }
        chunk
    }
}

impl RecordChunk {
    /// The non-blank rows of the records, in order; the first too-big row
    /// is an error.
    fn rows(&self, file: &str) -> Result<Vec<Row>, Error> {
        let rows: Vec<Result<Option<Row>, Error>> = self
            .records
            .par_iter()
            .map(|record| self.row(record, file))
            .collect();
        rows.into_iter().filter_map(Result::transpose).collect()
    }

    fn row(&self, record: &ParsedRecord, file: &str) -> Result<Option<Row>, Error> {
        let not_utf8 = || {
            Error::input(
                format!("{file}, row {}", record.line),
                "holds text that is not UTF-8",
            )
        };
        let ends = self
            .ends
            .get(record.first_end..record.first_end + record.fields)
            .ok_or_else(not_utf8)?;
        let bytes = self
            .fields
            .get(record.start..record.start + ends.last().copied().unwrap_or(0))
            .ok_or_else(not_utf8)?;
        // Fields are cut from decoded UTF-8 at ASCII delimiters and quotes,
        // so they are UTF-8 too: the record is checked once (with SIMD),
        // not field by field.
        let line = simdutf8::basic::from_utf8(bytes).map_err(|_| not_utf8())?;
        let mut cells = Vec::with_capacity(ends.len());
        let mut field_start = 0;
        for &end in ends {
            let text = line.get(field_start..end).ok_or_else(not_utf8)?;
            field_start = end;
            cells.push(if is_blank(text) {
                Cell::Empty
            } else {
                Cell::Text(text.to_owned())
            });
        }
        check_row(&cells)
            .map_err(|message| Error::input(format!("{file}, row {}", record.line), message))?;
        let row = Row {
            number: record.line,
            cells,
        };
        Ok((!row.is_blank()).then_some(row))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_breaks_are_counted_across_chunks() {
        // All line breaks, none, and a mix with runs longer than a chunk.
        let mixed: Vec<u8> = (0..2_000u32)
            .map(|i| {
                if i % 7 == 0 || (600..900).contains(&i) {
                    b'\n'
                } else {
                    b'a'
                }
            })
            .collect();
        for bytes in [vec![b'\n'; 1_000], vec![b'x'; 1_000], mixed, Vec::new()] {
            let expected = bytes.iter().filter(|&&b| b == b'\n').count();
            assert_eq!(count_line_breaks(&bytes), expected);
        }
    }

    /// The rows as `csv::Reader` gives them, read in one piece, which is
    /// how the parser read before it cut texts in pieces.
    fn rows_by_csv_reader(text: &str, delimiter: u8) -> Vec<Row> {
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let mut lines = LineCounter::at(text.as_bytes(), 0, 1);
        let mut record = csv::ByteRecord::new();
        let mut rows = Vec::new();
        while reader.read_byte_record(&mut record).expect("never fails") {
            let start = record.position().map_or(0, |p| p.byte() as usize);
            let number = lines.line_at(record_start(text.as_bytes(), start));
            let cells = record
                .iter()
                .map(|field| match std::str::from_utf8(field).expect("utf-8") {
                    blank if blank.trim().is_empty() => Cell::Empty,
                    text => Cell::Text(text.to_owned()),
                })
                .collect();
            let row = Row { number, cells };
            if !row.is_blank() {
                rows.push(row);
            }
        }
        rows
    }

    #[test]
    fn long_texts_are_read_in_pieces_as_in_one() {
        // More records than a chunk holds, in pieces of every size from
        // one line to the whole text; buffers grow through the records.
        let mut text = String::from("\u{FEFF}Nombre;\"Correo\r\nelectrónico\"\r\n\r\n");
        for i in 0..(RECORDS_PER_CHUNK + 10) {
            text.push_str(&format!(
                "Ana {i};\"ana{i}@x.es\";;{}\n",
                "é".repeat(i % 50)
            ));
        }
        let expected = rows_by_csv_reader(&text, b';');
        assert_eq!(expected.len(), RECORDS_PER_CHUNK + 11);
        for piece_bytes in [1, 100, 10_000, PIECE_BYTES] {
            let rows = read_records(text.as_bytes(), b';', piece_bytes, "f.csv").expect("reads");
            assert_eq!(rows, expected, "pieces of {piece_bytes} bytes");
        }
    }

    #[test]
    fn a_quoted_line_break_across_a_cut_is_read_again_in_one_piece() {
        let text = "Nombre,Nota\nAna,\"una\ndos\ntres\"\nLuis,x\n\u{FEFF}Eva,y\n";
        let rows = read_records(text.as_bytes(), b',', 14, "f.csv").expect("reads");
        assert_eq!(rows, rows_by_csv_reader(text, b','));
        assert_eq!(rows[1].cells[1], Cell::Text("una\ndos\ntres".to_owned()));
        // A mark in the middle of a file is text, as csv::Reader reads it.
        assert_eq!(rows[3].cells[0], Cell::Text("\u{FEFF}Eva".to_owned()));
        assert_eq!(
            rows.iter().map(|r| r.number).collect::<Vec<_>>(),
            [1, 2, 5, 6]
        );
    }

    #[test]
    fn a_row_after_a_marked_blank_first_line_is_on_line_two() {
        // What a second byte-order mark looks like once decoding has
        // stripped the first.
        let text = "\u{FEFF}\nAna,\"a\n\"\n";
        for piece_bytes in [1, PIECE_BYTES] {
            let rows = read_records(text.as_bytes(), b',', piece_bytes, "f.csv").expect("reads");
            assert_eq!(rows.len(), 1);
            assert_eq!(rows[0].number, 2, "pieces of {piece_bytes} bytes");
        }
    }

    #[test]
    fn a_too_big_row_after_a_bad_cut_is_found_in_the_whole_text() {
        let big = "x".repeat(crate::table::MAX_CELL_BYTES + 1);
        let text = format!("a,\"b\nc\"\nd,e\n{big}\n");
        let error = read_records(text.as_bytes(), b',', 3, "f.csv").expect_err("too big");
        assert!(error.to_string().starts_with("f.csv, row 4:"), "{error}");
    }

    proptest::proptest! {
        #[test]
        fn pieces_read_as_csv_reader_does(text in "[a,;\"\r\n é\u{FEFF}]{0,200}", piece_bytes in 1usize..40) {
            for delimiter in [b',', b';'] {
                let rows = read_records(text.as_bytes(), delimiter, piece_bytes, "f.csv")
                    .expect("reads");
                proptest::prop_assert_eq!(rows, rows_by_csv_reader(&text, delimiter));
            }
        }
    }

    #[test]
    fn single_byte_text_decodes_in_pieces_as_in_one() {
        // Every byte in every position of a piece, some pieces cut in the
        // middle of a line: as encoding_rs decodes the whole.
        let bytes: Vec<u8> = (0..3 << 20).map(|i: u32| (i * 7 + i / 256) as u8).collect();
        use encoding_rs::*;
        let single_byte = [
            IBM866,
            ISO_8859_2,
            ISO_8859_3,
            ISO_8859_4,
            ISO_8859_5,
            ISO_8859_6,
            ISO_8859_7,
            ISO_8859_8,
            ISO_8859_8_I,
            ISO_8859_10,
            ISO_8859_13,
            ISO_8859_14,
            ISO_8859_15,
            ISO_8859_16,
            KOI8_R,
            KOI8_U,
            MACINTOSH,
            WINDOWS_874,
            WINDOWS_1250,
            WINDOWS_1251,
            WINDOWS_1252,
            WINDOWS_1253,
            WINDOWS_1254,
            WINDOWS_1255,
            WINDOWS_1256,
            WINDOWS_1257,
            WINDOWS_1258,
            X_MAC_CYRILLIC,
        ];
        for encoding in single_byte {
            assert!(encoding.is_single_byte());
            let whole = encoding.decode_without_bom_handling(&bytes).0;
            let pieces = decode_single_byte(&bytes, encoding);
            // (Not assert_eq: the texts are megabytes long.)
            assert!(
                pieces.as_deref() == Some(whole.as_bytes()),
                "{}",
                encoding.name()
            );
        }
    }

    #[test]
    fn the_encoding_is_told_from_the_lines_that_show_it() {
        // 400 KB of plain ASCII before the first Cyrillic name: the guess
        // follows the first non-ASCII lines, however far down they start.
        let mut bytes = b"Name,Email\r\n".to_vec();
        for i in 0..20_000 {
            bytes.extend(format!("Ana Ruiz,ana{i}@ejemplo.org\r\n").as_bytes());
        }
        for _ in 0..2_000 {
            // "Ольга Иванова" in Windows-1251.
            bytes.extend(b"\xce\xeb\xfc\xe3\xe0 \xc8\xe2\xe0\xed\xee\xe2\xe0,olga@ejemplo.org\r\n");
        }
        let (text, encoding) = decode(&bytes, "f.csv").expect("decodes");
        assert_eq!(encoding, encoding_rs::WINDOWS_1251);
        let olga = "Ольга Иванова".as_bytes();
        assert!(text.windows(olga.len()).any(|w| w == olga));
    }

    #[test]
    fn encodings() {
        let (text, enc) = decode("\u{FEFF}Nombre;José".as_bytes(), "f.csv").expect("utf-8 bom");
        assert_eq!((text.as_ref(), enc), ("Nombre;José".as_bytes(), UTF_8));
        let (text, enc) = decode(b"Nombre;Jos\xe9 Mar\xeda\r\n", "f.csv").expect("1252");
        assert_eq!(
            (text.as_ref(), enc),
            ("Nombre;José María\r\n".as_bytes(), WINDOWS_1252)
        );
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("Nombre\tÁlvaro".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let (text, enc) = decode(&utf16, "f.txt").expect("utf-16");
        assert_eq!(
            (text.as_ref(), enc),
            ("Nombre\tÁlvaro".as_bytes(), UTF_16LE)
        );
        let no_bom: Vec<u8> = "Name\tEmail\r\nAna\ta@b.es"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert_eq!(decode(&no_bom, "f.txt").expect("utf-16").1, UTF_16LE);
        let err = decode(b"Name,Email\n\0\0\x01\x02garbage", "bin.csv").expect_err("binary");
        assert!(
            err.to_string().starts_with("bin.csv: is not a spreadsheet"),
            "{err}"
        );
    }

    #[test]
    fn delimiters() {
        assert_eq!(sniff_delimiter(b"a,b,c\n1,2,3\n"), b',');
        assert_eq!(
            sniff_delimiter(b"Nombre;Correo\n\"Ruiz, Ana\";a@b.es\n"),
            b';'
        );
        assert_eq!(sniff_delimiter(b"a\tb\n\"x;y;z\"\t2\n"), b'\t');
        assert_eq!(sniff_delimiter(b"a|b|c\n1|2|3\n"), b'|');
        assert_eq!(sniff_delimiter(b"one column\nonly\n"), b',');
        let teams = "1. Summary\nMeeting title\tX\nStart time\t1/27/21, 10:00:03 AM\n\n2. Participants\nName\tFirst join\tEmail\nAna\t1/27/21, 10:01 AM\ta@b.es\n";
        assert_eq!(sniff_delimiter(teams.as_bytes()), b'\t');
    }

    #[test]
    fn rows_keep_their_line_numbers() {
        let table = read_text_table(
            b"Nombre,Email\r\n\r\nAna,a@b.es\n,\n\"Luis\nGil\",l@b.es\nEva,e@b.es\n",
            "f.csv",
        )
        .expect("reads");
        let numbers: Vec<u32> = table.rows.iter().map(|r| r.number).collect();
        assert_eq!(numbers, [1, 3, 5, 7]);
    }
}
