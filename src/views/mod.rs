//! One component per screen.

mod welcome;

pub use welcome::Welcome;

#[cfg(test)]
pub(crate) mod testing {
    //! Renders screens without a window, in a chosen language, for tests.
    use crate::app::{Root, Services};
    use crate::i18n::Language;
    use dioxus::prelude::*;
    use mpaspor_core::Store;

    /// The whole app as it starts with `store`, rendered to HTML.
    pub fn render_app(store: &Store) -> String {
        let mut dom = VirtualDom::new(Root).with_root_context(Services {
            store: store.clone(),
        });
        dom.rebuild_in_place();
        dioxus_ssr::render(&dom)
    }

    /// The app rendered on a fresh store where `lang` was chosen before.
    pub fn render_in(lang: Language) -> String {
        let store = Store::open_in_memory().unwrap();
        store.set_setting("language", lang.code()).unwrap();
        render_app(&store)
    }
}
