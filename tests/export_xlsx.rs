//! Reports exported as Excel workbooks (issue 10), read back by an independent reader — openpyxl, in a venv
//! under target/ made by tests/fixtures/workbooks/setup.sh — as an accountant's Excel would show them: ID
//! numbers as text with their leading zeros, amounts as numbers shown #,##0, dates as real dates, a bold header
//! frozen at the top, widths that fit, a totals row equal to the ledger's total. The CSV of the same report
//! keeps every ID as text for Excel too (`="001…"`), and has the same rows.

use relief_ledger::export::{export_file, ExportFormat, ExportKind};
use relief_ledger::ledger::Role;
use relief_ledger::Ledger;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The venv's python (set up once per run of the tests, idempotent).
fn python() -> PathBuf {
    static PY: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    PY.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let out = Command::new("bash")
            .arg(root.join("tests/fixtures/workbooks/setup.sh"))
            .output()
            .expect("bash runs");
        assert!(
            out.status.success(),
            "setup.sh failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let stdout = String::from_utf8(out.stdout).unwrap();
        PathBuf::from(stdout.lines().last().expect("the venv's python").trim())
    })
    .clone()
}

fn read(path: &Path) -> Value {
    let script =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/workbooks/read_export.py");
    let out = Command::new(python())
        .arg(script)
        .arg(path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// A demo ward of 60 people, listed, posted, approved and paid.
fn paid_ward(dir: &Path) -> (Ledger, String) {
    const PW: &str = "mat-khau-1";
    let mut l = Ledger::open(&dir.join("l.sqlite")).unwrap();
    let spec = relief_ledger::demo::DemoSpec {
        people: 60,
        wards: 2,
        seed: 3,
    };
    let can_bo = l
        .init_office(&relief_ledger::demo::demo_office(&spec), "can-bo", PW)
        .unwrap();
    relief_ledger::demo::generate(&mut l, &spec, &can_bo).unwrap();
    l.add_operator("pho", Role::Approver, PW, &can_bo).unwrap();
    l.add_operator("ke-toan", Role::Accountant, PW, &can_bo)
        .unwrap();
    let pho = l.sign_in("pho", PW).unwrap();
    let ke_toan = l.sign_in("ke-toan", PW).unwrap();
    let list = l.create_list("Đợt 1", &[], &[], &can_bo).unwrap();
    let today = relief_ledger::dates::today_vn();
    l.post_list(&list.id, today, &can_bo).unwrap();
    l.approve_list(&list.id, "01/QĐ", today, &pho).unwrap();
    l.pay(&list.id, None, today, "cash", &ke_toan).unwrap();
    (l, list.id)
}

fn col(header: &Value, name: &str) -> usize {
    header
        .as_array()
        .unwrap()
        .iter()
        .position(|h| h["value"] == name)
        .unwrap_or_else(|| panic!("no column {name}"))
}

#[test]
fn an_exported_workbook_reads_as_excel_shows_it() {
    let dir = tempfile::tempdir().unwrap();
    let (l, list) = paid_ward(dir.path());
    let path = dir.path().join("chi-tra.xlsx");
    let kind = ExportKind::Payouts {
        list: Some(list.clone()),
    };
    let written = export_file(&l, &kind, ExportFormat::Xlsx, &path).unwrap();
    let items = l.list_items(&list).unwrap();
    assert_eq!(written.rows, items.len());
    let x = read(&path);
    assert_eq!(x["sheet"], "Chi trả");
    assert_eq!(x["freeze"], "A2", "the header stays in view");
    assert!(x["header"]
        .as_array()
        .unwrap()
        .iter()
        .all(|h| h["bold"] == true));
    let (id, amount, paid_on) = (
        col(&x["header"], "Số CCCD/CMND"),
        col(&x["header"], "Số tiền"),
        col(&x["header"], "Ngày chi"),
    );
    let rows = x["rows"].as_array().unwrap();
    assert_eq!(
        rows.len(),
        items.len() + 1,
        "every payout and the totals row"
    );
    let mut with_zero = 0;
    for (row, item) in rows.iter().zip(&items) {
        let number = &row[id];
        assert_eq!(number["type"], "s", "an ID number is text: {number}");
        assert_eq!(number["value"].as_str(), item.id_number.as_deref());
        with_zero += usize::from(number["value"].as_str().unwrap().starts_with('0'));
        assert_eq!(row[amount]["type"], "n");
        assert_eq!(row[amount]["format"], "#,##0");
        assert_eq!(row[amount]["value"].as_i64(), item.amount.to_dong());
        assert_eq!(row[paid_on]["type"], "d", "a real date: {}", row[paid_on]);
        assert_eq!(row[paid_on]["format"], "dd/mm/yyyy");
        assert_eq!(
            row[paid_on]["value"].as_str().unwrap().get(..10).unwrap(),
            relief_ledger::dates::today_vn().to_string()
        );
    }
    assert!(with_zero > 0, "Hà Nội CCCD numbers start with 001");
    // The totals row: its formula adds the column up, and its cached value is the list's exact total.
    let totals = &x["totals"];
    let total = l.list(&list).unwrap().total.to_dong().unwrap();
    assert_eq!(totals[amount].as_i64(), Some(total));
    assert!(totals[0].as_str().unwrap().starts_with("Tổng cộng"));
    let last = rows.last().unwrap();
    assert!(
        last[amount]["value"].as_str().unwrap().starts_with("=SUM("),
        "{}",
        last[amount]
    );
    // Widths fit: the name column is wider than the STT column, and wide enough for the longest name.
    let widths = &x["widths"];
    let longest = items.iter().map(|i| i.name.chars().count()).max().unwrap() as f64;
    assert!(widths["B"].as_f64().unwrap() >= longest, "{widths}");
}

#[test]
fn every_report_is_a_workbook_of_the_same_rows_as_its_csv() {
    let dir = tempfile::tempdir().unwrap();
    let (mut l, _) = paid_ward(dir.path());
    for name in ["payouts", "summary", "claims", "audit", "template"] {
        let kind = ExportKind::parse(name, None).unwrap();
        let xlsx = dir.path().join(kind.file_name_for(ExportFormat::Xlsx));
        let csv = dir.path().join(kind.file_name());
        let a = export_file(&l, &kind, ExportFormat::Xlsx, &xlsx).unwrap();
        let b = export_file(&l, &kind, ExportFormat::Csv { delimiter: b',' }, &csv).unwrap();
        assert_eq!(a.rows, b.rows, "{name}");
        let x = read(&xlsx);
        let text = std::fs::read_to_string(&csv).unwrap();
        let header: Vec<String> =
            csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes())
                .headers()
                .unwrap()
                .iter()
                .map(str::to_string)
                .collect();
        let xh: Vec<String> = x["header"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["value"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(xh, header, "{name}: one definition of the columns");
        assert_eq!(
            x["rows"].as_array().unwrap().len(),
            a.rows + usize::from(name != "template")
        );
        if name == "claims" {
            let id = col(&x["header"], "Số CCCD/CMND");
            let first = &x["rows"][0][id];
            assert_eq!(first["type"], "s");
            // And the CSV keeps it text for Excel: ="001…".
            let line = text.lines().nth(1).unwrap();
            assert!(
                line.contains(&format!(
                    "\"=\"\"{}\"\"\"",
                    first["value"].as_str().unwrap()
                )),
                "{line}"
            );
            let totals = &x["totals"];
            let sum: i64 = l
                .conn()
                .query_row("SELECT sum(amount) FROM claim_state", [], |r| r.get(0))
                .unwrap();
            assert_eq!(totals[col(&x["header"], "Số tiền")].as_i64(), Some(sum));
        }
        if name == "template" {
            // The template comes back as a ward list: its worked example is refused as the example it is.
            let officer = l.sign_in("can-bo", "mat-khau-1").unwrap();
            let r = relief_ledger::import::import_file(
                &mut l,
                &xlsx,
                &relief_ledger::import::ImportOptions {
                    dry_run: true,
                    ..Default::default()
                },
                &officer,
                &mut |_| true,
            )
            .unwrap();
            assert_eq!((r.rows_read, r.rows_rejected), (1, 1));
            assert!(
                r.problems[0].reason.contains("dòng ví dụ"),
                "{:?}",
                r.problems
            );
        }
        if name == "audit" {
            let at = col(&x["header"], "Thời điểm");
            assert_eq!(
                x["rows"][0][at]["type"], "d",
                "a stored time is a real date and time"
            );
        }
    }
}
