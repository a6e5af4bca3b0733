//! The power of attorney (surat kuasa) to collect a passport, as a one-page
//! A4 PDF ready to print, stamp (meterai) and sign: the applicant's data,
//! the collector's, the office and the application, and what the collector
//! brings. Helvetica, one of the fonts every PDF reader has, so nothing is
//! embedded and the text reads back as typed.

use jiff::civil::Date;
use pdf_writer::{Content, Name, Pdf, Rect, Ref, Str};

/// One person in the letter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Party {
    pub name: String,
    pub nik: String,
    /// "Bandung, 15-05-1990"; empty when not known.
    pub born: String,
    pub address: String,
}

/// What the letter says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PowerOfAttorney {
    /// The applicant, whose passport it is.
    pub grantor: Party,
    /// Who collects it.
    pub proxy: Party,
    /// How the proxy is related to the applicant, in words ("kakak").
    pub relationship: String,
    pub office: String,
    pub application_id: String,
    /// Where and when it is signed.
    pub place: String,
    pub date: Date,
}

/// Characters on a line of body text (11 pt Helvetica on 170 mm).
const LINE: usize = 88;

/// Breaks `text` into lines of at most [`LINE`] characters, at spaces.
fn wrap(text: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > LINE {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// The text in the fonts' WinAnsi encoding: Latin-1 as it is, anything
/// else as `?` (Indonesian names and addresses are Latin letters).
fn win_ansi(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c as u32 {
            0x20..=0x7e | 0xa0..=0xff => c as u32 as u8,
            _ => b'?',
        })
        .collect()
}

/// How the page is written, line by line, from the top.
struct Page {
    content: Content,
    y: f32,
}

const LEFT: f32 = 62.0;

impl Page {
    fn text(&mut self, font: &[u8], size: f32, x: f32, text: &str) {
        self.content
            .begin_text()
            .set_font(Name(font), size)
            .next_line(x, self.y)
            .show(Str(&win_ansi(text)))
            .end_text();
    }

    fn line(&mut self, font: &[u8], size: f32, text: &str) {
        self.text(font, size, LEFT, text);
        self.y -= size * 1.45;
    }

    fn paragraph(&mut self, text: &str) {
        for line in wrap(text) {
            self.line(b"F1", 11.0, &line);
        }
        self.y -= 6.0;
    }

    fn party(&mut self, party: &Party) {
        for (label, value) in [
            ("Nama / Name", &party.name),
            ("NIK", &party.nik),
            ("Tempat, tanggal lahir / Born", &party.born),
            ("Alamat / Address", &party.address),
        ] {
            self.text(b"F1", 11.0, LEFT + 14.0, label);
            let mut first = true;
            for line in wrap(value).into_iter().take(3) {
                self.text(
                    b"F1",
                    11.0,
                    LEFT + 190.0,
                    &format!("{}{line}", if first { ": " } else { "  " }),
                );
                first = false;
                self.y -= 16.0;
            }
            if first {
                self.text(b"F1", 11.0, LEFT + 190.0, ": ");
                self.y -= 16.0;
            }
        }
        self.y -= 8.0;
    }
}

impl PowerOfAttorney {
    /// The letter as PDF bytes.
    pub fn pdf(&self) -> Vec<u8> {
        let mut page = Page {
            content: Content::new(),
            y: 770.0,
        };
        let title = "SURAT KUASA";
        page.text(b"F2", 16.0, 297.5 - title.len() as f32 * 5.0, title);
        page.y -= 18.0;
        page.text(b"F1", 10.0, 255.0, "(Power of attorney)");
        page.y -= 30.0;
        page.line(
            b"F1",
            11.0,
            "Yang bertanda tangan di bawah ini / The undersigned:",
        );
        page.y -= 4.0;
        page.party(&self.grantor);
        page.line(b"F1", 11.0, "memberi kuasa kepada / authorises:");
        page.y -= 4.0;
        page.party(&self.proxy);
        page.paragraph(&format!(
            "Hubungan dengan pemberi kuasa / Relationship: {}",
            self.relationship
        ));
        page.paragraph(&format!(
            "untuk mengambil paspor atas nama {} di {}, nomor permohonan {}, dan menandatangani tanda terimanya. \
             / to collect the passport of {} at {}, application {}, and to sign for it.",
            self.grantor.name,
            self.office,
            self.application_id,
            self.grantor.name,
            self.office,
            self.application_id
        ));
        page.paragraph(
            "Penerima kuasa membawa surat kuasa ini yang bermeterai Rp10.000 dan ditandatangani, e-KTP asli \
             penerima kuasa, e-KTP pemberi kuasa (asli atau fotokopi), dan bukti permohonan. / The collector \
             brings this letter stamped (meterai Rp10.000) and signed, their own original e-KTP, the \
             applicant's e-KTP (original or a copy), and the proof of application.",
        );
        page.y -= 10.0;
        page.line(
            b"F1",
            11.0,
            &format!("{}, {}", self.place, self.date.strftime("%d-%m-%Y")),
        );
        page.y -= 6.0;
        page.text(b"F1", 11.0, LEFT, "Penerima kuasa / Proxy");
        page.text(b"F1", 11.0, 330.0, "Pemberi kuasa / Grantor");
        page.y -= 16.0;
        page.text(b"F1", 9.0, 330.0, "(meterai Rp10.000)");
        page.y -= 64.0;
        page.text(b"F1", 11.0, LEFT, &format!("( {} )", self.proxy.name));
        page.text(b"F1", 11.0, 330.0, &format!("( {} )", self.grantor.name));

        let (catalog, tree, page_id, regular, bold, contents, info) = (
            Ref::new(1),
            Ref::new(2),
            Ref::new(3),
            Ref::new(4),
            Ref::new(5),
            Ref::new(6),
            Ref::new(7),
        );
        let mut pdf = Pdf::new();
        pdf.catalog(catalog).pages(tree);
        pdf.pages(tree).kids([page_id]).count(1);
        {
            let mut p = pdf.page(page_id);
            p.parent(tree)
                .media_box(Rect::new(0.0, 0.0, 595.0, 842.0))
                .contents(contents);
            p.resources()
                .fonts()
                .pair(Name(b"F1"), regular)
                .pair(Name(b"F2"), bold);
        }
        for (id, font) in [(regular, &b"Helvetica"[..]), (bold, b"Helvetica-Bold")] {
            pdf.type1_font(id)
                .base_font(Name(font))
                .encoding_predefined(Name(b"WinAnsiEncoding"));
        }
        pdf.document_info(info)
            .title(pdf_writer::TextStr("Surat kuasa pengambilan paspor"))
            .producer(pdf_writer::TextStr("M-Paspor"));
        pdf.stream(contents, &page.content.finish());
        pdf.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn letter() -> PowerOfAttorney {
        PowerOfAttorney {
            grantor: Party {
                name: "Budi Santoso".into(),
                nik: "3273011505900003".into(),
                born: "Bandung, 15-05-1990".into(),
                address: "Jalan Braga 12, Bandung".into(),
            },
            proxy: Party {
                name: "Rina Wijaya".into(),
                nik: "3273015203920001".into(),
                born: String::new(),
                address: "Jalan Dago 5, Bandung".into(),
            },
            relationship: "teman".into(),
            office: "Kantor Imigrasi Kelas I Bandung".into(),
            application_id: "app_x1".into(),
            place: "Bandung".into(),
            date: jiff::civil::date(2027, 1, 20),
        }
    }

    /// The text a PDF reader finds in the letter (poppler's pdftotext).
    pub fn read_back(pdf: &[u8]) -> String {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kuasa.pdf");
        std::fs::write(&path, pdf).unwrap();
        let out = std::process::Command::new("pdftotext")
            .arg("-layout")
            .arg(&path)
            .arg("-")
            .output()
            .expect("pdftotext is installed (scripts/setup: poppler-utils)");
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap()
    }

    #[test]
    fn a_pdf_reader_finds_both_people_the_office_and_what_to_bring() {
        let pdf = letter().pdf();
        // To look at it: MPASPOR_KUASA_PDF=/tmp/kuasa.pdf, then any PDF viewer.
        if let Some(path) = std::env::var_os("MPASPOR_KUASA_PDF") {
            std::fs::write(path, &pdf).unwrap();
        }
        let text = read_back(&pdf);
        for want in [
            "SURAT KUASA",
            "Budi Santoso",
            "3273011505900003",
            "Bandung, 15-05-1990",
            "Rina Wijaya",
            "3273015203920001",
            "Jalan Dago 5, Bandung",
            "Kantor Imigrasi Kelas I Bandung",
            "app_x1",
            "meterai Rp10.000",
            "Bandung, 20-01-2027",
        ] {
            assert!(text.contains(want), "{want} in {text}");
        }
    }

    #[test]
    fn long_text_wraps_at_spaces_and_odd_letters_do_not_break_it() {
        let lines = wrap(&"kata ".repeat(60));
        assert!(lines.len() > 2 && lines.iter().all(|l| l.chars().count() <= LINE));
        assert_eq!(win_ansi("José Ñ 李"), b"Jos\xe9 \xd1 ?".to_vec());
    }
}
