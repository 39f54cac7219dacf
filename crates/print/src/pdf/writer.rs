//! The object layer of a PDF written as it is made (ISO 32000-1 §7.5):
//! numbered objects go to the output at once with their byte offsets
//! noted, small dictionaries are packed into compressed object streams
//! (§7.5.7), and the file ends with a compressed cross-reference stream
//! (§7.5.8) instead of a 20-byte line per object. Memory holds the offsets
//! and at most one object stream being filled, whatever the number of
//! objects.
//!
//! What is in an object (its dictionary, array or stream dictionary) is
//! written with pdf-writer's typed writers ([`object`], [`stream_dict`]),
//! which escape names and strings and format numbers; this layer only
//! numbers the objects and places their bytes.

use std::fmt::Write as _;
use std::io::{self, BufWriter, Write};

use libdeflater::{CompressionLvl, Compressor};
use pdf_writer::{Chunk, Filter, Name, Obj, Ref, Settings, Str};

/// An object number (generation is always 0).
pub(crate) type ObjId = u32;

/// Objects packed into one object stream before it is written: enough to
/// compress page dictionaries well (they differ only in a few numbers),
/// few enough that a reader unpacks a stream quickly.
const PACKED_PER_STREAM: usize = 256;

thread_local! {
    /// One compressor per thread: a new one allocates its tables, more
    /// work than deflating a page's kilobyte of drawing.
    static COMPRESSOR: std::cell::RefCell<Compressor> =
        std::cell::RefCell::new(Compressor::new(CompressionLvl::default()));
}

/// Deflates `bytes` in the zlib format, as FlateDecode reads it, with
/// libdeflate at its default level (6). libdeflate compresses whole
/// buffers at once: on a page's small drawing it is quicker than zlib's
/// streaming, and no larger. Level 9 would make object streams a little
/// smaller, but they are deflated on the one thread that writes the file,
/// and the time it added there outweighed the bytes it saved.
pub(crate) fn deflate(bytes: &[u8]) -> Vec<u8> {
    COMPRESSOR.with(|cell| {
        let compressor = &mut *cell.borrow_mut();
        let mut out = vec![0; compressor.zlib_compress_bound(bytes.len())];
        // libdeflate fails only on an output buffer smaller than its bound.
        let written = compressor.zlib_compress(bytes, &mut out).unwrap_or(0);
        out.truncate(written);
        out
    })
}

/// pdf-writer without indentation or line breaks: what a reader ignores
/// costs bytes in every page dictionary.
const COMPACT: Settings = Settings { pretty: false };

/// What pdf-writer writes before and after an indirect object
/// ([`Chunk::indirect`] with [`PLACEHOLDER`]), cut off here because
/// [`ObjectWriter`] places the object itself (maybe in an object stream,
/// where objects have no `obj` … `endobj`).
const OBJ_START: &[u8] = b"1 0 obj\n";
const OBJ_END: &[u8] = b"\nendobj\n";
const STREAM_START: &[u8] = b"\nstream\n";
const STREAM_END: &[u8] = b"\nendstream\nendobj\n";
const PLACEHOLDER: Ref = Ref::new(1);

/// A reference to object `id`, for pdf-writer.
pub(crate) fn pdf_ref(id: ObjId) -> Ref {
    Ref::new(i32::try_from(id).unwrap_or(i32::MAX))
}

/// Writes one object (a dictionary, an array) with pdf-writer and gives
/// back its bytes without `N 0 obj` and `endobj`: what
/// [`ObjectWriter::direct`] and [`ObjectWriter::packed`] take.
pub(crate) fn object(write: impl FnOnce(Obj<'_>)) -> Vec<u8> {
    let mut chunk = Chunk::with_settings_and_capacity(COMPACT, 256);
    write(chunk.indirect(PLACEHOLDER));
    let bytes = chunk.as_bytes();
    bytes
        .strip_prefix(OBJ_START)
        .and_then(|rest| rest.strip_suffix(OBJ_END))
        .unwrap_or(bytes)
        .to_vec()
}

/// Writes a stream's dictionary with pdf-writer: `write` is given a chunk,
/// the reference to write under and `data`, and starts the stream (a
/// typed writer such as [`Chunk::image_xobject`], or [`Chunk::stream`])
/// with the entries it needs; pdf-writer adds `/Length`. Gives back the
/// dictionary (`<<` … `>>`) for [`ObjectWriter::stream`], which writes
/// the data itself (with the end-of-line PDF/A wants after data ending in
/// CR, which pdf-writer does not add).
pub(crate) fn stream_dict(data: &[u8], write: impl FnOnce(&mut Chunk, Ref, &[u8])) -> Vec<u8> {
    let mut chunk = Chunk::with_settings_and_capacity(COMPACT, 256 + data.len());
    write(&mut chunk, PLACEHOLDER, data);
    let bytes = chunk.as_bytes();
    let tail = STREAM_START.len() + data.len() + STREAM_END.len();
    match bytes.strip_prefix(OBJ_START) {
        Some(rest) if rest.len() >= tail && rest.ends_with(STREAM_END) => {
            rest[..rest.len() - tail].to_vec()
        }
        _ => bytes.to_vec(),
    }
}

/// `data` deflated when that makes it smaller (the filter to name with
/// it), else as it is.
pub(crate) fn maybe_deflated(data: &[u8]) -> (std::borrow::Cow<'_, [u8]>, Option<Filter>) {
    let compressed = deflate(data);
    // `/Filter/FlateDecode` costs its bytes in the dictionary.
    if compressed.len() + 19 < data.len() {
        (compressed.into(), Some(Filter::FlateDecode))
    } else {
        (data.into(), None)
    }
}

#[derive(Debug, Clone, Copy)]
enum XrefEntry {
    /// Reserved, not (yet) written.
    Free,
    /// At this byte offset of the file.
    Direct(u64),
    /// The `index`th object of object stream `stream`.
    Packed { stream: ObjId, index: u16 },
}

/// Counts the bytes written, for the cross-reference offsets.
struct Counting<W: Write> {
    inner: BufWriter<W>,
    written: u64,
}

impl<W: Write> Write for Counting<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.written += n as u64;
        Ok(n)
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.inner.write_all(buf)?;
        self.written += buf.len() as u64;
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Writes a PDF's objects in the order they are made. Ids are reserved
/// first ([`reserve`](Self::reserve)) so an object can point to one written
/// later (a page to its parent in the page tree).
pub(crate) struct ObjectWriter<W: Write> {
    out: Counting<W>,
    /// Index = object number; entry 0 is the free list head.
    xref: Vec<XrefEntry>,
    packed: Vec<(ObjId, Vec<u8>)>,
}

impl<W: Write> ObjectWriter<W> {
    /// Starts the file: version 1.5 (object and cross-reference streams)
    /// and a comment of high bytes, which marks the file as binary.
    pub(crate) fn new(out: W) -> io::Result<ObjectWriter<W>> {
        let mut out = Counting {
            inner: BufWriter::with_capacity(64 * 1024, out),
            written: 0,
        };
        out.write_all(b"%PDF-1.5\n%\xE2\xE3\xCF\xD3\n")?;
        Ok(ObjectWriter {
            out,
            xref: vec![XrefEntry::Free],
            packed: Vec::new(),
        })
    }

    /// A new object number, to be written later.
    pub(crate) fn reserve(&mut self) -> ObjId {
        self.xref.push(XrefEntry::Free);
        ObjId::try_from(self.xref.len() - 1).unwrap_or(ObjId::MAX)
    }

    fn begin(&mut self, id: ObjId) -> io::Result<()> {
        if let Some(entry) = self.xref.get_mut(id as usize) {
            *entry = XrefEntry::Direct(self.out.written);
        }
        writeln!(self.out, "{id} 0 obj")
    }

    /// Writes object `id` (a dictionary, array, …) uncompressed, where
    /// tools that search the raw bytes find it (document information,
    /// font descriptors).
    pub(crate) fn direct(&mut self, id: ObjId, body: &[u8]) -> io::Result<()> {
        self.begin(id)?;
        self.out.write_all(body)?;
        self.out.write_all(b"\nendobj\n")
    }

    /// Writes a stream object: `dict` is its dictionary, `/Length`
    /// included ([`stream_dict`]), `data` the bytes as stored (already
    /// filtered).
    pub(crate) fn stream(&mut self, id: ObjId, dict: &[u8], data: &[u8]) -> io::Result<()> {
        self.begin(id)?;
        self.out.write_all(dict)?;
        self.out.write_all(STREAM_START)?;
        self.out.write_all(data)?;
        // The end-of-line before `endstream` is not counted in /Length;
        // PDF/A requires it (a byte per stream, spent for conformance).
        // Data ending in CR gets CR LF, or a reader would take that CR
        // and the LF for the end-of-line and find the stream a byte short.
        let eol: &[u8] = if data.last() == Some(&b'\r') {
            b"\r\n"
        } else {
            b"\n"
        };
        self.out.write_all(eol)?;
        self.out.write_all(b"endstream\nendobj\n")
    }

    /// Queues object `id` (not a stream) for the next object stream.
    pub(crate) fn packed(&mut self, id: ObjId, body: Vec<u8>) -> io::Result<()> {
        self.packed.push((id, body));
        if self.packed.len() >= PACKED_PER_STREAM {
            self.flush_packed()?;
        }
        Ok(())
    }

    fn flush_packed(&mut self) -> io::Result<()> {
        if self.packed.is_empty() {
            return Ok(());
        }
        let stream = self.reserve();
        let packed = std::mem::take(&mut self.packed);
        let mut header = String::new();
        let mut bodies: Vec<u8> = Vec::new();
        for (index, (id, body)) in packed.iter().enumerate() {
            let _ = write!(header, "{id} {} ", bodies.len());
            bodies.extend_from_slice(body);
            bodies.push(b'\n');
            if let Some(entry) = self.xref.get_mut(*id as usize) {
                *entry = XrefEntry::Packed {
                    stream,
                    index: u16::try_from(index).unwrap_or(u16::MAX),
                };
            }
        }
        let first = header.len();
        let mut data = header.into_bytes();
        data.extend_from_slice(&bodies);
        let count = i32::try_from(packed.len()).unwrap_or(i32::MAX);
        let first = i32::try_from(first).unwrap_or(i32::MAX);
        let data = deflate(&data);
        let dict = stream_dict(&data, |chunk, id, data| {
            let mut stream = chunk.stream(id, data);
            stream.pair(Name(b"Type"), Name(b"ObjStm"));
            stream.pair(Name(b"N"), count);
            stream.pair(Name(b"First"), first);
            stream.filter(Filter::FlateDecode);
        });
        self.stream(stream, &dict, &data)
    }

    /// Writes what is still queued and the cross-reference stream naming
    /// `root` (the catalog) and `info`, and gives back the output.
    ///
    /// The file identifier (`/ID`, which PDF/A requires) is a digest of
    /// `seed` (the document information) and of the cross-reference table,
    /// which holds every object's offset: it differs between documents and
    /// stays the same when the same document is written again.
    pub(crate) fn finish(mut self, root: ObjId, info: ObjId, seed: &[u8]) -> io::Result<W> {
        self.flush_packed()?;
        let xref_id = self.reserve();
        let start = self.out.written;
        if let Some(entry) = self.xref.get_mut(xref_id as usize) {
            *entry = XrefEntry::Direct(start);
        }
        // Fields: type (1 byte), offset or object stream, generation or
        // index; the last two as wide as their largest value needs.
        let field = |entry: &XrefEntry| -> (u8, u64, u64) {
            match *entry {
                XrefEntry::Free => (0, 0, 0),
                XrefEntry::Direct(offset) => (1, offset, 0),
                XrefEntry::Packed { stream, index } => (2, u64::from(stream), u64::from(index)),
            }
        };
        let width = |max: u64| ((64 - max.leading_zeros()).div_ceil(8)).max(1) as usize;
        let (mut max_second, mut max_third) = (0u64, 65535u64);
        for entry in &self.xref {
            let (_, second, third) = field(entry);
            max_second = max_second.max(second);
            max_third = max_third.max(third);
        }
        let (second_width, third_width) = (width(max_second), width(max_third));
        let mut table = Vec::with_capacity(self.xref.len() * (1 + second_width + third_width));
        for (n, entry) in self.xref.iter().enumerate() {
            let (kind, second, third) = field(entry);
            // The head of the free list has generation 65535.
            let third = if n == 0 { 65535 } else { third };
            table.push(kind);
            table.extend_from_slice(&second.to_be_bytes()[8 - second_width..]);
            table.extend_from_slice(&third.to_be_bytes()[8 - third_width..]);
        }
        let digest = {
            use sha2::Digest as _;
            let mut hasher = sha2::Sha256::new();
            hasher.update(seed);
            hasher.update(&table);
            hasher.finalize()
        };
        let file_id = &digest[..16];
        let size = i32::try_from(self.xref.len()).unwrap_or(i32::MAX);
        let compressed = deflate(&table);
        let dict = stream_dict(&compressed, |chunk, id, data| {
            let mut stream = chunk.stream(id, data);
            stream.pair(Name(b"Type"), Name(b"XRef"));
            stream.pair(Name(b"Size"), size);
            stream
                .insert(Name(b"W"))
                .array()
                .items([1, second_width as i32, third_width as i32]);
            stream.pair(Name(b"Root"), pdf_ref(root));
            stream.pair(Name(b"Info"), pdf_ref(info));
            stream
                .insert(Name(b"ID"))
                .array()
                .items([Str(file_id), Str(file_id)]);
            stream.filter(Filter::FlateDecode);
        });
        self.stream(xref_id, &dict, &compressed)?;
        write!(self.out, "startxref\n{start}\n%%EOF\n")?;
        self.out.flush()?;
        self.out
            .inner
            .into_inner()
            .map_err(io::IntoInnerError::into_error)
    }
}

/// Appends `value` rounded to `decimals` places, without trailing zeros
/// (`73.7`, `0.122`, `12`): the numbers of content streams.
pub(crate) fn number(out: &mut Vec<u8>, value: f32, decimals: u32) {
    let scale = 10i64.pow(decimals);
    let scaled = (f64::from(value) * scale as f64).round() as i64;
    if scaled < 0 {
        out.push(b'-');
    }
    let magnitude = scaled.unsigned_abs();
    let whole = magnitude / scale as u64;
    let mut fraction = magnitude % scale as u64;
    digits(out, whole, 1);
    if fraction != 0 {
        out.push(b'.');
        let mut width = decimals;
        while fraction.is_multiple_of(10) {
            fraction /= 10;
            width -= 1;
        }
        digits(out, fraction, width as usize);
    }
}

/// Appends the decimal digits of `value`, zero-padded to `width`.
fn digits(out: &mut Vec<u8>, mut value: u64, width: usize) {
    let mut buffer = [b'0'; 20];
    let mut start = buffer.len();
    while value != 0 || start == buffer.len() {
        start -= 1;
        buffer[start] = b'0' + (value % 10) as u8;
        value /= 10;
    }
    start = start.min(buffer.len().saturating_sub(width));
    out.extend_from_slice(&buffer[start..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn num(value: f32, decimals: u32) -> String {
        let mut out = Vec::new();
        number(&mut out, value, decimals);
        String::from_utf8(out).expect("ASCII")
    }

    #[test]
    fn numbers_are_short_and_exact_to_their_rounding() {
        assert_eq!(num(73.7, 2), "73.7");
        assert_eq!(num(170.07999, 2), "170.08");
        assert_eq!(num(0.122, 3), "0.122");
        assert_eq!(num(0.05, 2), "0.05");
        assert_eq!(num(-12.0, 2), "-12");
        assert_eq!(num(-0.001, 2), "0");
        assert_eq!(num(841.8898, 2), "841.89");
        assert_eq!(num(1000.0, 0), "1000");
    }

    #[test]
    fn deflated_streams_inflate_back() {
        use std::io::Read;
        for size in [0, 1, 1_000, 300_000] {
            let data: Vec<u8> = (0..size).map(|i| (i * 7 % 251) as u8).collect();
            let mut back = Vec::new();
            flate2::read::ZlibDecoder::new(deflate(&data).as_slice())
                .read_to_end(&mut back)
                .expect("inflates");
            assert_eq!(back, data);
        }
    }

    #[test]
    fn stream_data_ends_with_an_end_of_line_not_counted_in_its_length() {
        let mut writer = ObjectWriter::new(Vec::new()).expect("in memory");
        let plain = writer.reserve();
        let ends_in_cr = writer.reserve();
        let plain_stream = |data: &[u8]| {
            stream_dict(data, |chunk, id, data| {
                chunk.stream(id, data);
            })
        };
        writer
            .stream(plain, &plain_stream(b"abc"), b"abc")
            .expect("in memory");
        writer
            .stream(ends_in_cr, &plain_stream(b"ab\r"), b"ab\r")
            .expect("in memory");
        let bytes = writer.finish(plain, plain, b"t").expect("in memory");
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            text.contains("<</Length 3>>\nstream\nabc\nendstream\n"),
            "{text}"
        );
        // A lone CR LF would be read as the end-of-line, leaving "ab".
        assert!(
            text.contains("<</Length 3>>\nstream\nab\r\r\nendstream\n"),
            "{text}"
        );
    }

    #[test]
    fn objects_are_bare_and_compact() {
        let catalog = object(|obj| {
            obj.start::<pdf_writer::writers::Catalog>()
                .pages(pdf_ref(7));
        });
        assert_eq!(catalog, b"<</Type/Catalog/Pages 7 0 R>>");
        let array = object(|obj| {
            obj.array().items([pdf_ref(3), pdf_ref(4)]);
        });
        assert_eq!(array, b"[3 0 R 4 0 R]");
        let dict = stream_dict(b"ab\r", |chunk, id, data| {
            chunk.stream(id, data).filter(Filter::FlateDecode);
        });
        assert_eq!(dict, b"<</Length 3/Filter/FlateDecode>>");
        // Strings are escaped by pdf-writer: brackets, CR, LF survive.
        let hostile = object(|obj| {
            obj.primitive(Str(b"a(b\r\n"));
        });
        assert_eq!(hostile, b"(a\\(b\\r\\n)");
    }

    #[test]
    fn the_file_identifier_follows_the_content() {
        let write = |seed: &[u8]| {
            let mut writer = ObjectWriter::new(Vec::new()).expect("in memory");
            let catalog = writer.reserve();
            let dict = object(|obj| {
                obj.start::<pdf_writer::writers::Catalog>();
            });
            writer.direct(catalog, &dict).expect("in memory");
            writer.finish(catalog, catalog, seed).expect("in memory")
        };
        let id = |bytes: &[u8]| {
            let doc = lopdf::Document::load_mem(bytes).expect("lopdf reads it");
            let id = doc.trailer.get(b"ID").expect("an /ID").clone();
            format!("{id:?}")
        };
        assert_eq!(id(&write(b"one")), id(&write(b"one")));
        assert_ne!(id(&write(b"one")), id(&write(b"two")));
    }

    #[test]
    fn the_cross_reference_stream_points_at_every_object() {
        let mut writer = ObjectWriter::new(Vec::new()).expect("in memory");
        let catalog = writer.reserve();
        let pages = writer.reserve();
        let info = writer.reserve();
        let tree = object(|obj| {
            obj.start::<pdf_writer::writers::Pages>().kids([]).count(0);
        });
        writer.packed(pages, tree).expect("in memory");
        let root = object(|obj| {
            obj.start::<pdf_writer::writers::Catalog>()
                .pages(pdf_ref(pages));
        });
        writer.direct(catalog, &root).expect("in memory");
        let title = object(|obj| {
            obj.start::<pdf_writer::writers::DocumentInfo>()
                .title(pdf_writer::TextStr("t"));
        });
        writer.direct(info, &title).expect("in memory");
        let bytes = writer.finish(catalog, info, b"t").expect("in memory");
        let doc = lopdf::Document::load_mem(&bytes).expect("lopdf reads it");
        let catalog = doc.catalog().expect("catalog");
        let pages = catalog
            .get(b"Pages")
            .and_then(lopdf::Object::as_reference)
            .expect("pages");
        let pages = doc.get_dictionary(pages).expect("packed object found");
        assert_eq!(
            pages.get(b"Count").and_then(lopdf::Object::as_i64).ok(),
            Some(0)
        );
    }
}
