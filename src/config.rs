//! Where the app keeps its data and which API it talks to, from the
//! environment and the command line.

use mpaspor_core::Secrets;
use mpaspor_core::engine::Data;
use std::path::PathBuf;

pub struct Config {
    pub data_dir: PathBuf,
    /// The API to talk to; `None` starts the bundled mock (desktop builds).
    pub api: Option<String>,
}

const USAGE: &str = "usage: mpaspor [--data-dir DIR] [--api URL]
  (or MPASPOR_DATA_DIR=DIR, MPASPOR_API=URL; without an API address the bundled mock server runs in-process)";

impl Config {
    pub fn from_env_and_args() -> Result<Config, String> {
        let mut data_dir = std::env::var_os("MPASPOR_DATA_DIR").map(PathBuf::from);
        let mut api = std::env::var("MPASPOR_API").ok().filter(|a| !a.is_empty());
        let mut args = std::env::args().skip(1);
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--data-dir" => data_dir = Some(args.next().ok_or(USAGE)?.into()),
                "--api" => api = Some(args.next().ok_or(USAGE)?),
                "-h" | "--help" => return Err(USAGE.into()),
                other => return Err(format!("unknown argument {other:?}\n{USAGE}")),
            }
        }
        let data_dir = match data_dir {
            Some(d) => d,
            None => directories::ProjectDirs::from("id.go", "imigrasi", "mpaspor")
                .ok_or("no home directory to keep data in; give --data-dir")?
                .data_dir()
                .to_owned(),
        };
        Ok(Config { data_dir, api })
    }

    /// The keystore entries of this data directory. On a phone there is one;
    /// on a desktop each `--data-dir` has its own key and session.
    pub fn secrets(&self) -> Result<Secrets, String> {
        Secrets::for_data_dir(&self.data_dir).map_err(|e| e.to_string())
    }

    /// This phone's data, opened with the key the keystore holds.
    pub fn open_data(&self, secrets: &Secrets) -> Result<Data, String> {
        Data::open(&self.data_dir, secrets).map_err(|e| format!("{}: {e}", self.data_dir.display()))
    }
}
