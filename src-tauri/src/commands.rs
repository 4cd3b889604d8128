//! The commands the UI invokes. Each is a one-line delegation to the core library through the managed
//! [`LedgerState`]; a form's text becomes the core's types in [`crate::forms`]. Commands that touch the
//! ledger are `async`, so the webview never waits on the main thread for SQLite.
//!
//! A command added here must also be listed in build.rs (its generated `allow-` permission) and
//! granted in capabilities/default.json, or the webview is refused. No command takes an actor: every
//! write runs as the operator signed in to the app ([`LedgerState::act`]), and every command but those
//! in [`OPEN`] is refused with `sign_in_required` while nobody is signed in ([`handler`]). The
//! import/export screen's commands are in [`files`], the duplicate check's in [`duplicates`], backup
//! and restore in [`backups`].

use relief_ledger::audit::AuditEntry;
use relief_ledger::InputField;
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};

use relief_ledger::dedup::{likely_duplicates, register_person, EntryMatch};
use relief_ledger::demo::{generate, generate_with_progress, DemoSpec};
use relief_ledger::identity::CitizenBirth;
use relief_ledger::ledger::VerifyReport;
use relief_ledger::ledger::{
    Actor, ClaimDetail, ClaimFilter, ClaimRecord, ClaimRow, Household, ListItem, ListPage, ListRef,
    ListSummary, Office, OfficeNames, Operator, PaySummary, PeoplePage, Person, PersonDetail,
    RegisterPage, Role, Summary, UnitRow, UnlistedRow,
};
use relief_ledger::money::Money;
use relief_ledger::rules::{Entitlement, Policy};
use relief_ledger::LedgerError;
use serde::Serialize;
use tauri::ipc::Channel;
use tauri::{AppHandle, Manager, Runtime, State};

use crate::forms::{date_arg, ClaimForm, FieldError, GroupForm, HouseholdForm, PersonForm};
use crate::session::{SessionInfo, SignedOut};
use crate::{AppInfo, CommandError, LedgerState, OfficeStatus};

type Res<T> = Result<T, CommandError>;

/// Rows per page for the registry and list screens.
pub const PAGE: i64 = 100;

/// How many people the "load demo data" option generates by default.
pub const DEMO_PEOPLE: usize = 2_000;

/// The most people a demo load may ask for.
pub const DEMO_MAX: usize = 200_000;

/// The commands that answer while nobody is signed in: what the sign-in and set-up screens need
/// (the office's name, the app's version, the IPC check) and the ways in and out. Every other command
/// needs a signed-in operator; reading the ledger included.
pub const OPEN: [&str; 10] = [
    "echo_text",
    "office_names",
    "app_info",
    "vocabulary",
    "office_status",
    "session_status",
    "init_office",
    "sign_in",
    "set_first_password",
    "sign_out",
];

/// The command table, for [`crate::build`]: the commands themselves, behind the sign-in check. A
/// command outside [`OPEN`] runs only for a signed-in operator, and counts as their activity; after the
/// idle time without one the operator is signed out (recorded in the audit log) and the command is
/// refused with `sign_in_required`.
pub fn handler<R: Runtime>() -> impl Fn(tauri::ipc::Invoke<R>) -> bool + Send + Sync + 'static {
    let commands: fn(tauri::ipc::Invoke<R>) -> bool =
        include!(concat!(env!("OUT_DIR"), "/handler.rs"));
    move |invoke: tauri::ipc::Invoke<R>| {
        let command = invoke.message.command();
        if OPEN.contains(&command) || !NAMES.contains(&command) {
            return commands(invoke);
        }
        match signed_in(invoke.message.webview_ref()) {
            Ok(()) => commands(invoke),
            Err(refused) => {
                invoke.resolver.reject(refused);
                true
            }
        }
    }
}

/// The sign-in check of [`handler`]. Runs on the thread that received the command, so it never waits
/// for the ledger: an idle sign-out's audit row is written on a background thread.
fn signed_in<R: Runtime>(webview: &tauri::Webview<R>) -> Res<()> {
    let Some(state) = webview.try_state::<LedgerState>() else {
        return Ok(());
    };
    // A ledger that could not be opened says so, rather than asking for a sign-in that cannot work.
    if state.available().is_err() {
        return Ok(());
    }
    let busy = webview.try_state::<Jobs>().is_some_and(|j| j.running());
    state.session().begin_command(busy).map_err(|out| {
        let refused = out.error(state.session().idle());
        if let SignedOut::Idle(actor) = out {
            let app = webview.app_handle().clone();
            tauri::async_runtime::spawn_blocking(move || {
                app.state::<LedgerState>().record_sign_out(actor, "idle")
            });
        }
        refused
    })
}

/// The commands' names, in the order of `commands.list` (made from it by build.rs).
pub const NAMES: &[&str] = &include!(concat!(env!("OUT_DIR"), "/names.rs"));

/// Returns `text` unchanged. Proves that Vietnamese text (NFC or NFD, as typed) survives the IPC
/// boundary both ways in the real webview; the settings screen's IPC check and the e2e test use it.
#[tauri::command]
pub fn echo_text(text: String) -> String {
    text
}

/// The app's name and version, and where its ledger file lives.
#[tauri::command]
pub fn app_info<R: Runtime>(app: AppHandle<R>, ledger: State<'_, LedgerState>) -> Res<AppInfo> {
    AppInfo::collect(&app, &ledger)
}

/// The core's closed vocabularies (roles, claim states, sexes, ID kinds, units, payment methods, rate
/// confidences), key → label: the UI shows these words and keeps none of its own.
#[tauri::command]
pub fn vocabulary() -> relief_ledger::ledger::labels::Vocabulary {
    relief_ledger::ledger::labels::vocabulary()
}

/// What the app opens on: the office (null before set-up), whether its admin must set the first
/// password, who is signed in (an operator idle too long is signed out here), the operators (once
/// someone is signed in) and the rule pack. Not counted as activity.
#[tauri::command]
pub async fn office_status(s: State<'_, LedgerState>, jobs: State<'_, Jobs>) -> Res<OfficeStatus> {
    let session = current_session(&s, &jobs).unwrap_or(None);
    s.with(|l| Ok(OfficeStatus::of(l, session)?))
}

/// Who is signed in, without counting as activity: the UI looks every so often, and an operator idle
/// too long is signed out (`sign_in_required`, saying why). Null when nobody is signed in.
#[tauri::command]
pub async fn session_status(
    s: State<'_, LedgerState>,
    jobs: State<'_, Jobs>,
) -> Res<Option<SessionInfo>> {
    current_session(&s, &jobs)
}

fn current_session(s: &LedgerState, jobs: &Jobs) -> Res<Option<SessionInfo>> {
    s.session().current(jobs.running()).map_err(|out| {
        let refused = out.error(s.session().idle());
        if let SignedOut::Idle(actor) = out {
            s.record_sign_out(actor, "idle");
        }
        refused
    })
}

/// `actor` is now the operator at the keyboard; whoever was signed in before is signed out. A scheduled
/// backup that fell due while nobody was signed in runs now, as them.
fn begin_session<R: Runtime>(app: &AppHandle<R>, s: &LedgerState, actor: Actor) -> SessionInfo {
    let info = s.session().info(&actor);
    if let Some(before) = s.session().start(actor) {
        s.record_sign_out(before, "new_sign_in");
    }
    backups::after_sign_in(app);
    info
}

/// A refusal of the operator forms, at the field it is about (the forms' inputs are `name`, `role`,
/// `secret`).
fn locate_operator(err: LedgerError) -> CommandError {
    let field = match &err {
        LedgerError::InvalidInput { field, .. } => match field {
            InputField::Password => Some("secret"),
            InputField::Operator => Some("name"),
            InputField::Role => Some("role"),
            _ => None,
        },
        LedgerError::NotFound { .. } => Some("name"),
        _ => None,
    };
    CommandError::from(err).at(field)
}

/// First start: sets up the office with its first operator, an admin with the password or PIN given,
/// who is then signed in; optionally with demo data.
#[tauri::command]
pub async fn init_office<R: Runtime>(
    app: AppHandle<R>,
    s: State<'_, LedgerState>,
    office: Office,
    operator: String,
    secret: String,
    demo: bool,
) -> Res<OfficeStatus> {
    let actor = s.with(|l| {
        l.init_office(&office, &operator, &secret).map_err(|e| {
            let field = match &e {
                LedgerError::InvalidInput { field, .. } => match field {
                    InputField::Ward => Some("ward"),
                    InputField::District => Some("district"),
                    InputField::City => Some("city"),
                    InputField::Operator => Some("operator"),
                    InputField::Password => Some("secret"),
                    _ => None,
                },
                _ => None,
            };
            CommandError::from(e).at(field)
        })
    })?;
    let info = begin_session(&app, &s, actor.clone());
    s.with(|l| {
        if demo {
            let spec = DemoSpec {
                people: DEMO_PEOPLE,
                wards: 1,
                seed: 2021,
            };
            generate(l, &spec, &actor)?;
        }
        Ok(OfficeStatus::of(l, Some(info))?)
    })
}

/// Signs an operator in by name (with or without tone marks) and password or PIN; the app then acts
/// as them until they sign out or stay idle too long. Five failures in a row lock the account for 15
/// minutes (`account_locked`); every attempt is in the audit log.
#[tauri::command]
pub async fn sign_in<R: Runtime>(
    app: AppHandle<R>,
    s: State<'_, LedgerState>,
    name: String,
    secret: String,
) -> Res<OfficeStatus> {
    let actor = s.with(|l| Ok(l.sign_in(&name, &secret)?))?;
    let info = begin_session(&app, &s, actor);
    s.with(|l| Ok(OfficeStatus::of(l, Some(info))?))
}

/// A ledger made before sign-in existed (no operator has a password): its admin sets the first
/// password and is signed in. Refused once any password exists.
#[tauri::command]
pub async fn set_first_password<R: Runtime>(
    app: AppHandle<R>,
    s: State<'_, LedgerState>,
    name: String,
    secret: String,
) -> Res<OfficeStatus> {
    let actor = s.with(|l| {
        l.claim_legacy_admin(&name, &secret).map_err(|e| match e {
            LedgerError::FirstPasswordClosed { .. } => CommandError::from(e).at(Some("name")),
            e => locate_operator(e),
        })
    })?;
    let info = begin_session(&app, &s, actor);
    s.with(|l| Ok(OfficeStatus::of(l, Some(info))?))
}

/// Signs the operator out (recorded in the audit log); nothing happens when nobody is signed in.
#[tauri::command]
pub async fn sign_out(s: State<'_, LedgerState>) -> Res<()> {
    if let Some(actor) = s.session().end() {
        s.record_sign_out(actor, "on_demand");
    }
    Ok(())
}

/// An admin adds an operator with a role and a first password or PIN; returns every operator.
#[tauri::command]
pub async fn add_operator(
    s: State<'_, LedgerState>,
    name: String,
    role: String,
    secret: String,
) -> Res<Vec<Operator>> {
    s.act(|l, actor| {
        let role = Role::parse(&role).map_err(locate_operator)?;
        l.add_operator(&name, role, &secret, actor)
            .map_err(locate_operator)?;
        Ok(l.operators()?)
    })
}

/// An admin sets a new password for another operator (forgotten, or locked out), which unlocks them;
/// returns every operator.
#[tauri::command]
pub async fn reset_password(
    s: State<'_, LedgerState>,
    name: String,
    secret: String,
) -> Res<Vec<Operator>> {
    s.act(|l, actor| {
        l.reset_password(&name, &secret, actor)
            .map_err(locate_operator)?;
        Ok(l.operators()?)
    })
}

/// The signed-in operator changes their own password, giving the current one (`current` and `new`
/// are the form's fields).
#[tauri::command]
pub async fn change_password(s: State<'_, LedgerState>, current: String, new: String) -> Res<()> {
    s.act(|l, actor| {
        l.change_password(actor, &current, &new)
            .map_err(|e| match e {
                LedgerError::CurrentPasswordWrong => CommandError::from(e).at(Some("current")),
                LedgerError::InvalidInput {
                    field: InputField::Password,
                    ..
                } => CommandError::from(e).at(Some("new")),
                e => e.into(),
            })
    })
}

/// An admin changes another operator's role; returns every operator.
#[tauri::command]
pub async fn set_operator(
    s: State<'_, LedgerState>,
    name: String,
    role: String,
) -> Res<Vec<Operator>> {
    s.act(|l, actor| {
        let role = Role::parse(&role).map_err(locate_operator)?;
        l.set_operator(&name, role, actor)
            .map_err(locate_operator)?;
        Ok(l.operators()?)
    })
}

/// The rule pack's policies, with their titles, legal basis, confidence, conditions and supplements.
#[tauri::command]
pub async fn policies(s: State<'_, LedgerState>) -> Res<Vec<Policy>> {
    s.with(|l| Ok(l.pack().policies.clone()))
}

#[tauri::command]
pub async fn report_summary(s: State<'_, LedgerState>) -> Res<Summary> {
    s.with(|l| Ok(l.report_summary()?))
}

/// Diacritic-insensitive search by name, or by the start of an identity number.
#[tauri::command]
pub async fn search_people(s: State<'_, LedgerState>, query: String) -> Res<Vec<Person>> {
    s.with(|l| Ok(l.search_people(&query, PAGE as usize)?))
}

/// The registry in name order, one page at a time.
#[tauri::command]
pub async fn people_page(s: State<'_, LedgerState>, offset: i64) -> Res<PeoplePage> {
    s.with(|l| Ok(l.people_page(offset, PAGE)?))
}

/// A person's page: identity documents, claims and payouts.
#[tauri::command]
pub async fn person_detail(s: State<'_, LedgerState>, id: String) -> Res<PersonDetail> {
    s.with(|l| Ok(l.person_detail(&id)?))
}

/// Other people whose name folds to the same key (likely duplicates).
#[tauri::command]
pub async fn same_name(
    s: State<'_, LedgerState>,
    name: String,
    except: Option<String>,
) -> Res<Vec<Person>> {
    s.with(|l| Ok(l.people_with_same_name(&name, except.as_deref(), 20)?))
}

/// Inline validation of the person form, without saving.
#[tauri::command]
pub async fn check_person(s: State<'_, LedgerState>, form: PersonForm) -> Res<Vec<FieldError>> {
    s.with(|l| Ok(form.check(l)))
}

/// The people already registered who are likely the one being entered (a CMND for a CCCD, a digit
/// dropped, the name without tone marks, day and month swapped...), best first, each with its reasons:
/// what the form shows beside itself before saving.
#[tauri::command]
pub async fn person_duplicates(
    s: State<'_, LedgerState>,
    form: PersonForm,
) -> Res<Vec<EntryMatch>> {
    s.with(|l| Ok(likely_duplicates(l, &form.to_new_person()?)?))
}

/// Registers a person through the core's duplicate check at entry: refused (`likely_duplicate`, at the
/// `despite` field) while the registry holds someone likely the same, unless `despite` says why this is
/// someone else (at least 5 characters; the audit log keeps it with the people shown). Any other
/// refusal names the field it is about.
#[tauri::command]
pub async fn add_person(
    s: State<'_, LedgerState>,
    form: PersonForm,
    despite: Option<String>,
) -> Res<Person> {
    s.act(|l, actor| {
        register_person(l, &form.to_new_person()?, despite.as_deref(), actor)
            .map(|(person, _)| person)
            .map_err(|e| form.locate(e))
    })
}

/// Prices the claim form's facts under its policy, without saving.
#[tauri::command]
pub async fn quote(s: State<'_, LedgerState>, form: ClaimForm) -> Res<Entitlement> {
    s.with(|l| Ok(l.quote(&form.policy, &form.facts(l)?)?))
}

/// Records a claim (refused with every reason when not eligible).
#[tauri::command]
pub async fn add_claim(s: State<'_, LedgerState>, form: ClaimForm) -> Res<ClaimRecord> {
    s.act(|l, actor| Ok(l.add_claim(&form.to_new_claim(l)?, actor)?))
}

#[tauri::command]
pub async fn recent_claims(s: State<'_, LedgerState>) -> Res<Vec<ClaimRow>> {
    s.with(|l| Ok(l.recent_claims(PAGE)?))
}

/// Claims not yet on a list, per policy.
#[tauri::command]
pub async fn unlisted_claims(s: State<'_, LedgerState>) -> Res<Vec<UnlistedRow>> {
    s.with(|l| Ok(l.unlisted_claims()?))
}

/// Builds a list (đợt) from the waiting claims of the chosen policies (all when none is chosen).
#[tauri::command]
pub async fn create_list(
    s: State<'_, LedgerState>,
    name: String,
    policies: Vec<String>,
) -> Res<ListSummary> {
    s.act(|l, actor| Ok(l.create_list(&name, &policies, &[], actor)?))
}

#[tauri::command]
pub async fn lists(s: State<'_, LedgerState>) -> Res<Vec<ListSummary>> {
    s.with(|l| Ok(l.lists()?))
}

/// One page of a list's lines with the list's totals.
#[tauri::command]
pub async fn list_page(s: State<'_, LedgerState>, list: String, offset: i64) -> Res<ListPage> {
    s.with(|l| Ok(l.list_page(&list, offset, PAGE)?))
}

/// Every line of a list, for the printed posting list and payout sheet.
#[tauri::command]
pub async fn list_items(s: State<'_, LedgerState>, list: String) -> Res<Vec<ListItem>> {
    s.with(|l| Ok(l.list_items(&list)?))
}

/// One part of a list's amounts that no legal text has confirmed (a rate, threshold or condition read from a
/// secondary source, inferred or unconfirmed, or a check not done), under one policy, with how many lines
/// carry it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnconfirmedPart {
    pub policy: String,
    pub part: String,
    pub lines: usize,
}

/// What the approver sees above the approve form: how many lines of the whole list (not only the page on
/// screen) have an amount resting in part on what no legal text has confirmed, their total, and each
/// distinct part per policy, the most frequent first (ties in posting order).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnconfirmedSummary {
    pub lines: usize,
    pub amount: Money,
    pub parts: Vec<UnconfirmedPart>,
}

impl UnconfirmedSummary {
    pub fn of(items: &[ListItem]) -> Self {
        let mut parts: Vec<UnconfirmedPart> = Vec::new();
        let mut lines = 0;
        let mut amount = Money::ZERO;
        for item in items.iter().filter(|i| !i.unconfirmed.is_empty()) {
            lines += 1;
            amount += item.amount;
            for part in &item.unconfirmed {
                match parts
                    .iter_mut()
                    .find(|p| p.policy == item.policy && &p.part == part)
                {
                    Some(p) => p.lines += 1,
                    None => parts.push(UnconfirmedPart {
                        policy: item.policy.clone(),
                        part: part.clone(),
                        lines: 1,
                    }),
                }
            }
        }
        // A stable sort keeps posting order among parts carried by as many lines.
        parts.sort_by_key(|p| std::cmp::Reverse(p.lines));
        UnconfirmedSummary {
            lines,
            amount,
            parts,
        }
    }
}

/// The unconfirmed parts of a whole list's amounts, for the summary above the approve form.
#[tauri::command]
pub async fn list_unconfirmed(s: State<'_, LedgerState>, list: String) -> Res<UnconfirmedSummary> {
    s.with(|l| Ok(UnconfirmedSummary::of(&l.list_items(&list)?)))
}

/// A day out of order (before the step it follows, or after today) refused at the form's date field.
fn at_day(field: &'static str) -> impl Fn(LedgerError) -> CommandError {
    move |e| match e {
        LedgerError::DateOutOfOrder { .. } => CommandError::from(e).at(Some(field)),
        e => e.into(),
    }
}

/// Records that the list was posted publicly at the ward office on `posted_on`.
#[tauri::command]
pub async fn post_list(
    s: State<'_, LedgerState>,
    list: String,
    posted_on: String,
) -> Res<ListSummary> {
    s.act(|l, actor| {
        let day = date_arg("postedOn", &posted_on)?;
        l.post_list(&list, day, actor).map_err(at_day("postedOn"))?;
        Ok(l.list(&list)?)
    })
}

/// Approves a list under a numbered decision (by someone other than its recorder).
#[tauri::command]
pub async fn approve_list(
    s: State<'_, LedgerState>,
    list: String,
    decision_no: String,
    decision_date: String,
) -> Res<ListSummary> {
    s.act(|l, actor| {
        l.approve_list(
            &list,
            &decision_no,
            date_arg("decisionDate", &decision_date)?,
            actor,
        )
        .map_err(at_day("decisionDate"))
    })
}

/// Pays one claim of an approved list, or every unpaid claim of it.
#[tauri::command]
pub async fn pay(
    s: State<'_, LedgerState>,
    list: String,
    claim: Option<String>,
    paid_on: String,
    method: String,
) -> Res<PaySummary> {
    s.act(|l, actor| {
        l.pay(
            &list,
            claim.as_deref(),
            date_arg("paidOn", &paid_on)?,
            &method,
            actor,
        )
        .map_err(at_day("paidOn"))
    })
}

/// Reverses a payout with a reason; returns the reversal's id.
#[tauri::command]
pub async fn reverse(
    s: State<'_, LedgerState>,
    payout: String,
    reason: String,
    reversed_on: String,
) -> Res<String> {
    s.act(|l, actor| {
        l.reverse(
            &payout,
            &reason,
            date_arg("reversedOn", &reversed_on)?,
            actor,
        )
        .map_err(at_day("reversedOn"))
    })
}

/// The live (not reversed) payout of a claim, if any.
#[tauri::command]
pub async fn live_payout_of(s: State<'_, LedgerState>, claim: String) -> Res<Option<String>> {
    s.with(|l| Ok(l.live_payout_of(&claim)?))
}

/// The 200 most recent audit rows.
#[tauri::command]
pub async fn recent_audit(s: State<'_, LedgerState>) -> Res<Vec<AuditEntry>> {
    s.with(|l| Ok(l.recent_audit(200)?))
}

/// The same check as `relief verify` on the open ledger (what Nhật ký shows): the file's integrity, the
/// schema and its triggers, the audit chain and its head, and every claim, payout and override against
/// the audit rows; each problem named in Vietnamese.
#[tauri::command]
pub async fn verify(s: State<'_, LedgerState>) -> Res<VerifyReport> {
    s.with(|l| Ok(l.verify()?))
}

/// Corrects a person's details (not their identity documents); a refusal names the field it is about.
#[tauri::command]
pub async fn update_person(s: State<'_, LedgerState>, id: String, form: PersonForm) -> Res<Person> {
    s.act(|l, actor| {
        l.update_person(&id, &form.to_edit()?, actor)
            .map_err(|e| form.locate_edit(e))
    })
}

/// The filters the claims register offers besides the policies and states (the vocabulary has those):
/// the residential groups people live in, and the lists.
#[derive(Debug, Clone, Serialize)]
pub struct ClaimFilters {
    pub groups: Vec<String>,
    pub lists: Vec<ListRef>,
}

#[tauri::command]
pub async fn claim_filters(s: State<'_, LedgerState>) -> Res<ClaimFilters> {
    s.with(|l| {
        Ok(ClaimFilters {
            groups: l.residential_groups()?,
            lists: l
                .lists()?
                .into_iter()
                .map(|x| ListRef {
                    id: x.id,
                    name: x.name,
                })
                .collect(),
        })
    })
}

/// One page of the claims register, filtered (policy, state, residential group, list, person).
#[tauri::command]
pub async fn claims_register(
    s: State<'_, LedgerState>,
    filter: ClaimFilter,
    offset: i64,
) -> Res<RegisterPage> {
    s.with(|l| Ok(l.claims_register(&filter, offset, PAGE)?))
}

/// A claim opened from the register: what it was recorded with, its list, how it was closed.
#[tauri::command]
pub async fn claim_detail(s: State<'_, LedgerState>, id: String) -> Res<ClaimDetail> {
    s.with(|l| Ok(l.claim_detail(&id)?))
}

/// A refusal of a claim's correction or withdrawal, at the field it is about (the reason's, or the facts').
fn locate_change(e: LedgerError) -> CommandError {
    let field = match &e {
        LedgerError::InvalidInput {
            field: InputField::Reason,
            ..
        } => Some("reason"),
        _ => None,
    };
    CommandError::from(e).at(field)
}

/// Corrects the facts of a claim on no list yet: recorded again with the claim form's facts, priced again,
/// the old one closed pointing to it. Returns the new claim.
#[tauri::command]
pub async fn correct_claim(
    s: State<'_, LedgerState>,
    id: String,
    form: ClaimForm,
    reason: String,
) -> Res<ClaimRecord> {
    s.act(|l, actor| {
        let facts = form.facts(l)?;
        l.correct_claim(&id, &facts, &reason, actor)
            .map_err(locate_change)
    })
}

/// Withdraws a claim on no list yet, with a reason; returns it as it now stands.
#[tauri::command]
pub async fn withdraw_claim(
    s: State<'_, LedgerState>,
    id: String,
    reason: String,
) -> Res<ClaimDetail> {
    s.act(|l, actor| {
        l.withdraw_claim(&id, &reason, actor)
            .map_err(locate_change)?;
        Ok(l.claim_detail(&id)?)
    })
}

/// The birth year and sex a 12-digit citizen number carries (the core's reading of its 4th digit), for the
/// person form to fill the sex from a CCCD; null for any other number.
#[tauri::command]
pub fn citizen_birth(number: String) -> Option<CitizenBirth> {
    relief_ledger::identity::citizen_birth(&number)
}

/// How the office's names will be printed (the header line and the heading of every list and sheet), from
/// the names as typed: the set-up and Cài đặt show it while they are typed.
#[tauri::command]
pub fn office_names(office: Office) -> OfficeNames {
    office.names()
}

/// An admin corrects the office's names until the first list is approved (audited).
#[tauri::command]
pub async fn correct_office(s: State<'_, LedgerState>, office: Office) -> Res<OfficeStatus> {
    s.act(|l, actor| {
        l.correct_office(&office, actor).map_err(|e| {
            let field = match &e {
                LedgerError::InvalidInput { field, .. } => match field {
                    InputField::Ward => Some("ward"),
                    InputField::District => Some("district"),
                    InputField::City => Some("city"),
                    _ => None,
                },
                _ => None,
            };
            CommandError::from(e).at(field)
        })?;
        Ok(OfficeStatus::of(l, Some(s.session().info(actor)))?)
    })
}

/// Registers a household business (name, head, tax code, address).
#[tauri::command]
pub async fn add_household(s: State<'_, LedgerState>, form: HouseholdForm) -> Res<Household> {
    s.act(|l, actor| form.save(l, actor))
}

/// Registers an independent preschool group or class (name, owner, address); returns its id.
#[tauri::command]
pub async fn add_group(s: State<'_, LedgerState>, form: GroupForm) -> Res<String> {
    s.act(|l, actor| form.save(l, actor))
}

/// Households (`unit = "household"`) or groups (`"group"`) by name, owner or tax code.
#[tauri::command]
pub async fn find_units(
    s: State<'_, LedgerState>,
    unit: String,
    query: String,
) -> Res<Vec<UnitRow>> {
    s.with(|l| Ok(l.find_units(&unit, &query, PAGE as usize)?))
}

/// The one long job the app runs at a time (a demo load, a file import or a duplicate check), and its
/// cancel switch.
#[derive(Default)]
pub struct Jobs {
    /// 0 when idle, else the running [`Job`].
    running: AtomicU8,
    cancel: AtomicBool,
}

/// What a long job is, so a second one can be told what it waits for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Job {
    Demo = 1,
    Import = 2,
    Duplicates = 3,
    Restore = 4,
}

/// Holds the switch while a job runs; releases it however the job ends (a panic included).
pub struct Running<'a>(&'a Jobs);

impl Drop for Running<'_> {
    fn drop(&mut self) {
        self.0.running.store(0, Ordering::SeqCst);
    }
}

impl Jobs {
    /// Asks the running job to stop at its next check (a demo load keeps the chunks it wrote whole;
    /// an import writes nothing).
    pub fn cancel(&self) -> bool {
        let running = self.running.load(Ordering::SeqCst) != 0;
        if running {
            self.cancel.store(true, Ordering::SeqCst);
        }
        running
    }

    pub fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::SeqCst)
    }

    /// True while a long job runs (which counts as its operator's activity: no idle sign-out).
    pub fn running(&self) -> bool {
        self.running.load(Ordering::SeqCst) != 0
    }

    /// Starts `job`, refused while another one runs.
    pub fn begin(&self, job: Job) -> Res<Running<'_>> {
        match self
            .running
            .compare_exchange(0, job as u8, Ordering::SeqCst, Ordering::SeqCst)
        {
            Ok(_) => {
                self.cancel.store(false, Ordering::SeqCst);
                Ok(Running(self))
            }
            Err(other) if other == Job::Import as u8 => Err(CommandError::new(
                "busy",
                "Đang nhập một tệp; hãy chờ xong hoặc bấm Dừng.",
            )),
            Err(other) if other == Job::Duplicates as u8 => Err(CommandError::new(
                "busy",
                "Đang kiểm tra trùng; hãy chờ xong hoặc bấm Dừng.",
            )),
            Err(other) if other == Job::Restore as u8 => Err(CommandError::new(
                "busy",
                "Đang khôi phục sổ từ bản sao lưu; hãy chờ xong.",
            )),
            Err(_) => Err(CommandError::new(
                "busy",
                "Đang nạp dữ liệu mẫu; hãy chờ xong hoặc bấm Dừng.",
            )),
        }
    }
}

/// A progress report: `done` of `total` people written so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Progress {
    pub done: usize,
    pub total: usize,
}

/// How a demo load ended: finished, or stopped on request; the counts are what the ledger now holds.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DemoOutcome {
    pub cancelled: bool,
    /// People written by this load (whole chunks when stopped).
    pub written: usize,
    pub requested: usize,
    pub people: i64,
    pub claims: i64,
}

/// Generates a demo district into a ledger with no people yet, as the signed-in operator, on a
/// background thread, reporting progress per chunk of 5,000 people through `on_progress`;
/// `cancel_demo` stops it after the chunk being written. The window stays responsive throughout.
#[tauri::command]
pub async fn load_demo<R: Runtime>(
    app: AppHandle<R>,
    people: usize,
    on_progress: Channel<Progress>,
) -> Res<DemoOutcome> {
    tauri::async_runtime::spawn_blocking(move || {
        let state = app.state::<LedgerState>();
        let actor = state.session().actor()?;
        run_demo(&state, &app.state::<Jobs>(), people, &actor, |p| {
            let _ = on_progress.send(p);
        })
    })
    .await
    .map_err(|e| CommandError::internal("unexpected", "Lỗi nội bộ", &e))?
}

/// Stops the running demo load after its current chunk; false when nothing is running.
#[tauri::command]
pub fn cancel_demo(jobs: State<'_, Jobs>) -> bool {
    jobs.cancel()
}

/// The demo load itself, for `load_demo` and the unit tests.
pub fn run_demo(
    state: &LedgerState,
    jobs: &Jobs,
    people: usize,
    actor: &Actor,
    mut report: impl FnMut(Progress),
) -> Res<DemoOutcome> {
    if people == 0 || people > DEMO_MAX {
        return Err(CommandError::new(
            "invalid_input",
            format!("Số người mẫu phải từ 1 đến {DEMO_MAX}."),
        )
        .at(Some("people")));
    }
    let _running = jobs.begin(Job::Demo)?;
    state.with(|l| {
        l.office()?;
        if l.people_page(0, 1)?.total > 0 {
            return Err(CommandError::new(
                "not_empty",
                "Sổ đã có người thụ hưởng. Dữ liệu mẫu chỉ nạp vào sổ chưa có ai, để không lẫn với hồ sơ thật.",
            ));
        }
        let spec = DemoSpec {
            people,
            wards: 1,
            seed: 2021,
        };
        let outcome = generate_with_progress(l, &spec, actor, &mut |done, total| {
            report(Progress { done, total });
            !jobs.cancelled()
        });
        let (cancelled, written) = match outcome {
            Ok(summary) => (false, summary.people),
            Err(relief_ledger::LedgerError::Cancelled { done }) => (true, done),
            Err(e) => return Err(e.into()),
        };
        let summary = l.report_summary()?;
        Ok(DemoOutcome {
            cancelled,
            written,
            requested: people,
            people: l.people_page(0, 1)?.total,
            claims: summary.rows.iter().map(|r| r.count).sum(),
        })
    })
}

pub mod backups;
pub mod drafts;
pub mod duplicates;
pub mod files;

#[cfg(test)]
mod tests;
