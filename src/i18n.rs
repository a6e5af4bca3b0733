//! UI text from the Fluent catalogues in `assets/i18n/`: Indonesian first,
//! English second. Every key exists in both (checked by a test).

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};
use std::sync::LazyLock;
use unic_langid::{LanguageIdentifier, langid};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Language {
    #[default]
    Id,
    En,
}

impl Language {
    pub const ALL: [Language; 2] = [Language::Id, Language::En];

    /// The code stored in settings and set as the page's `lang`.
    pub fn code(self) -> &'static str {
        match self {
            Language::Id => "id",
            Language::En => "en",
        }
    }

    pub fn from_code(code: &str) -> Option<Language> {
        Language::ALL.into_iter().find(|l| l.code() == code)
    }

    fn langid(self) -> LanguageIdentifier {
        match self {
            Language::Id => langid!("id"),
            Language::En => langid!("en"),
        }
    }

    fn source(self) -> &'static str {
        match self {
            Language::Id => include_str!("../assets/i18n/id.ftl"),
            Language::En => include_str!("../assets/i18n/en.ftl"),
        }
    }
}

type Bundle = FluentBundle<FluentResource>;

static BUNDLES: LazyLock<[Bundle; 2]> = LazyLock::new(|| Language::ALL.map(bundle));

fn bundle(lang: Language) -> Bundle {
    let resource =
        FluentResource::try_new(lang.source().to_owned()).unwrap_or_else(|(_, errors)| {
            panic!("{} catalogue does not parse: {errors:?}", lang.code())
        });
    let mut bundle = FluentBundle::new_concurrent(vec![lang.langid()]);
    // No Unicode isolation marks around arguments: they show as boxes in some fonts.
    bundle.set_use_isolating(false);
    bundle
        .add_resource(resource)
        .unwrap_or_else(|errors| panic!("{} catalogue repeats keys: {errors:?}", lang.code()));
    bundle
}

fn bundle_of(lang: Language) -> &'static Bundle {
    &BUNDLES[lang as usize]
}

/// The text of `key`. A missing key shows as the key itself, so it is seen
/// (and the catalogue test fails) rather than hidden.
pub fn tr(lang: Language, key: &str) -> String {
    format(lang, key, None)
}

/// The text of `key` with its `{ $name }` variables filled in.
pub fn tr_with(lang: Language, key: &str, args: &[(&str, String)]) -> String {
    let mut fluent = FluentArgs::new();
    for (name, value) in args {
        fluent.set(*name, value.clone());
    }
    format(lang, key, Some(&fluent))
}

/// What is wrong with a typed NIK, in the applicant's language.
pub fn nik_message(lang: Language, error: &mpaspor_domain::nik::NikError) -> String {
    use mpaspor_domain::nik::NikError::*;
    match error {
        Length { found } => tr_with(lang, "nik-error-length", &[("found", found.to_string())]),
        NotDigit { .. } => tr(lang, "nik-error-digit"),
        UnknownProvince { code } => tr_with(
            lang,
            "nik-error-province",
            &[("code", format!("{code:02}"))],
        ),
        ZeroRegency | ZeroDistrict => tr(lang, "nik-error-region"),
        ImpossibleDate { .. } => tr(lang, "nik-error-date"),
        SerialZero => tr(lang, "nik-error-serial"),
        BirthDateMismatch {
            nik_day,
            nik_month,
            nik_year_digits,
            ..
        } => tr_with(
            lang,
            "nik-error-birth",
            &[(
                "date",
                format!("{nik_day:02}-{nik_month:02}-..{nik_year_digits:02}"),
            )],
        ),
        SexMismatch { in_nik, .. } => tr_with(
            lang,
            "nik-error-sex",
            &[("sex", tr(lang, &format!("sex-{}", in_nik.as_str())))],
        ),
    }
}

fn format(lang: Language, key: &str, args: Option<&FluentArgs>) -> String {
    let bundle = bundle_of(lang);
    let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) else {
        tracing::error!(key, lang = lang.code(), "missing translation");
        return key.to_owned();
    };
    let mut errors = Vec::new();
    let text = bundle.format_pattern(pattern, args, &mut errors);
    if !errors.is_empty() {
        tracing::error!(key, ?errors, "translation did not format");
    }
    text.into_owned()
}

/// Every message key of a catalogue, for the tests.
#[cfg(test)]
pub fn keys(lang: Language) -> std::collections::BTreeSet<String> {
    let resource = FluentResource::try_new(lang.source().to_owned()).unwrap();
    resource
        .entries()
        .filter_map(|e| match e {
            fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_owned()),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use mpaspor_domain::api::ErrorCode;

    #[test]
    fn both_catalogues_have_the_same_keys() {
        let id = keys(Language::Id);
        let en = keys(Language::En);
        assert!(id.len() > 10);
        let only_id: Vec<_> = id.difference(&en).collect();
        let only_en: Vec<_> = en.difference(&id).collect();
        assert!(
            only_id.is_empty() && only_en.is_empty(),
            "only in id: {only_id:?}; only in en: {only_en:?}"
        );
    }

    #[test]
    fn every_api_error_code_has_a_message_in_both_languages() {
        for lang in Language::ALL {
            for code in ErrorCode::ALL {
                let key = format!("error-{code}");
                let text = tr(lang, &key);
                assert_ne!(text, key, "{} has no message for {code}", lang.code());
            }
        }
    }

    #[test]
    fn every_engine_and_store_error_has_a_message_in_both_languages() {
        use mpaspor_core::{ApiError, Error, StoreError};
        let api = [
            ApiError::Offline(String::new()),
            ApiError::Timeout,
            ApiError::Unexpected { status: 502 },
            ApiError::Decode(String::new()),
            ApiError::NotLoggedIn,
            ApiError::Keystore(String::new()),
        ];
        let store = [
            StoreError::Corrupt(String::new()),
            StoreError::SchemaTooNew { found: 9, known: 2 },
            StoreError::Sealed(mpaspor_core::crypto::CryptoError::Unsealable),
            StoreError::NotFound("draft"),
            StoreError::BadValue {
                field: "x".into(),
                reason: String::new(),
            },
            StoreError::Locked,
            StoreError::ApplicantLimit(5),
            StoreError::HolderStays,
        ];
        // Every error reaches the app as the one public `Error`.
        let keys = api
            .into_iter()
            .map(Error::from)
            .chain(store.into_iter().map(Error::from))
            .map(|e| e.key());
        for key in keys {
            for lang in Language::ALL {
                assert_ne!(
                    tr(lang, &key),
                    key,
                    "{} has no message for {key}",
                    lang.code()
                );
            }
        }
    }

    #[test]
    fn every_photo_verdict_and_error_has_a_message_in_both_languages() {
        use mpaspor_core::photo::{PhotoError, Verdict};
        use mpaspor_domain::limits::FileKind;
        let verdicts = [
            Verdict::TooSmall { short_edge: 1 },
            Verdict::TooDark { mean: 0.0 },
            Verdict::WashedOut { mean: 0.0 },
            Verdict::LowContrast { spread: 0.0 },
            Verdict::Blurred { sharpness: 0.0 },
            Verdict::NotFilling { fill: 0.0 },
        ];
        let errors = [
            PhotoError::NotAPhoto(FileKind::Heic),
            PhotoError::NotAPhoto(FileKind::Pdf),
            PhotoError::NotAPhoto(FileKind::Unknown),
            PhotoError::Damaged,
            PhotoError::TooLarge {
                width: 1,
                height: 1,
            },
            PhotoError::CannotFit,
        ];
        let keys = verdicts
            .iter()
            .map(|v| v.key())
            .chain(errors.iter().map(|e| e.key()));
        for key in keys {
            for lang in Language::ALL {
                assert_ne!(tr(lang, key), key, "{} has no {key}", lang.code());
            }
        }
    }

    #[test]
    fn indonesian_is_the_default_and_texts_differ() {
        assert_eq!(Language::default(), Language::Id);
        assert_eq!(tr(Language::Id, "language-label"), "Bahasa");
        assert_eq!(tr(Language::En, "language-label"), "Language");
        assert_eq!(tr(Language::En, "no-such-key"), "no-such-key");
        assert_eq!(Language::from_code("en"), Some(Language::En));
        assert_eq!(Language::from_code("fr"), None);
    }
}
