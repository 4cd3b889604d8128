//! Identity documents (CMND, CCCD, personal ID, social-insurance number) and Vietnamese name folding.

mod name;
mod number;
mod separators;

pub use name::{fold, normalize_nfc};
pub use number::{
    citizen_birth, province_name, validate_identity, CitizenBirth, IdKind, IdentityDoc,
};
pub use separators::without_separators;
