//! Writes the workbook fixtures of `tests/fixtures/import/` with a real
//! spreadsheet writer, as a coordinator's Excel would have saved them:
//!
//! ```text
//! cargo run -p taller-registration --example import_fixtures -- tests/fixtures/import
//! ```

use std::path::PathBuf;

use rust_xlsxwriter::{Format, Formula, Workbook, XlsxError};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| ".".to_owned()));
    inscripciones(&mut Workbook::new())?.save(dir.join("inscripciones.xlsx"))?;
    ms_forms(&mut Workbook::new())?.save(dir.join("ms-forms.xlsx"))?;
    Ok(())
}

/// An instructions sheet first; then title rows, a blank row, the header,
/// phones typed as numbers, formula cells, Greek and Cyrillic names, a footer.
fn inscripciones(book: &mut Workbook) -> Result<&mut Workbook, XlsxError> {
    let help = book.add_worksheet().set_name("Instrucciones")?;
    help.write_string(0, 0, "Cómo rellenar esta hoja")?;
    help.write_string(
        1,
        0,
        "Escribe una persona por fila en la hoja Inscripciones.",
    )?;
    help.write_string(2, 0, "Nombre y correo son obligatorios.")?;

    let sheet = book.add_worksheet().set_name("Inscripciones")?;
    let bold = Format::new().set_bold();
    sheet.merge_range(
        0,
        0,
        0,
        6,
        "Taller: Campañas en Twitter — Madrid, 27 de enero de 2016",
        &bold,
    )?;
    sheet.write_string(1, 0, "Inscripciones recibidas")?;
    let header = [
        "Nombre",
        "Apellidos",
        "Correo electrónico",
        "Organización",
        "Teléfono",
        "Idioma",
        "Puntos",
    ];
    for (column, title) in header.iter().enumerate() {
        sheet.write_string_with_format(3, column as u16, *title, &bold)?;
    }
    let people: [(&str, &str, &str, &str, &str); 4] = [
        (
            "Αλέξανδρος",
            "Παπαδόπουλος",
            "alex.papadopoulos@example.gr",
            "Ελληνική ΜΚΟ",
            "English",
        ),
        (
            "ОЛЬГА",
            "ИВАНОВА",
            "Olga.Ivanova@Example.ru",
            "Мемориал",
            "es",
        ),
        (
            "José",
            "Núñez Ibáñez",
            "jose.nunez@ejemplo.org",
            "",
            "Español",
        ),
        (
            "Ana",
            "Ruiz Gallardo",
            "ana.ruiz@ongverde.org",
            "ONG Verde",
            "Español",
        ),
    ];
    for (index, (given, family, email, organisation, language)) in people.iter().enumerate() {
        let row = 4 + index as u32;
        sheet.write_string(row, 0, *given)?;
        sheet.write_string(row, 1, *family)?;
        sheet.write_string(row, 2, *email)?;
        if !organisation.is_empty() {
            sheet.write_string(row, 3, *organisation)?;
        }
        sheet.write_string(row, 5, *language)?;
        sheet.write_formula(row, 6, Formula::new("=1/0").set_result("#DIV/0!"))?;
    }
    // Phones as people type them into Excel: numbers, except one typed as text.
    sheet.write_number(4, 4, 600123456.0)?;
    sheet.write_number(5, 4, 34612345678.0)?;
    sheet.write_formula(
        6,
        3,
        Formula::new("=\"ONG \"&\"Sur\"").set_result("ONG Sur"),
    )?;
    sheet.write_string(7, 4, "600123456")?;
    sheet.write_string(9, 0, "Total inscritos: 4")?;
    Ok(book)
}

/// Microsoft Forms "Open in Excel": respondents outside the organisation
/// are `anonymous`, their real address is the answer to a question.
fn ms_forms(book: &mut Workbook) -> Result<&mut Workbook, XlsxError> {
    let sheet = book.add_worksheet().set_name("Form1")?;
    let header = [
        "ID",
        "Start time",
        "Completion time",
        "Email",
        "Name",
        "Correo electrónico de contacto",
        "Nombre y apellidos",
        "Organización",
        "¿Autorizas el uso de tus datos para enviarte el certificado?",
    ];
    for (column, title) in header.iter().enumerate() {
        sheet.write_string(0, column as u16, *title)?;
    }
    let rows = [
        (
            "1",
            "anonymous",
            "anonymous",
            "carmen.vidal@fundacion.org",
            "Carmen Vidal Soto",
            "Fundación Vidal",
            "Sí",
        ),
        (
            "2",
            "anonymous",
            "anonymous",
            "raul.moreno@ecologistas.org",
            "RAÚL MORENO DÍAZ",
            "Ecologistas",
            "Sí",
        ),
        (
            "3",
            "anonymous",
            "anonymous",
            "sofia.lopez@plataforma.org",
            "Sofía López",
            "Plataforma Infancia",
            "No",
        ),
    ];
    for (index, (id, email, name, contact, full, organisation, consent)) in rows.iter().enumerate()
    {
        let row = 1 + index as u32;
        sheet.write_number(row, 0, id.parse::<f64>().unwrap_or_default())?;
        sheet.write_string(row, 1, "1/20/16 9:14:03")?;
        sheet.write_string(row, 2, "1/20/16 9:16:40")?;
        sheet.write_string(row, 3, *email)?;
        sheet.write_string(row, 4, *name)?;
        sheet.write_string(row, 5, *contact)?;
        sheet.write_string(row, 6, *full)?;
        sheet.write_string(row, 7, *organisation)?;
        sheet.write_string(row, 8, *consent)?;
    }
    Ok(book)
}
