// swift-tools-version:5.9
// The app's iOS plugin: camera and photo library for document pictures.
// Bound to Rust by `#[manganis::ffi("platforms/ios")]` in src/native.rs;
// `dx bundle` builds it as a dynamic library next to the app.
import PackageDescription

let package = Package(
    name: "MPasporPlugin",
    platforms: [.iOS(.v15)],
    products: [
        .library(name: "MPasporPlugin", type: .dynamic, targets: ["MPasporPlugin"])
    ],
    targets: [
        .target(name: "MPasporPlugin", path: "Sources/MPasporPlugin")
    ]
)
