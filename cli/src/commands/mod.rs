//! One function per command: each parses nothing, calls the core once and renders what it returns.

pub mod audit;
pub mod claims;
pub mod files;
pub mod lists;
pub mod operator;
pub mod payouts;
pub mod registry;
pub mod reports;

use relief_ledger::ledger::Actor;
use relief_ledger::Ledger;
use std::path::Path;

/// What every command that acts on an open ledger has: the output mode, the ledger, who signed in, and
/// the ledger's path as given.
pub struct Ctx<'a> {
    pub json: bool,
    pub ledger: &'a mut Ledger,
    pub actor: &'a Actor,
    pub path: &'a Path,
}
