//! Prepares one photo as the app would before uploading it:
//! `cargo run --release -p mpaspor-core --example prepare-photo -- IN.jpg OUT.jpg`
//! writes the prepared JPEG and prints the checks' verdicts and the sizes.

use mpaspor_core::photo::prepare;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [input, output] = args.as_slice() else {
        eprintln!("usage: prepare-photo IN.jpg OUT.jpg");
        return ExitCode::from(2);
    };
    let bytes = match std::fs::read(input) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("{input}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let photo = match prepare(&bytes) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("{input}: {e}");
            return ExitCode::FAILURE;
        }
    };
    if let Err(e) = std::fs::write(output, &photo.jpeg) {
        eprintln!("{output}: {e}");
        return ExitCode::FAILURE;
    }
    println!(
        "in:  {input}: {:?} {}x{}, {} bytes",
        photo.source_kind, photo.source_width, photo.source_height, photo.source_bytes
    );
    println!(
        "out: {output}: JPEG q{} {}x{}, {} bytes, no metadata",
        photo.quality,
        photo.width,
        photo.height,
        photo.jpeg.len()
    );
    let m = photo.measures;
    println!(
        "measures: mean luma {:.0}, darkest {:.0}, spread {:.0}, sharpness {:.2}",
        m.mean, m.darkest, m.spread, m.sharpness
    );
    if photo.verdicts.is_empty() {
        println!("checks: all passed");
    }
    for v in &photo.verdicts {
        println!("check: {} {v:?}", v.key());
    }
    ExitCode::SUCCESS
}
