//! What this build is: the software's version, the day it was built and the rule pack it ships. One answer
//! for `relief --version` and the app's Cài đặt screen, which only show it.

use crate::rules::default_pack;
use chrono::NaiveDate;
use serde::Serialize;

/// The software's version: the workspace's one number (`[workspace.package] version` in Cargo.toml), which
/// the CLI, the app and its package (`tauri.conf.json` names none) all take.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The day this build was made, `yyyy-mm-dd` in Hà Nội (build.rs: `SOURCE_DATE_EPOCH`, which
/// `scripts/package.sh` sets, else the day the core was compiled).
pub const BUILD_DATE: &str = env!("RELIEF_BUILD_DATE");

/// The version, build date and shipped rule pack of this build.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BuildInfo {
    pub version: String,
    /// Serialised `yyyy-mm-dd`.
    pub build_date: NaiveDate,
    /// The rule pack built into the binary (a district's own pack, `--rules`, is a file the user names).
    pub pack_id: String,
    pub pack_version: String,
    pub pack_title: String,
}

/// This build's version, date and shipped rule pack.
pub fn build_info() -> BuildInfo {
    let pack = default_pack();
    BuildInfo {
        version: VERSION.to_string(),
        build_date: NaiveDate::parse_from_str(BUILD_DATE, "%Y-%m-%d")
            .expect("build.rs writes the build date as yyyy-mm-dd"),
        pack_id: pack.pack.id,
        pack_version: pack.pack.version,
        pack_title: pack.pack.title,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_build_names_the_shipped_pack_and_a_real_date() {
        let info = build_info();
        assert_eq!(info.version, env!("CARGO_PKG_VERSION"));
        let shipped: toml::Value = crate::rules::DEFAULT_PACK_TOML.parse().unwrap();
        assert_eq!(info.pack_id, shipped["pack"]["id"].as_str().unwrap());
        assert_eq!(
            info.pack_version,
            shipped["pack"]["version"].as_str().unwrap()
        );
        // Not before the project existed, not after today (Hà Nội): a wrong epoch or a swapped field shows.
        let first = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
        assert!(info.build_date >= first, "{}", info.build_date);
        assert!(
            info.build_date <= crate::dates::today_vn(),
            "{}",
            info.build_date
        );
        let json = serde_json::to_value(&info).unwrap();
        assert_eq!(json["build_date"], BUILD_DATE);
    }
}
