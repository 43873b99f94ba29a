//! Writing [`Sheet`]s into a workbook with rust_xlsxwriter: number cells
//! with formats, bold frozen headers, columns wide enough to read, sheet
//! names made valid and unique, and no date inside, so that the same
//! report gives the same bytes.

use rust_xlsxwriter::{
    Chart, DocProperties, ExcelDateTime, Format, FormatAlign, Workbook, XlsxError,
};

use super::sheets::{Cell, Content, Sheet, Style, Table};
use crate::export::{AsOf, ExportError, Result};

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

/// Where a sheet's content landed.
#[derive(Debug, Clone)]
pub enum Added {
    /// A summary: its per-target table, and the first row below it all
    /// (where a chart goes).
    Summary {
        /// The per-target table.
        placed: Option<Placed>,
        /// The first free row.
        below: u32,
    },
    /// A table.
    Table(Placed),
    /// Tables one below the other.
    Stack,
}

/// A workbook being written.
pub struct Book {
    wb: Workbook,
    names: Vec<String>,
    bold: Format,
    formats: [Format; 10],
    month: Format,
    as_of: AsOf,
}

const STYLES: [Style; 10] = [
    Style::General,
    Style::Whole,
    Style::Amount,
    Style::Arpu,
    Style::Percent,
    Style::PercentFine,
    Style::Ratio,
    Style::Points,
    Style::PointsFine,
    Style::Fraction,
];

impl Book {
    /// An empty workbook, as of `as_of`: the date it says, and the date in
    /// its properties, so that the same date gives the same bytes (zip
    /// entries are already dated 1980-01-01).
    pub fn new(as_of: AsOf) -> Result<Self> {
        let mut wb = Workbook::new();
        let date = ExcelDateTime::from_ymd(as_of.year as u16, as_of.month as u8, as_of.day as u8)
            .map_err(failed)?;
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
                number("+0.0\" pp\";-0.0\" pp\";0.0\" pp\""),
                number("0.00\" pp\""),
                number("0.0000"),
            ],
            month: number("mmm yyyy"),
            as_of,
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

    /// Writes `sheet`, its name prefixed by `prefix`; returns its name as
    /// written and where its content landed.
    pub fn add(&mut self, sheet: &Sheet, prefix: &str) -> Result<(String, Added)> {
        let name = self.unique(&format!("{prefix}{}", sheet.name));
        let placed = match &sheet.content {
            Content::Summary {
                title,
                targets,
                results,
                manifest,
            } => {
                let (placed, below) =
                    self.summary(&name, title, targets.as_ref(), results, manifest)?;
                Added::Summary { placed, below }
            }
            Content::Table(t) => Added::Table(self.table(&name, t, 0, true)?),
            Content::Stack { note, tables } => {
                self.wb.add_worksheet().set_name(&name).map_err(failed)?;
                let bold = Format::new().set_bold();
                let ws = self.wb.worksheet_from_name(&name).map_err(failed)?;
                ws.write_string(0, 0, note).map_err(failed)?;
                ws.set_landscape();
                ws.set_paper_size(9);
                ws.set_print_fit_to_pages(1, 0);
                let mut row = 2;
                let mut widths: Vec<usize> = Vec::new();
                for (title, t) in tables {
                    self.wb
                        .worksheet_from_name(&name)
                        .map_err(failed)?
                        .write_string_with_format(row, 0, title, &bold)
                        .map_err(failed)?;
                    self.table(&name, t, row + 1, false)?;
                    for (c, h) in t.headers.iter().enumerate() {
                        let longest = t
                            .rows
                            .iter()
                            .map(|r| match &r[c] {
                                Cell::Text(s) => s.chars().count(),
                                _ => 10,
                            })
                            .chain([h.chars().count()])
                            .max()
                            .unwrap_or(10);
                        if widths.len() <= c {
                            widths.push(0);
                        }
                        widths[c] = widths[c].max(longest);
                    }
                    row += t.rows.len() as u32 + 3;
                }
                let ws = self.wb.worksheet_from_name(&name).map_err(failed)?;
                for (c, w) in widths.iter().enumerate() {
                    ws.set_column_width(c as u16, (*w + 2).clamp(10, 60) as f64)
                        .map_err(failed)?;
                }
                Added::Stack
            }
        };
        Ok((name, placed))
    }

    fn cell(&mut self, sheet: &str, row: u32, col: u16, c: &Cell) -> Result<()> {
        let fmt = match c {
            Cell::Number(_, s) => self.format(*s).clone(),
            Cell::Month(..) => self.month.clone(),
            _ => Format::new(),
        };
        let date = match c {
            Cell::Month(y, m) => {
                Some(ExcelDateTime::from_ymd(*y as u16, *m as u8, 1).map_err(failed)?)
            }
            _ => None,
        };
        let ws = self.wb.worksheet_from_name(sheet).map_err(failed)?;
        match (c, date) {
            (Cell::Text(t), _) => ws.write_string(row, col, t).map(|_| ()),
            (Cell::Number(x, _), _) => ws.write_number_with_format(row, col, *x, &fmt).map(|_| ()),
            (Cell::Month(..), Some(d)) => ws
                .write_datetime_with_format(row, col, &d, &fmt)
                .map(|_| ()),
            _ => Ok(()),
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
                // Printed: landscape A4, a page wide, the header on every
                // page.
                ws.set_landscape();
                ws.set_paper_size(9);
                ws.set_print_fit_to_pages(1, 0);
                ws.set_repeat_rows(at, at).map_err(failed)?;
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
            for &c in &t.hidden {
                ws.set_column_hidden(c as u16).map_err(failed)?;
            }
        }
        Ok(Placed {
            sheet: name.to_string(),
            header_row: at,
            rows: t.rows.len() as u32,
            headers: t.headers.clone(),
        })
    }

    /// The summary: its title and date, the per-target table, the results,
    /// and below them how they were made. Returns where the per-target
    /// table landed, and the first row below everything.
    fn summary(
        &mut self,
        name: &str,
        title: &str,
        targets: Option<&Table>,
        results: &[(String, Cell)],
        manifest: &[(String, Cell)],
    ) -> Result<(Option<Placed>, u32)> {
        self.wb.add_worksheet().set_name(name).map_err(failed)?;
        let heading = Format::new().set_bold().set_font_size(14);
        let bold = Format::new().set_bold();
        let as_of = format!("As of {}", self.as_of);
        {
            let ws = self.wb.worksheet_from_name(name).map_err(failed)?;
            ws.write_string_with_format(0, 0, title, &heading)
                .map_err(failed)?;
            ws.write_string(1, 0, &as_of).map_err(failed)?;
        }
        let mut row = 3;
        let placed = match targets {
            Some(t) => {
                let p = self.table(name, t, row, false)?;
                row += t.rows.len() as u32 + 2;
                Some(p)
            }
            None => None,
        };
        let pairs = |rows: &[(String, Cell)], row: &mut u32, book: &mut Book| -> Result<()> {
            for (label, c) in rows {
                book.wb
                    .worksheet_from_name(name)
                    .map_err(failed)?
                    .write_string(*row, 0, label)
                    .map_err(failed)?;
                book.cell(name, *row, 1, c)?;
                *row += 1;
            }
            Ok(())
        };
        pairs(results, &mut row, self)?;
        if !manifest.is_empty() {
            row += 1;
            self.wb
                .worksheet_from_name(name)
                .map_err(failed)?
                .write_string_with_format(row, 0, "How this was made", &bold)
                .map_err(failed)?;
            row += 1;
            pairs(manifest, &mut row, self)?;
        }
        let label = results
            .iter()
            .chain(manifest)
            .map(|(l, _)| l.chars().count())
            .max()
            .unwrap_or(5);
        let ws = self.wb.worksheet_from_name(name).map_err(failed)?;
        // Long values (the scenario's hash) run on into the empty cells
        // beside them, so the value column stays as narrow as the
        // per-target table beside it wants.
        ws.set_column_width(0, (label + 2).clamp(12, 40) as f64)
            .map_err(failed)?;
        for c in 1..8 {
            ws.set_column_width(c, 16).map_err(failed)?;
        }
        // The summary and its chart print on one page.
        ws.set_paper_size(9);
        ws.set_print_fit_to_pages(1, 1);
        Ok((placed, row + 1))
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
