//! Icons drawn as inline SVG: no font or file to load, crisp at any size.

use dioxus::prelude::*;

/// A passport booklet with the chip symbol, for the welcome banner.
#[component]
pub fn PassportIcon() -> Element {
    rsx! {
        svg {
            class: "emblem",
            width: "48",
            height: "48",
            view_box: "0 0 48 48",
            "aria-hidden": "true",
            rect { x: "9", y: "4", width: "30", height: "40", rx: "4", fill: "#f2b705" }
            circle { cx: "24", cy: "20", r: "8", fill: "none", stroke: "#0b2a4a", stroke_width: "2.5" }
            path { d: "M16 20h16M24 12c-3 3-3 13 0 16M24 12c3 3 3 13 0 16", fill: "none", stroke: "#0b2a4a", stroke_width: "2" }
            rect { x: "17", y: "33", width: "14", height: "3", rx: "1.5", fill: "#0b2a4a" }
        }
    }
}
