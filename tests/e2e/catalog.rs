//! The app's two catalogues, read as a person would compare them: the plain
//! text of each message (placeables dropped), to check what a screen says
//! and that the other language's text never shows.

use fluent_syntax::ast::{Entry, PatternElement};
use std::collections::BTreeMap;

pub struct Catalog(BTreeMap<String, String>);

impl Catalog {
    pub fn load(code: &str) -> Catalog {
        let path = format!("{}/assets/i18n/{code}.ftl", env!("CARGO_MANIFEST_DIR"));
        let source = std::fs::read_to_string(path).unwrap();
        let resource = fluent_syntax::parser::parse(source.as_str()).expect("the catalogue parses");
        let mut messages = BTreeMap::new();
        for entry in resource.body {
            if let Entry::Message(m) = entry
                && let Some(pattern) = m.value
            {
                let text: String = pattern
                    .elements
                    .iter()
                    .map(|e| match e {
                        PatternElement::TextElement { value } => *value,
                        PatternElement::Placeable { .. } => "\u{0}",
                    })
                    .collect();
                messages.insert(m.id.name.to_owned(), text);
            }
        }
        Catalog(messages)
    }

    /// A message with no placeables, as the screen shows it.
    pub fn text(&self, key: &str) -> &str {
        let text = self
            .0
            .get(key)
            .unwrap_or_else(|| panic!("no message {key}"));
        assert!(!text.contains('\u{0}'), "{key} has placeables: use part()");
        text
    }

    /// The longest plain run of a message with placeables (what surely shows).
    pub fn part(&self, key: &str) -> String {
        let text = self
            .0
            .get(key)
            .unwrap_or_else(|| panic!("no message {key}"));
        text.split('\u{0}')
            .max_by_key(|s| s.len())
            .unwrap()
            .trim()
            .to_owned()
    }

    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.0.keys()
    }

    /// The runs of text of this catalogue that the other does not have:
    /// what must not show when the other language is chosen. Short runs
    /// ("NIK", "Email") are the same word in both and are left out.
    pub fn only_here<'a>(&'a self, other: &'a Catalog) -> Vec<&'a str> {
        let theirs: Vec<&str> = other.0.values().flat_map(|t| t.split('\u{0}')).collect();
        self.0
            .values()
            .flat_map(|t| t.split('\u{0}'))
            .map(str::trim)
            .filter(|run| run.chars().count() >= 16 && !theirs.iter().any(|t| t.contains(run)))
            .collect()
    }
}
