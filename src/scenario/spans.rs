//! Where each field of a scenario file stands: field paths to line and column,
//! and back from a byte offset to a field path.
//!
//! Built from toml's spanned document tree on demand, only when there is an
//! error to report, so a valid file pays nothing for it.

use std::fmt;
use std::ops::Range;

use toml::de::{DeTable, DeValue};

/// One step of a field path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seg {
    /// A table key.
    Key(String),
    /// An array index, 0-based.
    Index(usize),
}

/// A field path such as `segments[0].retention.sd`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldPath(pub Vec<Seg>);

impl FieldPath {
    /// The path with one more key.
    pub fn key(&self, k: &str) -> FieldPath {
        let mut p = self.clone();
        p.0.push(Seg::Key(k.to_string()));
        p
    }

    /// The path with one more index.
    pub fn index(&self, i: usize) -> FieldPath {
        let mut p = self.clone();
        p.0.push(Seg::Index(i));
        p
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, seg) in self.0.iter().enumerate() {
            match seg {
                Seg::Key(k) => {
                    if i > 0 {
                        write!(f, ".")?;
                    }
                    // A dotted key (a path in `set`) is quoted, as in TOML.
                    if k.contains('.') {
                        write!(f, "{k:?}")?
                    } else {
                        write!(f, "{k}")?
                    }
                }
                Seg::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

/// The spanned tree of one file's text.
pub struct SpanIndex<'a> {
    text: &'a str,
    root: Option<toml::Spanned<DeTable<'a>>>,
}

impl<'a> SpanIndex<'a> {
    /// Parses `text`; a file that is not TOML gives an index that knows no
    /// field.
    pub fn new(text: &'a str) -> Self {
        SpanIndex {
            text,
            root: DeTable::parse(text).ok(),
        }
    }

    /// 1-based line and column of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let before = &self.text[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        (line, before[line_start..].chars().count() + 1)
    }

    /// The span of the value at `path`, or of the nearest ancestor present.
    pub fn span_of(&self, path: &FieldPath) -> Option<Range<usize>> {
        let root = self.root.as_ref()?;
        let mut span = None;
        let mut table: Option<&DeTable> = Some(root.get_ref());
        let mut value: Option<&DeValue> = None;
        for seg in &path.0 {
            let next = match (seg, table, value) {
                (Seg::Key(k), Some(t), _) => t.get(k.as_str()),
                (Seg::Index(i), _, Some(DeValue::Array(a))) => a.get(*i),
                _ => None,
            };
            let Some(next) = next else { break };
            span = Some(next.span());
            value = Some(next.get_ref());
            table = match next.get_ref() {
                DeValue::Table(t) => Some(t),
                _ => None,
            };
        }
        span
    }

    /// Line and column of the field at `path` (or its nearest ancestor).
    pub fn position_of(&self, path: &FieldPath) -> Option<(usize, usize)> {
        self.span_of(path).map(|s| self.line_col(s.start))
    }

    /// The innermost field whose key or value covers the byte range `span`
    /// (a point is a range of one byte). Tables opened by a `[header]` have
    /// spans of their header only, so every child is searched, not only
    /// those whose span covers the range.
    pub fn path_at(&self, span: Range<usize>) -> FieldPath {
        let mut path = FieldPath::default();
        if let Some(root) = &self.root {
            let covers =
                |r: Range<usize>| r.start <= span.start && span.end <= r.end.max(r.start + 1);
            find_table(root.get_ref(), &covers, &mut path);
        }
        path
    }
}

fn find_table(t: &DeTable, covers: &dyn Fn(Range<usize>) -> bool, path: &mut FieldPath) -> bool {
    for (k, v) in t.iter() {
        path.0.push(Seg::Key(k.get_ref().to_string()));
        if find_value(v, covers, path) || covers(k.span()) {
            return true;
        }
        path.0.pop();
    }
    false
}

fn find_value(
    v: &toml::Spanned<DeValue>,
    covers: &dyn Fn(Range<usize>) -> bool,
    path: &mut FieldPath,
) -> bool {
    let inner = match v.get_ref() {
        DeValue::Table(t) => find_table(t, covers, path),
        DeValue::Array(a) => a.iter().enumerate().any(|(i, item)| {
            path.0.push(Seg::Index(i));
            let found = find_value(item, covers, path);
            if !found {
                path.0.pop();
            }
            found
        }),
        _ => false,
    };
    inner || covers(v.span())
}
