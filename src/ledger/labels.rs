//! Every closed vocabulary the app and the CLI show, by key, with its one Vietnamese label: roles, claim
//! states, sexes, identity document kinds, units, payment methods, how sure a rate is. The app receives
//! them whole (`vocabulary`) and keeps no copy of its own.

use super::payouts::PAYMENT_METHODS;
use super::report::{state_label_vi, CLAIM_STATES};
use super::{Role, Sex};
use crate::identity::IdKind;
use crate::rules::{Confidence, Unit};
use serde::Serialize;

/// Each vocabulary as (key, label) pairs, in the order the app lists them.
#[derive(Debug, Clone, Serialize)]
pub struct Vocabulary {
    pub roles: Vec<(&'static str, &'static str)>,
    pub states: Vec<(&'static str, &'static str)>,
    pub sexes: Vec<(&'static str, &'static str)>,
    pub id_kinds: Vec<(&'static str, &'static str)>,
    pub units: Vec<(&'static str, &'static str)>,
    pub methods: Vec<(&'static str, &'static str)>,
    pub confidences: Vec<(&'static str, &'static str)>,
}

/// The vocabularies, from the label functions of each type.
pub fn vocabulary() -> Vocabulary {
    Vocabulary {
        roles: Role::ALL
            .iter()
            .map(|r| (r.as_str(), r.label_vi()))
            .collect(),
        states: CLAIM_STATES
            .iter()
            .map(|s| (*s, state_label_vi(s)))
            .collect(),
        sexes: Sex::ALL.iter().map(|s| (s.key(), s.label_vi())).collect(),
        id_kinds: IdKind::ALL
            .iter()
            .map(|k| (k.as_str(), k.label_vi()))
            .collect(),
        units: [Unit::Person, Unit::Household, Unit::Group]
            .iter()
            .map(|u| (u.as_str(), u.label_vi()))
            .collect(),
        methods: PAYMENT_METHODS.to_vec(),
        confidences: Confidence::ALL
            .iter()
            .map(|c| (c.key(), c.label_vi()))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_vocabulary_is_whole_and_labelled() {
        let v = vocabulary();
        assert_eq!(v.roles.len(), 5);
        assert_eq!(
            v.roles[0],
            ("officer", "Cán bộ LĐ-TB&XH"),
            "an officer first"
        );
        assert_eq!(v.states.len(), 8);
        assert!(v.states.iter().all(|(_, l)| *l != "Không rõ"));
        assert_eq!(v.sexes, [("M", "Nam"), ("F", "Nữ")]);
        assert_eq!(v.id_kinds.len(), 4);
        assert_eq!(v.methods[0], ("cash", "Tiền mặt"));
        assert_eq!(v.confidences[3], ("unconfirmed", "CHƯA XÁC NHẬN"));
        // The keys are what the core stores and serialises.
        assert_eq!(
            serde_json::to_value(Confidence::Secondary).unwrap(),
            Confidence::Secondary.key()
        );
    }
}
