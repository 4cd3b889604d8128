//! The printable sheets of a list, as HTML for the app's print/PDF: the public-posting list (niêm yết) and
//! the payout sheet recipients sign, each with the ward heading, the decision, STT, name, ID, amount, the
//! total and the total in Vietnamese words ("Bằng chữ").

use crate::error::Result;
use crate::ledger::{Ledger, ListItem, ListSummary, Office};
use crate::money::Money;

fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "body{font-family:'Times New Roman',serif;font-size:13pt;margin:1.5cm}
.head{display:flex;justify-content:space-between;text-align:center}
.head div{width:48%} h1{font-size:15pt;text-align:center;margin:18px 0 4px} .sub{text-align:center;margin:0 0 12px}
table{width:100%;border-collapse:collapse} th,td{border:1px solid #000;padding:4px 6px;vertical-align:top}
th{font-weight:bold;text-align:center} td.n{text-align:right;white-space:nowrap} td.c{text-align:center}
tr{page-break-inside:avoid} thead{display:table-header-group} .sign td{height:34px}
.total td{font-weight:bold} .words{margin:8px 0;font-style:italic}
.foot{display:flex;justify-content:space-between;text-align:center;margin-top:24px} .foot div{width:30%}
.date{text-align:right;font-style:italic;margin-top:16px}
.unconfirmed{font-size:10pt;margin:6px 0;border-left:3px solid #000;padding-left:8px} .unconfirmed ul{margin:2px 0}
.chain{margin-top:28px;font:8pt monospace;color:#444;word-break:break-all}
@media print{body{margin:0}}";

fn heading(office: &Office) -> String {
    // The office's own heading lines (`Office::names`): the ward's name printed once, whatever was typed.
    let [district, ward] = office.names().heading;
    format!(
        "<div class=\"head\"><div><b>{}<br>{}</b></div><div><b>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</b><br><u>Độc lập - Tự do - Hạnh phúc</u></div></div>",
        esc(&district),
        esc(&ward)
    )
}

fn decision_line(list: &ListSummary) -> String {
    match (&list.decision_no, &list.decision_date) {
        (Some(no), Some(date)) => {
            let date = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d")
                .map(crate::dates::format_vi)
                .unwrap_or_else(|_| date.clone());
            format!("(Kèm theo Quyết định số {} ngày {})", esc(no), esc(&date))
        }
        _ => "(Danh sách chưa được phê duyệt)".into(),
    }
}

/// The audit chain's head when the sheet was printed: kept on paper, it shows later whether the ledger's
/// history was rewritten (`relief verify --head SEQ:HASH`).
fn chain_line(ledger: &Ledger) -> Result<String> {
    Ok(format!(
        "<p class=\"chain\">Mốc nhật ký sổ khi in: {}</p>",
        ledger.chain_head()?
    ))
}

fn date_line(office: &Office) -> String {
    use chrono::Datelike;
    let today = crate::dates::today_vn();
    format!(
        "<p class=\"date\">{}, ngày {} tháng {} năm {}</p>",
        esc(&office.normalised().ward),
        today.day(),
        today.month(),
        today.year()
    )
}

fn total_rows(items: &[ListItem], columns: usize) -> (Money, String) {
    let total = items.iter().fold(Money::ZERO, |a, i| a + i.amount);
    let row = format!(
        "<tr class=\"total\"><td colspan=\"{}\" class=\"c\">Tổng cộng ({} người/hộ/nhóm)</td><td class=\"n\">{}</td>{}</tr>",
        columns - 1 - usize::from(columns > 6),
        items.len(),
        total.format_vi(),
        if columns > 6 { "<td></td>" } else { "" }
    );
    (total, row)
}

/// The footnote under a sheet whose amounts rest in part on what no legal text has confirmed: each such part
/// once, with how many lines carry it, so whoever signs sees it (issue 14, "confidence where money is
/// approved"). Empty when every amount is confirmed.
fn unconfirmed_note(ledger: &Ledger, items: &[ListItem]) -> String {
    // Kept apart by policy: two policies may word a part alike ("Hỗ trợ một lần: CHƯA XÁC NHẬN").
    let mut parts: Vec<(String, usize)> = Vec::new();
    for it in items {
        let policy = ledger
            .pack()
            .policy(&it.policy)
            .map(|p| p.title.clone())
            .unwrap_or_else(|_| it.policy.clone());
        for part in &it.unconfirmed {
            let part = format!("{policy} — {part}");
            match parts.iter_mut().find(|(p, _)| *p == part) {
                Some((_, n)) => *n += 1,
                None => parts.push((part, 1)),
            }
        }
    }
    if parts.is_empty() {
        return String::new();
    }
    let lines: String = parts
        .iter()
        .map(|(p, n)| format!("<li>{} — {n} dòng</li>", esc(p)))
        .collect();
    format!(
        "<div class=\"unconfirmed\"><b>(*) Số tiền có phần chưa được văn bản xác nhận</b> (mức hoặc cách tính theo nguồn thứ cấp, suy luận hoặc chưa xác nhận; hoặc điều kiện chưa kiểm tra được):<ul>{lines}</ul></div>"
    )
}

/// The table lines of a sheet: STT, name, ID (as `id` shows it), residential group, policy, amount, and a
/// blank signature cell when `sign`.
fn lines(ledger: &Ledger, items: &[ListItem], id: impl Fn(&str) -> String, sign: bool) -> String {
    let mut rows = String::new();
    for (i, it) in items.iter().enumerate() {
        let policy = ledger
            .pack()
            .policy(&it.policy)
            .map(|p| p.title.clone())
            .unwrap_or_else(|_| it.policy.clone());
        rows.push_str(&format!(
            "<tr{}><td class=\"c\">{}</td><td>{}</td><td class=\"c\">{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td>{}</tr>\n",
            if sign { " class=\"sign\"" } else { "" },
            i + 1,
            esc(&it.name),
            esc(&id(it.id_number.as_deref().unwrap_or(""))),
            esc(it.residential_group.as_deref().unwrap_or("")),
            esc(&policy),
            if it.unconfirmed.is_empty() {
                it.amount.format_vi()
            } else {
                format!("{} (*)", it.amount.format_vi())
            },
            if sign { "<td></td>" } else { "" },
        ));
    }
    rows
}

/// The payout sheet of a list: one line per claim with a signature column, the total and the total in words.
pub fn payout_sheet_html(ledger: &Ledger, list: &str) -> Result<String> {
    let office = ledger.office()?;
    let summary = ledger.list(list)?;
    let items = ledger.list_items(&summary.id)?;
    let rows = lines(ledger, &items, |n| n.to_string(), true);
    let (total, total_row) = total_rows(&items, 7);
    Ok(format!(
        "<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\"><title>Danh sách chi trả - {name}</title><style>{STYLE}</style></head><body>
{head}
<h1>DANH SÁCH CHI TRẢ TIỀN HỖ TRỢ</h1>
<p class=\"sub\">{name}<br>{decision}</p>
<table><thead><tr><th>STT</th><th>Họ và tên</th><th>Số CCCD/CMND</th><th>Tổ dân phố</th><th>Chính sách</th><th>Số tiền (đồng)</th><th>Ký nhận</th></tr></thead>
<tbody>
{rows}{total_row}
</tbody></table>
<p class=\"words\">Bằng chữ: {words}</p>
{unconfirmed}{date}
<div class=\"foot\"><div><b>Người lập biểu</b><br><i>(Ký, ghi rõ họ tên)</i></div><div><b>Kế toán</b><br><i>(Ký, ghi rõ họ tên)</i></div><div><b>Chủ tịch UBND phường</b><br><i>(Ký tên, đóng dấu)</i></div></div>
{chain}
</body></html>
",
        name = esc(&summary.name),
        head = heading(&office),
        decision = decision_line(&summary),
        words = esc(&total.in_words_vi()),
        date = date_line(&office),
        chain = chain_line(ledger)?,
        unconfirmed = unconfirmed_note(ledger, &items),
    ))
}

/// The public-posting list of a list (niêm yết công khai), before approval: no signature column, a line
/// telling residents where to raise a complaint.
pub fn posting_list_html(ledger: &Ledger, list: &str) -> Result<String> {
    let office = ledger.office()?;
    let summary = ledger.list(list)?;
    let items = ledger.list_items(&summary.id)?;
    let rows = lines(ledger, &items, masked, false);
    let (total, total_row) = total_rows(&items, 6);
    Ok(format!(
        "<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\"><title>Niêm yết - {name}</title><style>{STYLE}</style></head><body>
{head}
<h1>DANH SÁCH NIÊM YẾT CÔNG KHAI</h1>
<p class=\"sub\">Đối tượng đề nghị hỗ trợ: {name}</p>
<table><thead><tr><th>STT</th><th>Họ và tên</th><th>Số CCCD/CMND</th><th>Tổ dân phố</th><th>Chính sách</th><th>Số tiền (đồng)</th></tr></thead>
<tbody>
{rows}{total_row}
</tbody></table>
<p class=\"words\">Bằng chữ: {words}</p>
{unconfirmed}<p>Mọi ý kiến phản ánh về danh sách xin gửi về Bộ phận tiếp nhận và trả kết quả, UBND {ward}, trong thời gian niêm yết.</p>
{date}
<div class=\"foot\"><div></div><div></div><div><b>TM. {ward_heading}</b><br><i>(Ký tên, đóng dấu)</i></div></div>
{chain}
</body></html>
",
        name = esc(&summary.name),
        head = heading(&office),
        ward = esc(&office.names().ward_title),
        ward_heading = esc(&office.names().heading[1]),
        words = esc(&total.in_words_vi()),
        date = date_line(&office),
        chain = chain_line(ledger)?,
        unconfirmed = unconfirmed_note(ledger, &items),
    ))
}

/// A posted list shows only the last digits of an ID number (enough to tell namesakes apart, not enough
/// to misuse the number once it hangs on a public board).
fn masked(number: &str) -> String {
    let n = number.chars().count();
    if n <= 4 {
        return number.to_string();
    }
    format!("{}{}", "*".repeat(n - 4), &number[number.len() - 4..])
}

/// The recovery list (danh sách thu hồi) the auditor's decisions built: each payout to ask back, with the
/// decision's basis, the total and its words, and signature lines for the recipient and the office.
pub fn recovery_sheet_html(ledger: &Ledger) -> Result<String> {
    let office = ledger.office()?;
    let items = ledger.recovery_list()?;
    let mut rows = String::new();
    let mut total = Money::ZERO;
    for (i, it) in items.iter().enumerate() {
        let l = &it.line;
        total += l.amount;
        let policy = ledger
            .pack()
            .policy(&l.policy)
            .map(|p| p.title.clone())
            .unwrap_or_else(|_| l.policy.clone());
        rows.push_str(&format!(
            "<tr class=\"sign\"><td class=\"c\">{}</td><td>{}</td><td class=\"c\">{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td><td>{}</td><td></td></tr>\n",
            i + 1,
            esc(&l.person_name),
            esc(&l.id_numbers),
            esc(&policy),
            esc(&format!(
                "{}{}{}",
                l.paid_on.map(crate::dates::format_vi).unwrap_or_default(),
                l.decision_no.as_deref().map(|d| format!(", QĐ {d}")).unwrap_or_default(),
                l.list_name.as_deref().map(|d| format!(", {d}")).unwrap_or_default()
            )),
            l.amount.format_vi(),
            esc(&l.basis),
        ));
    }
    Ok(format!(
        "<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\"><title>Danh sách thu hồi</title><style>{STYLE}</style></head><body>
{head}
<h1>DANH SÁCH THU HỒI TIỀN HỖ TRỢ CHI TRẢ TRÙNG</h1>
<p class=\"sub\">(Theo kết quả kiểm tra trùng lặp đối tượng hưởng hỗ trợ)</p>
<table><thead><tr><th>STT</th><th>Họ và tên</th><th>Số CCCD/CMND</th><th>Chính sách</th><th>Đã chi (ngày, quyết định, đợt)</th><th>Số tiền thu hồi (đồng)</th><th>Căn cứ</th><th>Ký nộp lại</th></tr></thead>
<tbody>
{rows}<tr class=\"total\"><td colspan=\"5\" class=\"c\">Tổng cộng ({n} khoản)</td><td class=\"n\">{total}</td><td></td><td></td></tr>
</tbody></table>
<p class=\"words\">Bằng chữ: {words}</p>
{date}
<div class=\"foot\"><div><b>Người kiểm tra</b><br><i>(Ký, ghi rõ họ tên)</i></div><div><b>Kế toán</b><br><i>(Ký, ghi rõ họ tên)</i></div><div><b>Chủ tịch UBND phường</b><br><i>(Ký tên, đóng dấu)</i></div></div>
{chain}
</body></html>
",
        head = heading(&office),
        n = items.len(),
        total = total.format_vi(),
        words = esc(&total.in_words_vi()),
        date = date_line(&office),
        chain = chain_line(ledger)?,
    ))
}
