//! Writing [`Sheet`]s into a workbook with rust_xlsxwriter: number cells
//! with formats, bold frozen headers, columns wide enough to read, sheet
//! names made valid and unique, and no date inside, so that the same
//! report gives the same bytes.

use rust_xlsxwriter::{
    Chart, DocProperties, ExcelDateTime, Format, FormatAlign, Workbook, XlsxError,
};

use super::sheets::{Cell, Content, Sheet, Style, Table};
use crate::export::{ExportError, Result};

/// What a workbook error becomes.
pub fn failed(e: XlsxError) -> ExportError {
    ExportError::Render(format!("cannot write the workbook: {e}"))
}

/// Where a table landed: its sheet, first row, and how many rows.
#[derive(Debug, Clone)]
pub struct Placed {
    /// The sheet's name as written.
    pub sheet: String,
    /// The header row, 0-based.
    pub header_row: u32,
    /// Data rows below the header.
    pub rows: u32,
    /// The headers, by column from column A (0).
    pub headers: Vec<String>,
}

impl Placed {
    /// The range of column `h`'s cells, for a chart: (sheet, first row,
    /// column, last row, column).
    pub fn range(&self, h: &str) -> Option<(&str, u32, u16, u32, u16)> {
        let c = self.headers.iter().position(|x| x == h)? as u16;
        Some((
            &self.sheet,
            self.header_row + 1,
            c,
            self.header_row + self.rows,
            c,
        ))
    }
}

/// A workbook being written.
pub struct Book {
    wb: Workbook,
    names: Vec<String>,
    bold: Format,
    formats: [Format; 7],
}

const STYLES: [Style; 7] = [
    Style::General,
    Style::Whole,
    Style::Amount,
    Style::Arpu,
    Style::Percent,
    Style::PercentFine,
    Style::Ratio,
];

impl Book {
    /// An empty workbook.
    pub fn new() -> Result<Self> {
        let mut wb = Workbook::new();
        // rust_xlsxwriter stamps the time of writing into the document's
        // properties; a fixed date keeps the bytes the same for the same
        // report (zip entries are already dated 1980-01-01).
        let date = ExcelDateTime::from_ymd(2000, 1, 1).map_err(failed)?;
        wb.set_properties(
            &DocProperties::new()
                .set_title("kpisim report")
                .set_creation_datetime(&date),
        );
        let number = |code: &str| Format::new().set_num_format(code);
        Ok(Book {
            wb,
            names: Vec::new(),
            bold: Format::new()
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_text_wrap(),
            formats: [
                Format::new(),
                number("0"),
                number("#,##0"),
                number("#,##0.00"),
                number("0.0%"),
                number("0.00%"),
                number("0.000"),
            ],
        })
    }

    fn format(&self, s: Style) -> &Format {
        let i = STYLES.iter().position(|x| *x == s).unwrap_or(0);
        &self.formats[i]
    }

    /// `name` made a valid sheet name (at most 31 characters, none of
    /// `[]:*?/\`, no apostrophe at either end) that no sheet has yet
    /// (Excel compares names without case).
    fn unique(&mut self, name: &str) -> String {
        let clean: String = name
            .chars()
            .map(|c| if "[]:*?/\\".contains(c) { '_' } else { c })
            .collect();
        let clean = clean.trim_matches('\'').trim();
        let base: String = if clean.is_empty() {
            "Sheet".into()
        } else {
            clean.to_string()
        };
        let mut n = 1;
        loop {
            let suffix = if n == 1 {
                String::new()
            } else {
                format!(" ({n})")
            };
            let keep = 31 - suffix.chars().count();
            let candidate: String = base.chars().take(keep).collect::<String>() + &suffix;
            let lower = candidate.to_lowercase();
            if !self.names.contains(&lower) {
                self.names.push(lower);
                return candidate;
            }
            n += 1;
        }
    }

    /// Writes `sheet`, its name prefixed by `prefix`; returns where its
    /// tables landed (the per-target table of a summary, or the table).
    pub fn add(&mut self, sheet: &Sheet, prefix: &str) -> Result<(String, Option<Placed>)> {
        let name = self.unique(&format!("{prefix}{}", sheet.name));
        let placed = match &sheet.content {
            Content::Summary { fields, targets } => {
                self.summary(&name, fields, targets.as_ref())?
            }
            Content::Table(t) => Some(self.table(&name, t, 0, true)?),
        };
        Ok((name, placed))
    }

    fn cell(&mut self, sheet: &str, row: u32, col: u16, c: &Cell) -> Result<()> {
        let fmt = match c {
            Cell::Number(_, s) => self.format(*s).clone(),
            _ => Format::new(),
        };
        let ws = self.wb.worksheet_from_name(sheet).map_err(failed)?;
        match c {
            Cell::Text(t) => ws.write_string(row, col, t).map(|_| ()),
            Cell::Number(x, _) => ws.write_number_with_format(row, col, *x, &fmt).map(|_| ()),
            Cell::Empty => Ok(()),
        }
        .map_err(failed)
    }

    /// Writes table `t` on sheet `name` from row `at`, the header bold and,
    /// when `freeze`, frozen with the first column.
    fn table(&mut self, name: &str, t: &Table, at: u32, freeze: bool) -> Result<Placed> {
        if at == 0 {
            self.wb.add_worksheet().set_name(name).map_err(failed)?;
        }
        let bold = self.bold.clone();
        {
            let ws = self.wb.worksheet_from_name(name).map_err(failed)?;
            for (c, h) in t.headers.iter().enumerate() {
                ws.write_string_with_format(at, c as u16, h, &bold)
                    .map_err(failed)?;
            }
            if freeze {
                ws.set_freeze_panes(at + 1, 1).map_err(failed)?;
                ws.set_row_height(at, 30).map_err(failed)?;
                ws.set_landscape();
                ws.set_paper_size(9);
                // A page wide when that leaves the numbers readable.
                if t.headers.len() <= 20 {
                    ws.set_print_fit_to_pages(1, 0);
                }
            }
        }
        for (r, row) in t.rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                self.cell(name, at + 1 + r as u32, c as u16, cell)?;
            }
        }
        if freeze {
            let ws = self.wb.worksheet_from_name(name).map_err(failed)?;
            for (c, h) in t.headers.iter().enumerate() {
                let longest = t
                    .rows
                    .iter()
                    .map(|r| match &r[c] {
                        Cell::Text(s) => s.chars().count(),
                        _ => 0,
                    })
                    .max()
                    .unwrap_or(0);
                // Headers wrap over two lines, between words; numbers need
                // about 12.
                let word = h.split(' ').map(|w| w.chars().count()).max().unwrap_or(0);
                let width = (h.chars().count().div_ceil(2) + 2)
                    .max(word + 2)
                    .max(longest + 2)
                    .clamp(12, 40);
                ws.set_column_width(c as u16, width as f64)
                    .map_err(failed)?;
            }
        }
        Ok(Placed {
            sheet: name.to_string(),
            header_row: at,
            rows: t.rows.len() as u32,
            headers: t.headers.clone(),
        })
    }

    /// Field and value rows under a frozen header, then the per-target
    /// table below them.
    fn summary(
        &mut self,
        name: &str,
        fields: &[(String, Cell)],
        targets: Option<&Table>,
    ) -> Result<Option<Placed>> {
        let t = Table {
            headers: vec!["field".into(), "value".into()],
            rows: fields
                .iter()
                .map(|(l, c)| vec![Cell::Text(l.clone()), c.clone()])
                .collect(),
        };
        self.table(name, &t, 0, false)?;
        let ws = self.wb.worksheet_from_name(name).map_err(failed)?;
        ws.set_freeze_panes(1, 0).map_err(failed)?;
        let label = fields
            .iter()
            .map(|(l, _)| l.chars().count())
            .max()
            .unwrap_or(5);
        // Long values (the scenario's hash) run on into the empty cells
        // beside them, so the value column stays as narrow as the
        // per-target table below it wants.
        ws.set_column_width(0, (label + 2).clamp(12, 40) as f64)
            .map_err(failed)?;
        for c in 1..8 {
            ws.set_column_width(c, 16).map_err(failed)?;
        }
        // The summary and its chart print on one page.
        ws.set_paper_size(9);
        ws.set_print_fit_to_pages(1, 1);
        match targets {
            Some(tt) => Ok(Some(self.table(
                name,
                tt,
                fields.len() as u32 + 2,
                false,
            )?)),
            None => Ok(None),
        }
    }

    /// Inserts `chart` on sheet `name` at `row`, first column.
    pub fn chart(&mut self, name: &str, row: u32, chart: &Chart) -> Result<()> {
        let ws = self.wb.worksheet_from_name(name).map_err(failed)?;
        ws.insert_chart(row, 0, chart).map_err(failed)?;
        Ok(())
    }

    /// The workbook's bytes.
    pub fn finish(mut self) -> Result<Vec<u8>> {
        self.wb.save_to_buffer().map_err(failed)
    }
}
