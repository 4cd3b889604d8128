//! The rejected rows of an import, written back with the file's own columns plus the reason, ready to fix
//! and import again.

use crate::error::LedgerError;
use std::path::PathBuf;

/// The rejected rows, written back with the file's own columns plus the reason, ready to fix and re-import:
/// a CSV file in the file's own delimiter, or for a workbook a workbook whose cells are all text (an ID
/// number keeps its leading zeros when it is opened again).
pub(super) struct Rejects {
    pub(super) header: Vec<String>,
    /// `None` for a workbook.
    pub(super) delimiter: Option<u8>,
    pub(super) dest: PathBuf,
    /// The reason column of a rejects file being re-imported: replaced, not doubled.
    pub(super) old_reason: Option<usize>,
    pub(super) writer: Option<(PathBuf, RejectsWriter)>,
}

pub(super) enum RejectsWriter {
    Csv(Box<csv::Writer<std::io::BufWriter<std::fs::File>>>),
    Xlsx {
        book: Box<rust_xlsxwriter::Workbook>,
        row: u32,
    },
}

impl Drop for Rejects {
    /// A run that failed leaves no partial rejects file behind.
    fn drop(&mut self) {
        if let Some((partial, _)) = self.writer.take() {
            let _ = std::fs::remove_file(partial);
        }
    }
}

/// The header of the reason column (not a template header, so a re-import ignores it).
pub const REASON_HEADER: &str = "Lý do bị từ chối";

impl Rejects {
    pub(super) fn new(header: &[String], delimiter: Option<u8>, dest: PathBuf) -> Self {
        let old_reason = header.iter().position(|h| h == REASON_HEADER);
        let mut header = header.to_vec();
        if let Some(i) = old_reason {
            header.remove(i);
        }
        Rejects {
            header,
            delimiter,
            dest,
            old_reason,
            writer: None,
        }
    }

    pub(super) fn unwritable(&self, e: &std::io::Error) -> LedgerError {
        LedgerError::FileUnwritable {
            path: self.dest.display().to_string(),
            reason: crate::error::io_reason_vi(e),
        }
    }

    /// Starts the file on the first rejected row (a partial name until the import ends).
    pub(super) fn add(
        &mut self,
        record: &csv::StringRecord,
        reasons: &str,
    ) -> Result<(), LedgerError> {
        if self.writer.is_none() {
            crate::files::refuse_ledger_destination(&self.dest)?;
            let mut partial = self.dest.clone().into_os_string();
            partial.push(".tmp");
            let partial = PathBuf::from(partial);
            crate::files::refuse_ledger_destination(&partial)?;
            let mut head = self.header.clone();
            head.push(REASON_HEADER.into());
            let writer = match self.delimiter {
                Some(delimiter) => {
                    let file = std::fs::File::create(&partial).map_err(|e| self.unwritable(&e))?;
                    let mut file = std::io::BufWriter::new(file);
                    std::io::Write::write_all(&mut file, b"\xEF\xBB\xBF")
                        .map_err(|e| self.unwritable(&e))?;
                    let mut w = csv::WriterBuilder::new()
                        .delimiter(delimiter)
                        .flexible(true)
                        .terminator(csv::Terminator::CRLF)
                        .from_writer(file);
                    w.write_record(&head).map_err(csv_io)?;
                    RejectsWriter::Csv(Box::new(w))
                }
                None => {
                    let mut book = Box::new(rust_xlsxwriter::Workbook::new());
                    let sheet = book
                        .add_worksheet_with_constant_memory()
                        .map_err(xlsx_error)?;
                    sheet.set_name("Bị từ chối").map_err(xlsx_error)?;
                    let bold = rust_xlsxwriter::Format::new().set_bold();
                    for (i, h) in head.iter().enumerate() {
                        sheet
                            .write_string_with_format(0, i as u16, h, &bold)
                            .map_err(xlsx_error)?;
                    }
                    RejectsWriter::Xlsx { book, row: 1 }
                }
            };
            self.writer = Some((partial, writer));
        }
        let (_, w) = self.writer.as_mut().expect("just opened");
        let kept = record
            .iter()
            .enumerate()
            .filter(|(i, _)| Some(*i) != self.old_reason)
            .map(|(_, c)| c);
        match w {
            RejectsWriter::Csv(w) => {
                // Cells go back as they came, except that one Excel would run as a formula.
                let mut cells: Vec<std::borrow::Cow<str>> =
                    kept.map(crate::excel::neutralise).collect();
                cells.resize(self.header.len().max(cells.len()), "".into());
                cells.push(reasons.into());
                w.write_record(cells.iter().map(|c| c.as_bytes()))
                    .map_err(csv_io)?;
            }
            RejectsWriter::Xlsx { book, row } => {
                let sheet = book.worksheet_from_index(0).map_err(xlsx_error)?;
                let mut width = 0;
                for (i, c) in kept.enumerate() {
                    if !c.is_empty() {
                        sheet.write_string(*row, i as u16, c).map_err(xlsx_error)?;
                    }
                    width = i + 1;
                }
                let at = width.max(self.header.len()) as u16;
                sheet.write_string(*row, at, reasons).map_err(xlsx_error)?;
                *row += 1;
            }
        }
        Ok(())
    }

    /// Finishes the file under its real name; returns that name when there was anything to write.
    pub(super) fn finish(&mut self) -> Result<Option<String>, LedgerError> {
        match self.writer.take() {
            Some((partial, RejectsWriter::Csv(mut w))) => {
                w.flush().map_err(|e| self.unwritable(&e))?;
                let file = w.into_inner().map_err(|e| self.unwritable(e.error()))?;
                file.get_ref().sync_all().map_err(|e| self.unwritable(&e))?;
                drop(file);
                self.rename(&partial)
            }
            Some((partial, RejectsWriter::Xlsx { mut book, .. })) => {
                let saved = book.save(&partial).map_err(xlsx_error).and_then(|_| {
                    std::fs::File::open(&partial)
                        .and_then(|f| f.sync_all())
                        .map_err(|e| self.unwritable(&e))
                });
                if let Err(e) = saved {
                    let _ = std::fs::remove_file(&partial);
                    return Err(e);
                }
                self.rename(&partial)
            }
            None => Ok(None),
        }
    }

    pub(super) fn rename(&self, partial: &std::path::Path) -> Result<Option<String>, LedgerError> {
        crate::files::refuse_ledger_destination(&self.dest)?;
        std::fs::rename(partial, &self.dest).map_err(|e| self.unwritable(&e))?;
        Ok(Some(self.dest.display().to_string()))
    }
}

pub(super) fn xlsx_error(e: rust_xlsxwriter::XlsxError) -> LedgerError {
    LedgerError::Io(std::io::Error::other(e.to_string()))
}

pub(super) fn csv_io(e: csv::Error) -> LedgerError {
    LedgerError::Io(std::io::Error::other(e.to_string()))
}
