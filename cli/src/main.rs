//! The `relief` command line: one subcommand, one call into the core. Exit 0 on success, 1 when a rule or
//! an invariant refuses, 2 on bad usage. Messages are Vietnamese with the English code in brackets.
//!
//! `args` holds the arguments, `commands` one function per command, `render` the output, `session` the
//! sign-in; this file only routes.

mod args;
mod commands;
mod render;
mod session;

use args::*;
use clap::{CommandFactory, FromArgMatches};
use commands::Ctx;
use relief_ledger::about::build_info;
use relief_ledger::ledger::{default_db_path, ClaimFilter};
use relief_ledger::rules::RulePack;
use relief_ledger::{Ledger, LedgerError};
use std::process::ExitCode;

fn main() -> ExitCode {
    // `--version` names the build date and the shipped rule pack too, which only the core knows at run time.
    let version: &'static str = Box::leak(render::version_line(&build_info()).into_boxed_str());
    let mut command = Cli::command().version(version);
    let parsed = command
        .try_get_matches_from_mut(std::env::args_os())
        .and_then(|m| Cli::from_arg_matches(&m).map_err(|e| e.format(&mut command)));
    let cli = match parsed {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    let json = cli.json;
    match run(cli) {
        Ok(Outcome::Done) => ExitCode::SUCCESS,
        Ok(Outcome::Refused) => ExitCode::from(1),
        Err(e) => {
            if json {
                println!("{}", serde_json::json!({ "error": e.to_public() }));
            } else {
                eprintln!("{}", render::error_line(&e));
            }
            if e.is_bad_input() {
                ExitCode::from(2)
            } else {
                ExitCode::from(1)
            }
        }
    }
}

/// How a command that did not fail ended: done, or refused by a rule after reporting why.
pub enum Outcome {
    Done,
    Refused,
}

/// The pack given with --rules, or the shipped one.
fn pack_or_default(pack: Option<(RulePack, String)>) -> RulePack {
    pack.map(|p| p.0)
        .unwrap_or_else(relief_ledger::rules::default_pack)
}

fn run(cli: Cli) -> Result<Outcome, LedgerError> {
    let json = cli.json;
    let pack = session::load_pack(&cli.rules)?;
    // Commands that need no ledger file.
    match &cli.command {
        Command::Rules(cmd) => return commands::reports::rules(json, &pack_or_default(pack), cmd),
        Command::Quote { policy, facts } => {
            return commands::claims::quote(json, &pack_or_default(pack), policy, facts)
        }
        Command::Demo {
            people,
            wards,
            seed,
            ward_file: Some(path),
            duplicates,
            truth,
            ward_style,
        } => {
            return commands::files::demo_ward_file(
                json,
                path,
                *people,
                *wards,
                *seed,
                *duplicates,
                truth.as_deref(),
                ward_style.as_deref(),
            )
        }
        _ => {}
    }
    let path = cli.db.clone().unwrap_or_else(default_db_path);
    if let Command::Verify { head } = &cli.command {
        return commands::reports::verify(json, &path, head.as_deref());
    }
    let mut ledger = match pack {
        Some((p, text)) => Ledger::open_with_pack(&path, p, text)?,
        None => Ledger::open(&path)?,
    };
    let name = session::who(&cli.operator)?;
    if let Command::Init {
        ward,
        district,
        city,
    } = cli.command
    {
        return commands::operator::init(json, &mut ledger, &path, &name, ward, district, city);
    }
    if let Command::Demo {
        people,
        wards,
        seed,
        ..
    } = &cli.command
    {
        // A demo ledger is set up for the demo district, its admin the one signing in.
        if ledger.office().is_err() {
            let spec = relief_ledger::demo::DemoSpec {
                people: *people,
                wards: *wards,
                seed: *seed,
            };
            let pw = session::secret(
                "RELIEF_PASSWORD",
                &format!("Đặt mật khẩu quản trị cho {name}: "),
                true,
            )?;
            ledger.init_office(&relief_ledger::demo::demo_office(&spec), &name, &pw)?;
        }
    }
    let actor = session::sign_in(&mut ledger, &name)?;
    if let Command::Restore { file, yes } = cli.command {
        return commands::files::restore(json, ledger, &actor, file, yes);
    }
    let mut c = Ctx {
        json,
        ledger: &mut ledger,
        actor: &actor,
        path: &path,
    };
    match cli.command {
        Command::Operator(OperatorCmd::Role { name, role }) => {
            commands::operator::set_role(&mut c, name, role)
        }
        Command::Operator(OperatorCmd::ResetPassword { name }) => {
            commands::operator::reset_password(&mut c, name)
        }
        Command::Operator(OperatorCmd::Passwd) => commands::operator::change_password(&mut c),
        Command::Operator(OperatorCmd::Add { name, role }) => {
            commands::operator::add(&mut c, name, role)
        }
        Command::Operator(OperatorCmd::List) => commands::operator::list(&mut c),
        Command::Household(HouseholdCmd::Add {
            name,
            head,
            tax_code,
            address,
        }) => commands::registry::add_household(&mut c, name, head, tax_code, address),
        Command::Group(GroupCmd::Add {
            name,
            kind,
            owner,
            address,
        }) => commands::registry::add_group(&mut c, name, kind, owner, address),
        Command::Claim(ClaimCmd::Add {
            policy,
            person,
            id_number,
            household,
            group,
            facts,
        }) => commands::claims::add(&mut c, policy, person, id_number, household, group, facts),
        Command::Claim(ClaimCmd::Show { id }) => commands::claims::show(&mut c, id),
        Command::Claim(ClaimCmd::Reject { id, reason }) => {
            commands::claims::reject(&mut c, id, reason)
        }
        Command::Claim(ClaimCmd::List {
            policy,
            state,
            group,
            list,
            person,
            offset,
        }) => commands::claims::register(
            &mut c,
            ClaimFilter {
                policy,
                state,
                residential_group: group,
                list,
                person,
            },
            offset,
        ),
        Command::Claim(ClaimCmd::Correct { id, reason, facts }) => {
            commands::claims::correct(&mut c, id, reason, facts)
        }
        Command::Claim(ClaimCmd::Withdraw { id, reason }) => {
            commands::claims::withdraw(&mut c, id, reason)
        }
        Command::Approve {
            list,
            decision,
            date,
        } => commands::payouts::approve(&mut c, list, decision, date),
        Command::Pay {
            list,
            claim,
            date,
            method,
        } => commands::payouts::pay(&mut c, list, claim, date, method),
        Command::Reverse {
            payout,
            claim,
            reason,
            date,
        } => commands::payouts::reverse(&mut c, payout, claim, reason, date),
        Command::Override {
            claim,
            amount,
            reason,
        } => commands::payouts::override_amount(&mut c, claim, amount, reason),
        Command::Report(ReportCmd::Summary) => commands::reports::summary(&mut c),
        Command::Backup { to } => commands::files::backup(&mut c, to),
        Command::Import {
            file,
            dry_run,
            accept_valid,
            rejects,
            sheet,
            map,
            confirm_conditions,
        } => commands::files::import(
            &mut c,
            file,
            relief_ledger::import::ImportOptions {
                dry_run,
                accept_valid,
                rejects_out: rejects,
                sheet,
                choices: commands::files::choices(&map)?,
                remember_choices: false,
                confirm_conditions,
            },
        ),
        Command::Export {
            kind,
            list,
            out,
            semicolon,
            format,
        } => commands::reports::export(&mut c, kind, list, out, semicolon, format),
        Command::Demo {
            people,
            wards,
            seed,
            ..
        } => commands::files::demo(&mut c, people, wards, seed),
        Command::Person(cmd) => commands::registry::person(&mut c, cmd),
        Command::List(cmd) => commands::lists::run(&mut c, cmd),
        Command::Audit(cmd) => commands::audit::run(c.ledger, &path, cmd, json, &actor),
        Command::Rules(_)
        | Command::Quote { .. }
        | Command::Verify { .. }
        | Command::Init { .. }
        | Command::Restore { .. } => unreachable!("handled above"),
    }
}
