//! The NIK parser: never panics; what it takes, it takes back from its own
//! digits, from its parts, and against its own birth date and sex.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mpaspor_domain::Nik;

fuzz_target!(|input: &str| {
    let today = jiff::civil::date(2026, 12, 1);
    let Ok(nik) = Nik::parse(input, today) else {
        return;
    };
    assert_eq!(nik.as_str(), input);
    assert!(nik.birth_date() <= today);
    assert_eq!(Nik::parse(nik.as_str(), today).as_ref(), Ok(&nik));
    let stated = Nik::parse_stated(input, nik.birth_date(), Some(nik.sex()));
    assert_eq!(stated.as_ref(), Ok(&nik));
    let composed = Nik::compose(
        nik.province(),
        nik.regency(),
        nik.district(),
        nik.birth_date(),
        nik.sex(),
        nik.serial(),
    );
    assert_eq!(composed.as_ref(), Ok(&nik));
});
