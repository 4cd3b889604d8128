//! A report as an Excel workbook: the same rows the CSV gets, each cell typed — ID and phone numbers as
//! text (their leading zeros kept), amounts as numbers shown `#,##0`, dates as real dates (dd/mm/yyyy) — under
//! a bold header frozen at the top, with column widths that fit and a totals row adding up the amounts and
//! counts. Rows stream to a temporary file as they are written (rust_xlsxwriter's constant-memory mode), so a
//! large export never sits in memory as cells.

use super::excel_csv::{Cell, RowSink};
use rust_xlsxwriter::{ExcelDateTime, Format, FormatBorder, Formula, Workbook, XlsxError};

/// The widest a column grows to (characters); longer text wraps nothing, it is just cut on screen.
const MAX_WIDTH: usize = 60;

pub struct XlsxSheet {
    book: Workbook,
    row: u32,
    width: Vec<usize>,
    /// Per column, the total of its amounts or counts (None: nothing to add up).
    totals: Vec<Option<(i64, bool)>>,
    /// Whether the sheet ends with a totals row (not the import template, which is filled in below).
    with_totals: bool,
    text: Format,
    money: Format,
    date: Format,
    date_time: Format,
    total_label: Format,
    total_money: Format,
    total_count: Format,
}

fn io(e: XlsxError) -> std::io::Error {
    std::io::Error::other(e.to_string())
}

impl XlsxSheet {
    /// A workbook of one sheet named `sheet` (at most 31 characters, as Excel allows), its header written.
    pub fn new(sheet: &str, header: &[&str]) -> std::io::Result<XlsxSheet> {
        let mut book = Workbook::new();
        let ws = book.add_worksheet_with_constant_memory().map_err(io)?;
        let name: String = sheet.chars().take(31).collect();
        ws.set_name(name).map_err(io)?;
        let bold = Format::new()
            .set_bold()
            .set_border_bottom(FormatBorder::Thin)
            .set_text_wrap();
        for (i, h) in header.iter().enumerate() {
            ws.write_string_with_format(0, i as u16, *h, &bold)
                .map_err(io)?;
        }
        ws.set_freeze_panes(1, 0).map_err(io)?;
        Ok(XlsxSheet {
            book,
            row: 1,
            width: header.iter().map(|h| h.chars().count().min(24)).collect(),
            totals: vec![None; header.len()],
            with_totals: true,
            text: Format::new().set_num_format("@"),
            money: Format::new().set_num_format("#,##0"),
            date: Format::new().set_num_format("dd/mm/yyyy"),
            date_time: Format::new().set_num_format("dd/mm/yyyy hh:mm:ss"),
            total_label: Format::new().set_bold(),
            total_money: Format::new().set_bold().set_num_format("#,##0"),
            total_count: Format::new().set_bold(),
        })
    }

    /// A sheet to be filled in (the import template): no totals row, and the columns of codes formatted as
    /// text so that what is typed under them keeps its leading zeros.
    pub fn to_fill_in(mut self, code_columns: &[usize]) -> std::io::Result<XlsxSheet> {
        self.with_totals = false;
        let ws = self.book.worksheet_from_index(0).map_err(io)?;
        for &c in code_columns {
            ws.set_column_format(c as u16, &self.text).map_err(io)?;
        }
        Ok(self)
    }

    fn widen(&mut self, col: usize, chars: usize) {
        if self.width.len() <= col {
            self.width.resize(col + 1, 0);
            self.totals.resize(col + 1, None);
        }
        self.width[col] = self.width[col].max(chars.min(MAX_WIDTH));
    }

    fn add(&mut self, col: usize, n: i64, money: bool) {
        let t = self.totals[col].get_or_insert((0, money));
        t.0 += n;
    }

    /// Ends the sheet: the totals row, the column widths; the workbook's bytes.
    pub fn finish(mut self) -> std::io::Result<(Vec<u8>, usize)> {
        let rows = (self.row - 1) as usize;
        let last = self.row;
        let totals = std::mem::take(&mut self.totals);
        let totals = if self.with_totals { totals } else { Vec::new() };
        let ws = self.book.worksheet_from_index(0).map_err(io)?;
        let label = format!("Tổng cộng ({rows} dòng)");
        let first_total = totals.iter().position(Option::is_some);
        // The label in column A, unless A is itself a total (then it has no room: the label goes nowhere).
        if self.with_totals && first_total != Some(0) {
            ws.write_string_with_format(last, 0, &label, &self.total_label)
                .map_err(io)?;
        }
        for (col, t) in totals.iter().enumerate() {
            let Some((sum, money)) = t else { continue };
            let letter = crate::import::columns::column_letter(col + 1);
            // The formula keeps the total live when a line is edited; its cached result is the exact sum.
            let formula =
                Formula::new(format!("=SUM({letter}2:{letter}{last})")).set_result(sum.to_string());
            let format = if *money {
                &self.total_money
            } else {
                &self.total_count
            };
            ws.write_formula_with_format(last, col as u16, formula, format)
                .map_err(io)?;
        }
        let label_width = if self.with_totals {
            label.chars().count()
        } else {
            0
        };
        for (col, w) in self.width.iter().enumerate() {
            let w = if col == 0 { (*w).max(label_width) } else { *w };
            ws.set_column_width(col as u16, (w + 2) as f64)
                .map_err(io)?;
        }
        let bytes = self.book.save_to_buffer().map_err(io)?;
        Ok((bytes, rows))
    }
}

impl RowSink for XlsxSheet {
    fn row(&mut self, cells: &[Cell]) -> std::io::Result<()> {
        let r = self.row;
        for (i, c) in cells.iter().enumerate() {
            let col = i as u16;
            match c {
                Cell::Text(t) => self.text_cell(r, i, t, false)?,
                Cell::Owned(t) => self.text_cell(r, i, t, false)?,
                Cell::Code(t) => self.text_cell(r, i, t, true)?,
                Cell::CodeOwned(t) => self.text_cell(r, i, t, true)?,
                Cell::Int(n) => {
                    let ws = self.book.worksheet_from_index(0).map_err(io)?;
                    ws.write_number(r, col, *n as f64).map_err(io)?;
                    self.widen(i, n.to_string().len());
                }
                Cell::Count(n) => {
                    let ws = self.book.worksheet_from_index(0).map_err(io)?;
                    ws.write_number(r, col, *n as f64).map_err(io)?;
                    self.widen(i, n.to_string().len());
                    self.add(i, *n, false);
                }
                Cell::Money(n) => {
                    let ws = self.book.worksheet_from_index(0).map_err(io)?;
                    ws.write_number_with_format(r, col, *n as f64, &self.money)
                        .map_err(io)?;
                    let shown = crate::money::Money::from_dong(*n).format_vi();
                    self.widen(i, shown.chars().count() + 1);
                    self.add(i, *n, true);
                }
                Cell::Date(Some(d)) => {
                    use chrono::Datelike;
                    let x =
                        ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)
                            .map_err(io)?;
                    let ws = self.book.worksheet_from_index(0).map_err(io)?;
                    ws.write_datetime_with_format(r, col, x, &self.date)
                        .map_err(io)?;
                    self.widen(i, 10);
                }
                Cell::DateTime(Some(t)) => {
                    use chrono::{Datelike, Timelike};
                    let x =
                        ExcelDateTime::from_ymd(t.year() as u16, t.month() as u8, t.day() as u8)
                            .and_then(|d| {
                                d.and_hms(t.hour() as u16, t.minute() as u8, t.second() as f64)
                            })
                            .map_err(io)?;
                    let ws = self.book.worksheet_from_index(0).map_err(io)?;
                    ws.write_datetime_with_format(r, col, x, &self.date_time)
                        .map_err(io)?;
                    self.widen(i, 19);
                }
                Cell::Date(None) | Cell::DateTime(None) | Cell::Empty => {}
            }
        }
        self.row += 1;
        Ok(())
    }
}

impl XlsxSheet {
    /// A text cell (no formula is ever written from text: a workbook cell of text is text). A code keeps the
    /// text format `@`, so a number typed over it in Excel stays text too.
    fn text_cell(&mut self, r: u32, i: usize, t: &str, code: bool) -> std::io::Result<()> {
        if t.is_empty() {
            return Ok(());
        }
        let ws = self.book.worksheet_from_index(0).map_err(io)?;
        if code {
            ws.write_string_with_format(r, i as u16, t, &self.text)
                .map_err(io)?;
        } else {
            ws.write_string(r, i as u16, t).map_err(io)?;
        }
        let widest = t.lines().map(|l| l.chars().count()).max().unwrap_or(0);
        self.widen(i, widest);
        Ok(())
    }
}
