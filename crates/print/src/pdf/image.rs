//! PNG and JPEG pictures (logos, backgrounds, a handout's images) as PDF
//! image XObjects (ISO 32000-1 §8.9.5).
//!
//! A JPEG is passed through as it is, `/DCTDecode` (the PDF reader decodes
//! it): only its frame header is read, for the size and the number of
//! colour components, so a large photo costs no decoding and no second
//! compression. A PNG is decoded (the `png` crate) to 8-bit grey or RGB
//! samples, Flate-compressed, with its alpha channel, if any pixel is not
//! opaque, as a soft mask (`/SMask`, which PDF/A-2 allows).

use std::io::Cursor;

use pdf_writer::{Filter, Name};

use super::writer::{ObjId, deflate, pdf_ref, stream_dict};
use crate::Error;

/// An image's samples (or a soft mask's) as stored, and the filter they
/// are stored with.
#[derive(Debug, Clone)]
pub(super) struct Samples {
    pub(super) data: Vec<u8>,
    pub(super) filter: Option<Filter>,
}

/// A picture ready for PDF: decoded (or checked, for a JPEG) and encoded
/// once, so several documents can share it (see
/// [`StreamDocument::add_image`](super::StreamDocument::add_image)).
#[derive(Debug, Clone)]
pub struct DecodedImage {
    /// `DeviceGray` or `DeviceRGB`.
    pub(super) space: &'static str,
    /// The colour samples.
    pub(super) colour: Samples,
    /// The soft mask (grey), when some pixel is not opaque.
    pub(super) mask: Option<Samples>,
    pub(super) width_px: u32,
    pub(super) height_px: u32,
}

impl DecodedImage {
    /// Reads PNG or JPEG bytes; `name` is used in the error.
    pub fn decode(bytes: &[u8], name: &str) -> Result<DecodedImage, Error> {
        let fail = |reason: String| Error::Image {
            name: name.to_owned(),
            reason,
        };
        let image = if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            png_image(bytes).map_err(fail)?
        } else if bytes.starts_with(&[0xFF, 0xD8]) {
            jpeg_image(bytes).map_err(fail)?
        } else {
            return Err(fail("it is neither a PNG nor a JPEG picture".to_owned()));
        };
        if image.width_px == 0 || image.height_px == 0 {
            return Err(fail("it has no pixels".to_owned()));
        }
        Ok(image)
    }

    /// Width in pixels.
    pub fn width_px(&self) -> u32 {
        self.width_px
    }

    /// Height in pixels.
    pub fn height_px(&self) -> u32 {
        self.height_px
    }

    /// Whether the picture has a soft mask (some pixel not opaque).
    pub fn has_transparency(&self) -> bool {
        self.mask.is_some()
    }

    /// The image XObject's dictionary, with `/SMask` when its soft mask
    /// was written as `mask`.
    pub(super) fn colour_dict(&self, mask: Option<ObjId>) -> Vec<u8> {
        self.xobject_dict(&self.colour, self.space, mask)
    }

    /// The soft mask's image XObject dictionary, when there is one.
    pub(super) fn mask_dict(&self) -> Option<Vec<u8>> {
        let mask = self.mask.as_ref()?;
        Some(self.xobject_dict(mask, "DeviceGray", None))
    }

    fn xobject_dict(&self, samples: &Samples, space: &str, mask: Option<ObjId>) -> Vec<u8> {
        let width = i32::try_from(self.width_px).unwrap_or(i32::MAX);
        let height = i32::try_from(self.height_px).unwrap_or(i32::MAX);
        stream_dict(&samples.data, |chunk, id, data| {
            let mut image = chunk.image_xobject(id, data);
            image
                .width(width)
                .height(height)
                .bits_per_component(8)
                .color_space_name(Name(space.as_bytes()));
            if let Some(filter) = samples.filter {
                image.filter(filter);
            }
            if let Some(mask) = mask {
                image.s_mask(pdf_ref(mask));
            }
        })
    }

    /// 8-bit samples, deflated when that makes them smaller, as an image
    /// of `colour_space` (or a soft mask, `DeviceGray`).
    pub(super) fn from_samples(
        width: u32,
        height: u32,
        colour_space: &'static str,
        colour: &[u8],
        alpha: Option<&[u8]>,
    ) -> DecodedImage {
        let filtered = |data: &[u8]| {
            let compressed = deflate(data);
            if compressed.len() < data.len() {
                Samples {
                    data: compressed,
                    filter: Some(Filter::FlateDecode),
                }
            } else {
                Samples {
                    data: data.to_vec(),
                    filter: None,
                }
            }
        };
        // A fully opaque alpha channel is left out.
        let mask = alpha
            .filter(|alpha| alpha.iter().any(|&a| a != 255))
            .map(filtered);
        DecodedImage {
            space: colour_space,
            colour: filtered(colour),
            mask,
            width_px: width,
            height_px: height,
        }
    }
}

/// A PNG decoded to 8-bit grey or RGB, alpha apart.
fn png_image(bytes: &[u8]) -> Result<DecodedImage, String> {
    let mut decoder = png::Decoder::new(Cursor::new(bytes));
    // Palette and low bit depths expanded, 16-bit samples cut to 8: what
    // an 8-bit image XObject takes. The decoder's default limits bound
    // the memory a hostile file can ask for.
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = decoder.read_info().map_err(|e| e.to_string())?;
    let size = reader
        .output_buffer_size()
        .ok_or_else(|| "it is too large".to_owned())?;
    let mut pixels = vec![0; size];
    let frame = reader.next_frame(&mut pixels).map_err(|e| e.to_string())?;
    pixels.truncate(frame.buffer_size());
    let (channels, space) = match frame.color_type {
        png::ColorType::Grayscale => (1, "DeviceGray"),
        png::ColorType::GrayscaleAlpha => (2, "DeviceGray"),
        png::ColorType::Rgb => (3, "DeviceRGB"),
        png::ColorType::Rgba => (4, "DeviceRGB"),
        png::ColorType::Indexed => return Err("its palette could not be expanded".to_owned()),
    };
    let (width, height) = (frame.width, frame.height);
    // Rows are packed (8-bit samples), but keep to the rows the frame
    // declares however the buffer is laid out.
    let row = frame.line_size;
    let packed = width as usize * channels;
    if row < packed || pixels.len() < row * height as usize {
        return Err("its pixels are cut short".to_owned());
    }
    let colours = channels - usize::from(channels % 2 == 0);
    if channels == colours && row == packed {
        return Ok(DecodedImage::from_samples(
            width, height, space, &pixels, None,
        ));
    }
    let count = width as usize * height as usize;
    let mut colour = Vec::with_capacity(count * colours);
    let mut alpha = Vec::with_capacity(if channels == colours { 0 } else { count });
    for line in pixels.chunks_exact(row).take(height as usize) {
        for pixel in line[..packed].chunks_exact(channels) {
            colour.extend_from_slice(&pixel[..colours]);
            if channels != colours {
                alpha.push(pixel[channels - 1]);
            }
        }
    }
    let alpha = (channels != colours).then_some(alpha.as_slice());
    Ok(DecodedImage::from_samples(
        width, height, space, &colour, alpha,
    ))
}

/// A JPEG kept as it is, its size and colour components read from its
/// frame header (ITU T.81 §B.2.2).
fn jpeg_image(bytes: &[u8]) -> Result<DecodedImage, String> {
    let header = jpeg_frame(bytes)?;
    let space = match header.components {
        1 => "DeviceGray",
        3 => "DeviceRGB",
        // CMYK has no place next to the sRGB output intent of PDF/A, and
        // Adobe's CMYK JPEGs are stored inverted besides.
        4 => return Err("it is a CMYK JPEG; save it as RGB".to_owned()),
        n => return Err(format!("it has {n} colour components")),
    };
    Ok(DecodedImage {
        space,
        colour: Samples {
            data: bytes.to_vec(),
            filter: Some(Filter::DctDecode),
        },
        mask: None,
        width_px: u32::from(header.width),
        height_px: u32::from(header.height),
    })
}

#[derive(Debug, PartialEq, Eq)]
struct JpegFrame {
    width: u16,
    height: u16,
    components: u8,
}

/// The frame header of a JPEG: markers are walked by their lengths up to
/// the first start of frame. Only the frames PDF readers decode are taken
/// (baseline, extended and progressive Huffman, 8-bit); lossless,
/// hierarchical and arithmetic-coded JPEGs are refused.
fn jpeg_frame(bytes: &[u8]) -> Result<JpegFrame, String> {
    let cut = || "it is cut short before its frame header".to_owned();
    let mut at = 2;
    loop {
        // Fill bytes (0xFF) may come before a marker.
        while bytes.get(at) == Some(&0xFF) && bytes.get(at + 1) == Some(&0xFF) {
            at += 1;
        }
        let (Some(&0xFF), Some(&marker)) = (bytes.get(at), bytes.get(at + 1)) else {
            return Err(if at >= bytes.len() {
                cut()
            } else {
                "its markers are damaged".to_owned()
            });
        };
        at += 2;
        // Markers without a length: TEM, RST0–7.
        if marker == 0x01 || (0xD0..=0xD7).contains(&marker) {
            continue;
        }
        let length = match (bytes.get(at), bytes.get(at + 1)) {
            (Some(&hi), Some(&lo)) => usize::from(u16::from_be_bytes([hi, lo])),
            _ => return Err(cut()),
        };
        if length < 2 {
            return Err("its markers are damaged".to_owned());
        }
        match marker {
            0xC0..=0xC2 => {
                let segment = bytes.get(at + 2..at + length).ok_or_else(cut)?;
                let [precision, h0, h1, w0, w1, components, ..] = *segment else {
                    return Err(cut());
                };
                if precision != 8 {
                    return Err(format!("it has {precision}-bit samples (8 are supported)"));
                }
                return Ok(JpegFrame {
                    width: u16::from_be_bytes([w0, w1]),
                    height: u16::from_be_bytes([h0, h1]),
                    components,
                });
            }
            0xC3 | 0xC5..=0xC7 | 0xC9..=0xCB | 0xCD..=0xCF => {
                return Err(
                    "it is a lossless, hierarchical or arithmetic-coded JPEG; save it as a baseline JPEG"
                        .to_owned(),
                );
            }
            // Start of scan or end of image before any frame header.
            0xDA | 0xD9 => return Err("it has no frame header".to_owned()),
            _ => at += length,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A tiny PNG written with the `png` crate.
    fn png(width: u32, height: u32, colour: png::ColorType, pixels: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut encoder = png::Encoder::new(&mut out, width, height);
        encoder.set_color(colour);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header().expect("in memory");
        writer.write_image_data(pixels).expect("in memory");
        writer.finish().expect("in memory");
        out
    }

    #[test]
    fn a_png_with_alpha_gets_a_soft_mask() {
        let bytes = png(
            2,
            1,
            png::ColorType::Rgba,
            &[255, 0, 0, 128, 0, 0, 255, 255],
        );
        let image = DecodedImage::decode(&bytes, "logo.png").expect("decodes");
        assert_eq!((image.width_px(), image.height_px()), (2, 1));
        let dict = image.colour_dict(Some(9));
        let dict = String::from_utf8_lossy(&dict);
        assert!(dict.contains("/ColorSpace/DeviceRGB"), "{dict}");
        assert!(dict.contains("/SMask 9 0 R"), "{dict}");
        let mask = image.mask.as_ref().expect("a mask");
        let mask_dict = image.mask_dict().expect("a mask");
        let mask_dict = String::from_utf8_lossy(&mask_dict);
        assert!(mask_dict.contains("/ColorSpace/DeviceGray"), "{mask_dict}");
        assert!(mask_dict.contains("/Width 2/Height 1"), "{mask_dict}");
        assert_eq!(mask.data, [128, 255]);
        assert_eq!(image.colour.data, [255, 0, 0, 0, 0, 255]);
    }

    #[test]
    fn an_opaque_png_has_no_mask_and_grey_stays_grey() {
        let bytes = png(
            2,
            2,
            png::ColorType::GrayscaleAlpha,
            &[0, 255, 9, 255, 80, 255, 7, 255],
        );
        let image = DecodedImage::decode(&bytes, "g.png").expect("decodes");
        assert!(!image.has_transparency());
        assert_eq!(image.space, "DeviceGray");
        assert_eq!(image.colour.data, [0, 9, 80, 7]);
    }

    #[test]
    fn a_jpeg_is_passed_through_with_its_frame_size() {
        // SOI, an APP0 segment, SOF0 of 300 x 200 with 3 components, EOI.
        let mut jpeg = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0xAA, 0xBB];
        jpeg.extend_from_slice(&[0xFF, 0xC0, 0x00, 0x11, 8, 0x00, 200, 0x01, 0x2C, 3]);
        jpeg.extend_from_slice(&[1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
        jpeg.extend_from_slice(&[0xFF, 0xD9]);
        let image = DecodedImage::decode(&jpeg, "photo.jpg").expect("reads");
        assert_eq!((image.width_px(), image.height_px()), (300, 200));
        let dict = image.colour_dict(None);
        let dict = String::from_utf8_lossy(&dict);
        assert!(dict.contains("/Filter/DCTDecode"), "{dict}");
        assert!(dict.contains("/ColorSpace/DeviceRGB"), "{dict}");
        assert_eq!(image.colour.data, jpeg);
        let cut = &jpeg[..12];
        assert!(DecodedImage::decode(cut, "cut.jpg").is_err());
        let mut cmyk = jpeg.clone();
        cmyk[17] = 4;
        assert!(DecodedImage::decode(&cmyk, "cmyk.jpg").is_err());
        assert!(DecodedImage::decode(b"GIF89a", "x.gif").is_err());
        assert!(DecodedImage::decode(b"\x89PNG\r\n\x1a\nbroken", "x.png").is_err());
    }
}
