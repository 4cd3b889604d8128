//! Why two records may be one person: each reason has a stable code (for scripts and the JSON report) and
//! its Vietnamese words (for the auditor), and carries the evidence weight the score adds up.

use serde::Serialize;

/// The stable reason codes. Positive evidence first, then what speaks against, then what is at stake.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReasonCode {
    SameIdNumber,
    IdDigitDropped,
    IdDigitChanged,
    IdDigitsSwapped,
    CmndAndCccd,
    CccdMatchesBirth,
    CccdContradictsBirth,
    IdNumbersDiffer,
    SameName,
    NameWordsReordered,
    NameMiddleMissing,
    NameSimilar,
    NameDifferent,
    SameDob,
    DobDayMonthSwapped,
    DobYearOnly,
    DobClose,
    DobDifferent,
    SexDifferent,
    SamePhone,
    SameAddress,
    OtherWard,
    ChildInTwoClaims,
    PaidSamePolicy,
    PaidExcludedPolicies,
}

impl ReasonCode {
    pub fn as_str(self) -> &'static str {
        use ReasonCode::*;
        match self {
            SameIdNumber => "same_id_number",
            IdDigitDropped => "id_digit_dropped",
            IdDigitChanged => "id_digit_changed",
            IdDigitsSwapped => "id_digits_swapped",
            CmndAndCccd => "cmnd_and_cccd",
            CccdMatchesBirth => "cccd_matches_birth",
            CccdContradictsBirth => "cccd_contradicts_birth",
            IdNumbersDiffer => "id_numbers_differ",
            SameName => "same_name",
            NameWordsReordered => "name_words_reordered",
            NameMiddleMissing => "name_middle_missing",
            NameSimilar => "name_similar",
            NameDifferent => "name_different",
            SameDob => "same_dob",
            DobDayMonthSwapped => "dob_day_month_swapped",
            DobYearOnly => "dob_year_only",
            DobClose => "dob_close",
            DobDifferent => "dob_different",
            SexDifferent => "sex_different",
            SamePhone => "same_phone",
            SameAddress => "same_address",
            OtherWard => "other_ward",
            ChildInTwoClaims => "child_in_two_claims",
            PaidSamePolicy => "paid_same_policy",
            PaidExcludedPolicies => "paid_excluded_policies",
        }
    }

    /// Evidence for (positive) or against (negative) one person, in bits (log2 of the likelihood ratio,
    /// rounded): what is common among different people weighs little, what is rare among them weighs much.
    pub fn weight(self) -> f32 {
        use ReasonCode::*;
        match self {
            SameIdNumber => 16.0,
            IdDigitDropped | IdDigitChanged | IdDigitsSwapped => 6.0,
            CmndAndCccd => 0.0,
            CccdMatchesBirth => 2.0,
            CccdContradictsBirth => -6.0,
            IdNumbersDiffer => -10.0,
            SameName => 10.0,
            NameWordsReordered => 8.0,
            NameMiddleMissing => 6.0,
            NameSimilar => 3.0,
            NameDifferent => -9.0,
            SameDob => 12.0,
            DobDayMonthSwapped => 8.0,
            DobYearOnly => 3.0,
            DobClose => 1.0,
            DobDifferent => -10.0,
            SexDifferent => -4.0,
            SamePhone => 7.0,
            SameAddress => 3.0,
            OtherWard | ChildInTwoClaims | PaidSamePolicy | PaidExcludedPolicies => 0.0,
        }
    }
}

/// One reason of a pair: its code and its words.
#[derive(Debug, Clone, Serialize)]
pub struct Reason {
    pub code: ReasonCode,
    pub text: String,
}
