//! Rule packs: the TOML format that holds every rate, window and cap, its loader, and entitlement computation.

mod describe;
mod entitlement;
mod pack;

pub use describe::RequiredCondition;
pub use entitlement::{BreakdownLine, ChildFact, ClaimFacts, Entitlement, OnceSubject, UsedOnce};
pub use pack::{
    AmountRule, Condition, Confidence, PackHeader, Policy, RulePack, Supplement, SupplementFact,
    SupplementLimit, Tier, Unit, Window, WindowTest,
};

/// The Hanoi 2021 pack shipped inside the binary; a district may replace it with `--rules FILE`.
pub const DEFAULT_PACK_TOML: &str = include_str!("../../rules/hanoi-2021.toml");
pub const DEFAULT_PACK_FILE: &str = "rules/hanoi-2021.toml";

/// Loads the embedded default pack. It is tested, so a failure here is a build defect.
pub fn default_pack() -> RulePack {
    RulePack::parse(DEFAULT_PACK_TOML, DEFAULT_PACK_FILE).expect("the shipped rule pack is valid")
}
