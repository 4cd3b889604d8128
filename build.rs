//! Writes the build date into the core (`RELIEF_BUILD_DATE`, read by `about::BUILD_DATE`): the day in Hà Nội
//! (UTC+7) of `SOURCE_DATE_EPOCH` when the release script sets it (so a package's date is the day it was
//! made, and the same input gives the same binary), else of the time this script runs.

use std::time::{SystemTime, UNIX_EPOCH};

fn main() {
    println!("cargo:rerun-if-env-changed=SOURCE_DATE_EPOCH");
    // Rerun when the core changes, so a developer's build carries the day its code was last built,
    // not the day the target directory was made.
    for path in ["build.rs", "Cargo.toml", "src", "rules"] {
        println!("cargo:rerun-if-changed={path}");
    }
    let seconds = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .unwrap_or_else(|| {
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map(|d| d.as_secs() as i64)
                .unwrap_or(0)
        });
    let (y, m, d) = civil_from_days((seconds + 7 * 3600).div_euclid(86_400));
    println!("cargo:rustc-env=RELIEF_BUILD_DATE={y:04}-{m:02}-{d:02}");
}

/// Days since 1970-01-01 → (year, month, day), proleptic Gregorian (H. Hinnant's `civil_from_days`):
/// a build script has no date library, and this is the whole of what it needs.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}
