//! The validators of what people type that is not an identity number or a date: a phone number, a tax
//! code, a yes/no answer. Each lives here once; the CLI, the importer and the ledger's own writes call it.

mod phone;
mod tax_code;
mod yes_no;

pub use phone::phone;
pub use tax_code::tax_code;
pub use yes_no::yes_no;
