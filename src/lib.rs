//! Relief Ledger core: the registry, rule packs, entitlements and the append-only payout ledger of a ward
//! office paying COVID-19 support. It knows nothing of Tauri or the command line; both only call it.

pub mod about;
pub use ledger::audit;
pub mod checks;
pub mod dates;
pub mod dedup;
pub mod demo;
pub mod error;
pub mod excel;
pub mod export;
pub mod fields;
pub mod files;
pub mod identity;
pub mod import;
pub mod ledger;
pub mod money;
pub mod rules;
pub mod store;

pub use error::{LedgerError, PublicError, Result};
pub use fields::InputField;
pub use ledger::Ledger;
pub use money::Money;
