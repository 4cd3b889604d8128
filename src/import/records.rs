//! Where a ward file's rows come from: the decoded text of a CSV file through the csv reader (with each
//! record's physical line), or a workbook's sheet (with each row's sheet row). Both give the importer and
//! the duplicate check the same records, so every check, message and rejects file works the same.

use super::sniff::{LineFeed, LineTally};
use super::workbook::SheetRows;
use std::io::{BufReader, Cursor, Read};

type Text = BufReader<std::io::Chain<Cursor<Vec<u8>>, BufReader<Box<dyn Read + Send>>>>;

/// The rows after (and including) the header, in order.
pub(crate) enum Records {
    Csv {
        reader: Box<csv::Reader<LineFeed<Text>>>,
        tally: LineTally,
        previous_end: u64,
    },
    Sheet(Box<SheetRows>),
}

impl Records {
    /// The decoded text (the sample, then the rest of the file) as `delimiter`-separated records.
    pub(crate) fn csv(
        sample: Vec<u8>,
        rest: BufReader<Box<dyn Read + Send>>,
        delimiter: u8,
    ) -> Records {
        let (feed, tally) = LineFeed::new(BufReader::new(Cursor::new(sample).chain(rest)));
        let reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .from_reader(feed);
        Records::Csv {
            reader: Box::new(reader),
            tally,
            previous_end: 0,
        }
    }

    /// The next record and its line (the CSV file's physical line, or the sheet's row), with a bit per
    /// column whose cell the workbook stored as a number (never set for CSV). `None` at the end.
    pub(crate) fn next(
        &mut self,
        record: &mut csv::StringRecord,
    ) -> Result<Option<(u64, u128)>, String> {
        match self {
            Records::Csv {
                reader,
                tally,
                previous_end,
            } => match reader.read_record(record) {
                Ok(true) => {
                    // A record starts after the line the previous one ended on (this corrects a record that
                    // a quote left open carried to the end of the file).
                    let line = tally
                        .record_line(record.as_byte_record())
                        .max(*previous_end + 1);
                    *previous_end = tally.end_line();
                    Ok(Some((line, 0)))
                }
                Ok(false) => Ok(None),
                Err(e) => Err(e.to_string()),
            },
            Records::Sheet(rows) => rows.next_record(record),
        }
    }

    /// As `next`, into a byte record (the duplicate check turns only the cells it reads into text).
    pub(crate) fn next_bytes(
        &mut self,
        record: &mut csv::ByteRecord,
        text: &mut csv::StringRecord,
    ) -> Result<Option<u64>, String> {
        match self {
            Records::Csv {
                reader,
                tally,
                previous_end,
            } => match reader.read_byte_record(record) {
                Ok(true) => {
                    let line = tally.record_line(record).max(*previous_end + 1);
                    *previous_end = tally.end_line();
                    Ok(Some(line))
                }
                Ok(false) => Ok(None),
                Err(e) => Err(e.to_string()),
            },
            Records::Sheet(rows) => {
                let next = rows.next_record(text)?;
                record.clear();
                for cell in text.iter() {
                    record.push_field(cell.as_bytes());
                }
                Ok(next.map(|(line, _)| line))
            }
        }
    }
}
