//! Finding the shape of a ward file from its first lines: the delimiter Excel used (`,` `;` or tab) and
//! the header row under the official form's title rows.

use super::columns::{header_score_with, ColumnChoice};

/// The delimiter, the header's line in the file (1-based) and its cells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shape {
    pub delimiter: u8,
    pub header_line: u64,
    pub header: Vec<String>,
    pub score: usize,
}

/// Records the header is looked for in: official forms put it on row 5 or 6; leave room for more.
const HEADER_SEARCH: usize = 30;

/// Tries each delimiter on the decoded sample and keeps the one whose best row names the most known
/// columns (a column the officer chose counting too). `None` when no row names at least two (a file that is
/// not a ward list).
pub fn detect(sample: &str, choices: &[ColumnChoice]) -> Option<Shape> {
    let mut best: Option<Shape> = None;
    for delimiter in [b',', b';', b'\t'] {
        let (feed, tally) = LineFeed::new(sample.as_bytes());
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .from_reader(feed);
        let mut record = csv::StringRecord::new();
        // The sample may end inside a quoted cell; records before it are what counts.
        let rows = std::iter::from_fn(|| match reader.read_record(&mut record) {
            Ok(true) => Some((
                tally.record_line(record.as_byte_record()),
                record.iter().map(super::cells::clean).collect(),
            )),
            _ => None,
        });
        if let Some((header_line, header, score)) = best_header(rows, choices) {
            if best.as_ref().is_none_or(|b| score > b.score) {
                best = Some(Shape {
                    delimiter,
                    header_line,
                    header,
                    score,
                });
            }
        }
    }
    best
}

/// Of the first rows (line, cleaned cells), the one naming the most known columns, at least two: the header
/// row under a form's title rows, in a CSV file or a workbook's sheet.
pub fn best_header(
    rows: impl Iterator<Item = (u64, Vec<String>)>,
    choices: &[ColumnChoice],
) -> Option<(u64, Vec<String>, usize)> {
    let mut best: Option<(u64, Vec<String>, usize)> = None;
    for (line, cells) in rows.take(HEADER_SEARCH) {
        let score = header_score_with(&cells, choices);
        if score >= 2 && best.as_ref().is_none_or(|b| score > b.2) {
            best = Some((line, cells, score));
        }
    }
    best
}

/// The delimiter's name for reports.
pub fn delimiter_name(d: u8) -> &'static str {
    match d {
        b',' => "dấu phẩy (,)",
        b';' => "dấu chấm phẩy (;)",
        b'\t' => "tab",
        _ => "khác",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_header_under_title_rows_with_each_delimiter() {
        for d in [",", ";", "\t"] {
            let text = format!(
                "ỦY BAN NHÂN DÂN PHƯỜNG GIANG BIÊN\nDANH SÁCH ĐỀ NGHỊ HỖ TRỢ\n\n{}\n1{d}Nguyễn Văn A{d}001085012345{d}hn-3642-freelance\n",
                ["STT", "Họ và tên", "Số CCCD/CMND", "Chính sách"].join(d)
            );
            let s = detect(&text, &[]).unwrap();
            assert_eq!(s.delimiter, d.as_bytes()[0]);
            assert_eq!(s.header_line, 4);
            assert_eq!(s.score, 4);
        }
        assert_eq!(detect("a,b,c\n1,2,3\n", &[]), None);
    }
}

/// Hands the CSV reader one physical line per read, counting lines, so that the line of each record is
/// known exactly (the csv crate's own positions skip blank lines and miscount CRLF). A line ends at LF,
/// CRLF, or a lone CR (Excel's "CSV (Macintosh)").
pub struct LineFeed<R> {
    inner: R,
    tally: Arc<AtomicU64>,
    /// The last line handed out ended in CR at the end of a buffer: an LF next belongs to it.
    after_cr: bool,
}

/// Lines handed out so far, and whether a line has been started without its end yet (packed as
/// `lines << 1 | partial`, so a reader and its tally can be sent to the thread that reads).
#[derive(Clone)]
pub struct LineTally(Arc<AtomicU64>);

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// Line breaks inside a cell: LF, CRLF or a lone CR each count once.
pub fn line_breaks(cell: &str) -> usize {
    line_breaks_bytes(cell.as_bytes())
}

fn line_breaks_bytes(b: &[u8]) -> usize {
    b.iter()
        .enumerate()
        .filter(|&(i, &c)| c == b'\n' || (c == b'\r' && b.get(i + 1) != Some(&b'\n')))
        .count()
}

impl LineTally {
    /// The line a just-read record starts on: the line it ends on, less the line breaks inside its cells.
    /// (A record cut off by the end of the file inside a quote comes out one line early; `RecordLines`
    /// corrects that from the line the previous record ended on.)
    pub fn record_line(&self, record: &csv::ByteRecord) -> u64 {
        // Nearly no record holds a line break: one look over its bytes settles that.
        let bytes = record.as_slice();
        if !bytes.contains(&b'\n') && !bytes.contains(&b'\r') {
            return self.end_line();
        }
        let inside: usize = record.iter().map(line_breaks_bytes).sum();
        self.end_line().saturating_sub(inside as u64)
    }

    /// The last line handed out so far (counting a line begun but not ended).
    pub fn end_line(&self) -> u64 {
        let packed = self.0.load(Ordering::Relaxed);
        (packed >> 1) + (packed & 1)
    }
}

impl<R: std::io::BufRead> LineFeed<R> {
    pub fn new(inner: R) -> (Self, LineTally) {
        let tally = Arc::new(AtomicU64::new(0));
        (
            LineFeed {
                inner,
                tally: tally.clone(),
                after_cr: false,
            },
            LineTally(tally),
        )
    }
}

impl<R: std::io::BufRead> std::io::Read for LineFeed<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let available = self.inner.fill_buf()?;
        if available.is_empty() || buf.is_empty() {
            return Ok(0);
        }
        if std::mem::take(&mut self.after_cr) && available[0] == b'\n' {
            // The LF of a CRLF split across two buffers: the line was counted at its CR.
            buf[0] = b'\n';
            self.inner.consume(1);
            return Ok(1);
        }
        let (mut n, mut ends_line) = (available.len(), false);
        if let Some(i) = available.iter().position(|&b| b == b'\n' || b == b'\r') {
            ends_line = true;
            n = i + 1;
            if available[i] == b'\r' {
                match available.get(i + 1) {
                    Some(b'\n') => n = i + 2,
                    Some(_) => {}
                    None => self.after_cr = true,
                }
            }
        }
        if n > buf.len() {
            n = buf.len();
            ends_line = false;
            self.after_cr = false;
        }
        buf[..n].copy_from_slice(&available[..n]);
        self.inner.consume(n);
        let lines = self.tally.load(Ordering::Relaxed) >> 1;
        self.tally.store(
            if ends_line {
                (lines + 1) << 1
            } else {
                lines << 1 | 1
            },
            Ordering::Relaxed,
        );
        Ok(n)
    }
}

#[cfg(test)]
mod line_tests {
    use super::*;

    fn lines(text: &str) -> Vec<(u64, String)> {
        let (feed, tally) = LineFeed::new(std::io::BufReader::new(text.as_bytes()));
        let mut r = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(feed);
        let mut out = Vec::new();
        let mut rec = csv::StringRecord::new();
        while r.read_record(&mut rec).unwrap() {
            out.push((
                tally.record_line(rec.as_byte_record()),
                rec.get(0).unwrap().to_string(),
            ));
        }
        out
    }

    #[test]
    fn counts_blank_lines_crlf_and_line_breaks_inside_cells() {
        let want = |v: &[(u64, &str)]| {
            v.iter()
                .map(|(l, s)| (*l, s.to_string()))
                .collect::<Vec<_>>()
        };
        assert_eq!(lines("a\nb\n\nc\n"), want(&[(1, "a"), (2, "b"), (4, "c")]));
        assert_eq!(
            lines("a\r\nb\r\n\r\nc\r\n"),
            want(&[(1, "a"), (2, "b"), (4, "c")])
        );
        assert_eq!(
            lines("a\n\"x\ny\"\nc"),
            want(&[(1, "a"), (2, "x\ny"), (4, "c")])
        );
        assert_eq!(
            lines("a\rb\r\rc\r"),
            want(&[(1, "a"), (2, "b"), (4, "c")]),
            "old Mac line ends"
        );
        assert_eq!(
            lines("a\r\n\"x\r\ny\",1\r\n,,\r\nc"),
            want(&[(1, "a"), (2, "x\r\ny"), (4, ""), (5, "c")])
        );
    }
}
