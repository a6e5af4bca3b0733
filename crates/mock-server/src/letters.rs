//! The words of the emails the mock "sends" for an account's messages, in
//! the account's language: a state change, a correction, a place opened.

use jiff::civil::Date;
use mpaspor_domain::api::{Correction, CorrectionState};
use mpaspor_domain::{ApplicationState, DocumentKind, DraftField, Language, OfficeZone};

/// A subject and a body.
pub type Letter = (String, String);

/// Who and where a letter is about.
pub struct About<'a> {
    pub applicant: &'a str,
    pub office: Option<&'a str>,
}

/// Tells of an application's new state; `None` for a draft (nothing to say).
pub fn state_changed(
    lang: Language,
    state: ApplicationState,
    about: &About<'_>,
    pickup_by: Option<Date>,
) -> Option<Letter> {
    use ApplicationState::*;
    let who = about.applicant;
    let office = about.office.unwrap_or("-");
    let by = pickup_by.map(|d| d.to_string()).unwrap_or_default();
    let (subject, body): (&str, String) = match (lang, state) {
        (_, Draft) => return None,
        (Language::Id, AwaitingPayment) => (
            "Kode billing terbit",
            format!(
                "Permohonan paspor atas nama {who} menunggu pembayaran. Bayar kode billing dalam 2 jam agar tempat Anda di {office} tidak dilepas."
            ),
        ),
        (Language::En, AwaitingPayment) => (
            "Billing code issued",
            format!(
                "The passport application for {who} awaits payment. Pay the billing code within 2 hours or your place at {office} is released."
            ),
        ),
        (Language::Id, Paid) => (
            "Pembayaran diterima",
            format!(
                "Pembayaran permohonan atas nama {who} diterima; jadwal kedatangan di {office} dikonfirmasi. Bawa bukti permohonan (kode QR) dan dokumen asli."
            ),
        ),
        (Language::En, Paid) => (
            "Payment received",
            format!(
                "The payment for {who}'s application was received; the appointment at {office} is confirmed. Bring the proof of application (QR code) and the original documents."
            ),
        ),
        (Language::Id, Interviewed) => (
            "Wawancara selesai",
            format!("Wawancara dan foto {who} di {office} selesai. Permohonan sedang diperiksa."),
        ),
        (Language::En, Interviewed) => (
            "Interview done",
            format!(
                "{who}'s interview and photo at {office} are done. The application is being checked."
            ),
        ),
        (Language::Id, Approved) => (
            "Permohonan disetujui",
            format!("Permohonan paspor atas nama {who} disetujui; paspor akan dicetak."),
        ),
        (Language::En, Approved) => (
            "Application approved",
            format!(
                "The passport application for {who} was approved; the passport will be printed."
            ),
        ),
        (Language::Id, Rejected) => (
            "Permohonan ditolak",
            format!("Permohonan paspor atas nama {who} ditolak. Alasannya ada di aplikasi."),
        ),
        (Language::En, Rejected) => (
            "Application refused",
            format!("The passport application for {who} was refused. The reason is in the app."),
        ),
        (Language::Id, Printed) => (
            "Paspor dicetak",
            format!(
                "Paspor atas nama {who} sudah dicetak. Anda akan diberi tahu saat siap diambil."
            ),
        ),
        (Language::En, Printed) => (
            "Passport printed",
            format!(
                "The passport for {who} is printed. You will be told when it is ready to collect."
            ),
        ),
        (Language::Id, ReadyForPickup) => (
            "Paspor siap diambil",
            format!(
                "Paspor atas nama {who} siap diambil di {office} paling lambat {by}. Yang boleh mengambil: pemohon, anggota keluarga pada Kartu Keluarga yang sama, atau orang lain dengan surat kuasa."
            ),
        ),
        (Language::En, ReadyForPickup) => (
            "Passport ready to collect",
            format!(
                "The passport for {who} is ready to collect at {office} by {by}. It may be collected by the applicant, a family member on the same family card, or anyone with a power of attorney."
            ),
        ),
        (Language::Id, Collected) => (
            "Paspor telah diambil",
            format!("Paspor atas nama {who} telah diambil di {office}."),
        ),
        (Language::En, Collected) => (
            "Passport collected",
            format!("The passport for {who} was collected at {office}."),
        ),
        (Language::Id, Expired) => (
            "Kode billing kedaluwarsa",
            format!(
                "Kode billing permohonan atas nama {who} tidak dibayar dalam 2 jam; tempatnya dilepas. Anda dapat mengajukan lagi."
            ),
        ),
        (Language::En, Expired) => (
            "Billing code expired",
            format!(
                "The billing code for {who}'s application was not paid within 2 hours; the place was released. You may apply again."
            ),
        ),
        (Language::Id, Cancelled) => (
            "Permohonan dibatalkan",
            format!("Permohonan paspor atas nama {who} dibatalkan."),
        ),
        (Language::En, Cancelled) => (
            "Application cancelled",
            format!("The passport application for {who} was cancelled."),
        ),
        (Language::Id, NoShow) => (
            "Tidak hadir",
            format!(
                "{who} tidak datang ke {office} pada jadwalnya. Ajukan lagi untuk jadwal baru."
            ),
        ),
        (Language::En, NoShow) => (
            "Missed appointment",
            format!(
                "{who} did not come to {office} at the appointment. Apply again for a new one."
            ),
        ),
        (Language::Id, Uncollected) => (
            "Paspor tidak diambil",
            format!(
                "Paspor atas nama {who} tidak diambil dalam 30 hari di {office}; permohonan dibatalkan."
            ),
        ),
        (Language::En, Uncollected) => (
            "Passport not collected",
            format!(
                "The passport for {who} was not collected within 30 days at {office}; the application is closed."
            ),
        ),
    };
    Some((format!("M-Paspor: {subject}"), body))
}

/// Tells of a correction asked, fixed or lapsed.
pub fn correction(lang: Language, c: &Correction, about: &About<'_>, zone: OfficeZone) -> Letter {
    let who = about.applicant;
    let what = c
        .document
        .map(|d| document_name(lang, d))
        .or(c.field.map(|f| field_name(lang, f)))
        .unwrap_or("-");
    let due = format!("{} {}", zone.local_date(c.due_at), zone.clock(c.due_at));
    let reason = &c.reason;
    let (subject, body) = match (lang, c.state) {
        (Language::Id, CorrectionState::Open) => (
            "Kantor meminta perbaikan",
            format!(
                "Untuk permohonan atas nama {who}, kantor meminta {what} diperbaiki: {reason}. Perbaiki di aplikasi sebelum {due}. Tidak ada biaya tambahan dan jadwal Anda tetap."
            ),
        ),
        (Language::En, CorrectionState::Open) => (
            "The office asks for a correction",
            format!(
                "For {who}'s application, the office asks for the {what} to be corrected: {reason}. Fix it in the app before {due}. Nothing more to pay, and the appointment stays."
            ),
        ),
        (Language::Id, CorrectionState::Fixed) => (
            "Perbaikan diterima",
            format!("Perbaikan {what} untuk permohonan atas nama {who} diterima."),
        ),
        (Language::En, CorrectionState::Fixed) => (
            "Correction received",
            format!("The corrected {what} for {who}'s application was received."),
        ),
        (Language::Id, CorrectionState::Lapsed) => (
            "Batas perbaikan terlewat",
            format!(
                "{what} untuk permohonan atas nama {who} tidak diperbaiki sebelum {due}. Bawa dokumen asli yang benar saat datang; petugas akan memeriksanya di kantor dan dapat menolak permohonan bila tidak sesuai."
            ),
        ),
        (Language::En, CorrectionState::Lapsed) => (
            "Correction deadline passed",
            format!(
                "The {what} for {who}'s application was not corrected before {due}. Bring the right original to the appointment; the officer checks it there and may refuse the application if it does not match."
            ),
        ),
    };
    (format!("M-Paspor: {subject}"), body)
}

/// Tells a watch's owner that a place opened.
pub fn place_opened(lang: Language, office: &str, when: &str, left: u32) -> Letter {
    match lang {
        Language::Id => (
            "M-Paspor: Kuota terbuka di kantor yang Anda pantau".into(),
            format!(
                "Ada tempat di {office} pada {when} ({left} tersisa). Buka M-Paspor untuk memesannya; tempat ini belum dipesan untuk Anda, siapa cepat dia dapat."
            ),
        ),
        Language::En => (
            "M-Paspor: A place opened at an office you watch".into(),
            format!(
                "A place opened at {office} on {when} ({left} left). Open M-Paspor to book it; it is not held for you."
            ),
        ),
    }
}

/// What a document is called in a letter.
pub fn document_name(lang: Language, kind: DocumentKind) -> &'static str {
    use DocumentKind::*;
    let id = lang == Language::Id;
    match kind {
        Ektp => "e-KTP",
        FamilyCard if id => "foto Kartu Keluarga",
        FamilyCard => "family card photo",
        BirthCertificate if id => "foto akta kelahiran",
        BirthCertificate => "birth certificate photo",
        MarriageCertificate if id => "foto buku nikah/akta perkawinan",
        MarriageCertificate => "marriage certificate photo",
        Diploma if id => "foto ijazah",
        Diploma => "diploma photo",
        BaptismLetter if id => "foto surat baptis",
        BaptismLetter => "baptism letter photo",
        OldPassport if id => "foto paspor lama",
        OldPassport => "old passport photo",
        PoliceReport if id => "foto surat keterangan hilang dari polisi",
        PoliceReport => "police report photo",
        FatherEktp if id => "foto e-KTP ayah",
        FatherEktp => "father's e-KTP photo",
        MotherEktp if id => "foto e-KTP ibu",
        MotherEktp => "mother's e-KTP photo",
        ParentsMarriageCertificate if id => "foto akta perkawinan orang tua",
        ParentsMarriageCertificate => "parents' marriage certificate photo",
        ParentsPassports if id => "foto paspor orang tua",
        ParentsPassports => "parents' passports photo",
        ParentsStatement if id => "foto surat pernyataan orang tua",
        ParentsStatement => "parents' statement photo",
        NameChangeOrder if id => "foto penetapan ganti nama",
        NameChangeOrder => "name change order photo",
        ReligiousRecommendation if id => "foto surat rekomendasi",
        ReligiousRecommendation => "recommendation letter photo",
        DisasterLetter if id => "foto surat keterangan bencana",
        DisasterLetter => "disaster letter photo",
    }
}

/// What a field is called in a letter.
pub fn field_name(lang: Language, field: DraftField) -> &'static str {
    use DraftField::*;
    let id = lang == Language::Id;
    match field {
        BirthPlace if id => "tempat lahir",
        BirthPlace => "place of birth",
        Address if id => "alamat",
        Address => "address",
        Occupation if id => "pekerjaan",
        Occupation => "occupation",
        Phone if id => "nomor telepon",
        Phone => "phone number",
        Email => "email",
        MotherName if id => "nama ibu",
        MotherName => "mother's name",
        FatherName if id => "nama ayah",
        FatherName => "father's name",
        EmergencyName if id => "nama kontak darurat",
        EmergencyName => "emergency contact's name",
        EmergencyPhone if id => "telepon kontak darurat",
        EmergencyPhone => "emergency contact's phone",
        EmergencyRelationship if id => "hubungan kontak darurat",
        EmergencyRelationship => "emergency contact's relationship",
        _ if id => "data",
        _ => "details",
    }
}
