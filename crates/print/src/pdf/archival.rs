//! What makes a PDF archival (PDF/A-2b, ISO 19005-2) beyond drawing: the
//! document information written twice, as the information dictionary and
//! as XMP metadata that says so, and the sRGB profile of the output intent.

use std::fmt::Write as _;

use taller_model::escape_markup;

use pdf_writer::TextStr;

use super::DocumentInfo;
#[cfg(test)]
use super::writer;
use crate::Error;

/// The compact sRGB v2 profile ("Compact ICC Profiles", CC0; see
/// `assets/icc/README.md`): a fraction of the usual sRGB profile's size,
/// embedded once per file.
pub(crate) const SRGB_PROFILE: &[u8] = include_bytes!("../../../../assets/icc/sRGB-v2-micro.icc");

/// The output condition the profile describes, as a PDF string.
pub(crate) const SRGB_NAME: &str = "sRGB IEC61966-2.1";

const CREATOR: &str = "taller";

/// The document information as it is written, cleaned once so that the
/// information dictionary and the XMP say exactly the same.
pub(crate) struct Fields {
    title: String,
    author: String,
    subject: String,
    producer: String,
    /// Seconds since 1970 in UTC, as `YYYY MM DD hh mm ss`.
    date: [u32; 6],
}

impl Fields {
    pub(crate) fn new(info: &DocumentInfo) -> Result<Fields, Error> {
        let created = jiff::Timestamp::from_second(info.created_unix)
            .map_err(|reason| Error::Pdf(format!("creation date: {reason}")))?
            .to_zoned(jiff::tz::TimeZone::UTC);
        let year = u32::try_from(created.year())
            .ok()
            .filter(|year| *year <= 9999)
            .ok_or_else(|| Error::Pdf(format!("creation date: year {}", created.year())))?;
        Ok(Fields {
            title: clean(&info.title),
            author: clean(&info.author),
            subject: clean(&info.subject),
            producer: format!("taller {}", env!("CARGO_PKG_VERSION")),
            date: [
                year,
                u32::try_from(created.month()).unwrap_or(1),
                u32::try_from(created.day()).unwrap_or(1),
                u32::try_from(created.hour()).unwrap_or(0),
                u32::try_from(created.minute()).unwrap_or(0),
                u32::try_from(created.second()).unwrap_or(0),
            ],
        })
    }

    /// Writes the information dictionary. An empty author or subject is
    /// left out, here and in the XMP alike.
    pub(crate) fn write_info(&self, obj: pdf_writer::Obj<'_>) {
        let [y, mo, d, h, mi, s] = self.date;
        let narrow = |v: u32| u8::try_from(v).unwrap_or(0);
        let date = pdf_writer::Date::new(u16::try_from(y).unwrap_or(9999))
            .month(narrow(mo))
            .day(narrow(d))
            .hour(narrow(h))
            .minute(narrow(mi))
            .second(narrow(s))
            .utc_offset_hour(0)
            .utc_offset_minute(0);
        let mut info = obj.start::<pdf_writer::writers::DocumentInfo>();
        info.title(TextStr(&self.title));
        if !self.author.is_empty() {
            info.author(TextStr(&self.author));
        }
        if !self.subject.is_empty() {
            info.subject(TextStr(&self.subject));
        }
        info.creator(TextStr(CREATOR))
            .producer(TextStr(&self.producer))
            .creation_date(date)
            .modified_date(date);
    }

    /// The XMP packet: the same title, author, subject, tools and dates,
    /// and the claim of PDF/A-2 level B, or level A and PDF/UA-1 when the
    /// document is `accessible` (tagged) (with the schema that PDF/A asks for that
    /// property, which is not one of its own).
    pub(crate) fn xmp(&self, accessible: bool) -> String {
        let [y, mo, d, h, mi, s] = self.date;
        let date = format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}+00:00");
        let mut out = String::with_capacity(1600);
        out.push_str("<?xpacket begin=\"\u{FEFF}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n");
        out.push_str("<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n");
        out.push_str("<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n");
        out.push_str(
            "<rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" \
             xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\" xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\" \
             xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\">\n",
        );
        out.push_str("<dc:format>application/pdf</dc:format>\n");
        let _ = writeln!(
            out,
            "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">{}</rdf:li></rdf:Alt></dc:title>",
            escape_markup(&self.title)
        );
        if !self.author.is_empty() {
            let _ = writeln!(
                out,
                "<dc:creator><rdf:Seq><rdf:li>{}</rdf:li></rdf:Seq></dc:creator>",
                escape_markup(&self.author)
            );
        }
        if !self.subject.is_empty() {
            let _ = writeln!(
                out,
                "<dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">{}</rdf:li></rdf:Alt></dc:description>",
                escape_markup(&self.subject)
            );
        }
        let _ = writeln!(out, "<xmp:CreatorTool>{CREATOR}</xmp:CreatorTool>");
        let _ = writeln!(out, "<xmp:CreateDate>{date}</xmp:CreateDate>");
        let _ = writeln!(out, "<xmp:ModifyDate>{date}</xmp:ModifyDate>");
        let _ = writeln!(
            out,
            "<pdf:Producer>{}</pdf:Producer>",
            escape_markup(&self.producer)
        );
        // Level A (accessible) when the document is tagged: PDF/UA's
        // structure tree, language and Unicode text are what it adds to B.
        let level = if accessible { 'A' } else { 'B' };
        let _ = writeln!(
            out,
            "<pdfaid:part>2</pdfaid:part>\n<pdfaid:conformance>{level}</pdfaid:conformance>"
        );
        out.push_str("</rdf:Description>\n");
        if accessible {
            out.push_str(UA_CLAIM);
        }
        out.push_str("</rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"r\"?>");
        out
    }
}

/// The PDF/UA-1 claim and the PDF/A extension schema that describes it.
const UA_CLAIM: &str = "<rdf:Description rdf:about=\"\" xmlns:pdfuaid=\"http://www.aiim.org/pdfua/ns/id/\">\n\
<pdfuaid:part>1</pdfuaid:part>\n\
</rdf:Description>\n\
<rdf:Description rdf:about=\"\" xmlns:pdfaExtension=\"http://www.aiim.org/pdfa/ns/extension/\" \
xmlns:pdfaSchema=\"http://www.aiim.org/pdfa/ns/schema#\" xmlns:pdfaProperty=\"http://www.aiim.org/pdfa/ns/property#\">\n\
<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType=\"Resource\">\n\
<pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>\n\
<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>\n\
<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>\n\
<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType=\"Resource\">\n\
<pdfaProperty:name>part</pdfaProperty:name>\n\
<pdfaProperty:valueType>Integer</pdfaProperty:valueType>\n\
<pdfaProperty:category>internal</pdfaProperty:category>\n\
<pdfaProperty:description>Part of ISO 14289 the file conforms to</pdfaProperty:description>\n\
</rdf:li></rdf:Seq></pdfaSchema:property>\n\
</rdf:li></rdf:Bag></pdfaExtension:schemas>\n\
</rdf:Description>\n";

/// Control characters (a CR/LF pasted into a spreadsheet cell) and the
/// two non-characters become spaces: XML 1.0 cannot hold most of them, and the XMP must say what
/// the information dictionary says.
fn clean(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() || matches!(c, '\u{FFFE}' | '\u{FFFF}') {
                ' '
            } else {
                c
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(title: &str) -> Fields {
        Fields::new(&DocumentInfo {
            title: title.into(),
            author: "Red & <Formación>".into(),
            subject: String::new(),
            created_unix: 1_453_881_600,
        })
        .expect("a valid date")
    }

    #[test]
    fn xmp_says_what_the_information_dictionary_says() {
        let f = fields("Certificado\r\nΕλένη محمد");
        let xmp = f.xmp(false);
        assert!(xmp.contains(">Certificado  Ελένη محمد</rdf:li>"), "{xmp}");
        assert!(
            xmp.contains("<rdf:li>Red &amp; &lt;Formación&gt;</rdf:li>"),
            "{xmp}"
        );
        assert!(
            xmp.contains("<xmp:CreateDate>2016-01-27T08:00:00+00:00</xmp:CreateDate>"),
            "{xmp}"
        );
        assert!(xmp.contains("<pdfaid:part>2</pdfaid:part>"));
        assert!(!xmp.contains("dc:description"), "empty subject left out");
        assert!(!xmp.contains("pdfuaid"), "{xmp}");
        assert!(xmp.contains("<pdfaid:conformance>B</pdfaid:conformance>"));
        let tagged = f.xmp(true);
        assert!(
            tagged.contains("<pdfuaid:part>1</pdfuaid:part>"),
            "{tagged}"
        );
        assert!(tagged.contains("<pdfaid:conformance>A</pdfaid:conformance>"));
        let info = String::from_utf8(writer::object(|obj| f.write_info(obj))).expect("ASCII");
        assert!(info.contains("/CreationDate(D:20160127080000Z)"), "{info}");
        assert!(!info.contains("/Subject"), "{info}");
        // Not ASCII: UTF-16BE with a byte-order mark, in hex.
        let title: String = "Certificado  Ελένη محمد"
            .encode_utf16()
            .map(|unit| format!("{unit:04X}"))
            .collect();
        assert!(info.contains(&format!("/Title<FEFF{title}>")), "{info}");
    }
}
