//! Numbers formatted for people: 460.8M, 21.7k, 54.2%, ±0.11 pp.
//! Machine formats (JSON, CSV, Parquet) never go through here.

/// An amount or a count with a k / M / B suffix, three significant digits
/// or more: `460.8M`, `-1.25M`, `21.7k`, `800`.
///
/// ```
/// use kpisim::present::human;
/// assert_eq!(human(460_780_029.4), "460.8M");
/// assert_eq!(human(-1_250_000.0), "-1.25M");
/// assert_eq!(human(21_700.0), "21.7k");
/// ```
pub fn human(x: f64) -> String {
    if !x.is_finite() {
        return "-".into();
    }
    // Each unit from where it starts, with its divisor and decimals.
    const UNITS: [(f64, f64, usize, &str); 4] = [
        (1e3, 1e3, 1, "k"),
        (1e6, 1e6, 2, "M"),
        (1e7, 1e6, 1, "M"),
        (1e9, 1e9, 2, "B"),
    ];
    // `a` as written with `digits` decimals of `unit`, read back: what a
    // reader sees, rounding included.
    let shown = |a: f64, unit: f64, digits: usize| {
        format!("{:.*}", digits, a / unit)
            .parse::<f64>()
            .map_or(a, |v| v * unit)
    };
    let a = x.abs();
    let whole = a >= 100.0 || x == x.trunc() || shown(a, 1.0, 3) >= 100.0;
    let plain = shown(a, 1.0, if whole { 0 } else { 3 });
    // A value takes the unit it lies in, or the next when its own unit's
    // digits round it up to where the next starts: 999,960 reads 1.00M,
    // never 1000.0k, and 9,999,999 reads 10.0M (as 10,000,000 does), never
    // 10.00M; 997,200 stays 997.2k.
    let mut at = UNITS.iter().rposition(|u| a >= u.0);
    loop {
        let next = at.map_or(0, |i| i + 1);
        let written = at.map_or(plain, |i| shown(a, UNITS[i].1, UNITS[i].2));
        if UNITS.get(next).is_some_and(|u| written >= u.0) {
            at = Some(next);
        } else {
            break;
        }
    }
    match at {
        Some(i) => {
            let (_, unit, digits, suffix) = UNITS[i];
            format!("{:.*}{suffix}", digits, x / unit)
        }
        None if whole => format!("{x:.0}"),
        None => format!("{x:.3}"),
    }
}

/// A range as a person reads it: `2.43M to 2.70M`, `-161.6k to 10.0M`;
/// one number when both ends show the same (`2.43M`, not `2.43M to
/// 2.43M`). The ends come formatted, each as its kind is shown.
///
/// ```
/// use kpisim::present::range;
/// assert_eq!(range("2.43M".into(), "2.70M".into()), "2.43M to 2.70M");
/// assert_eq!(range("100.0%".into(), "100.0%".into()), "100.0%");
/// ```
pub fn range(lo: String, hi: String) -> String {
    if lo == hi {
        lo
    } else {
        format!("{lo} to {hi}")
    }
}

/// An ARPU (CNY a payer a month) with its digits: `812`, `1,014`, `6.03`;
/// never `1.0k`, which hides 985 to 1,049.
///
/// ```
/// use kpisim::present::arpu;
/// assert_eq!(arpu(1014.4), "1,014");
/// assert_eq!(arpu(812.0), "812");
/// assert_eq!(arpu(6.031), "6.03");
/// ```
pub fn arpu(x: f64) -> String {
    if !x.is_finite() {
        "-".into()
    } else if x.abs() >= 100.0 {
        let whole = x.round();
        let sign = if whole < 0.0 { "-" } else { "" };
        format!("{sign}{}", thousands(whole.abs() as u64))
    } else {
        format!("{x:.2}")
    }
}

/// `x` rounded to 12 significant digits: removes the binary noise of decimal
/// arithmetic (`1 - 0.9` is `0.09999999999999998`) from values that were
/// meant to be decimal.
pub fn tidy(x: f64) -> f64 {
    format!("{x:.11e}").parse().unwrap_or(x)
}

/// `n` values (n >= 2) from `from` to `to`, both included, evenly spaced
/// and [`tidy`]: the values a sweep or a search steps through. Finite ends
/// give finite values, even when their distance overflows (`1e308` to
/// `-1e308`).
pub fn evenly(from: f64, to: f64, n: usize) -> Vec<f64> {
    let last = (n - 1) as f64;
    let span = to - from;
    (0..n)
        .map(|i| {
            let t = i as f64 / last;
            tidy(if span.is_finite() {
                from + span * t
            } else {
                from * (1.0 - t) + to * t
            })
        })
        .collect()
}

/// `x` rounded to `digits` significant digits (for showing a solved value
/// to the precision its search has).
pub fn sig(x: f64, digits: usize) -> f64 {
    format!("{x:.*e}", digits.saturating_sub(1))
        .parse()
        .unwrap_or(x)
}

/// A number as a person would write it in a file or on the command line:
/// the shortest form that reads back to the same value, after [`tidy`], so
/// that `1.1 × 1.0` shows as `1.1`, not `1.0999999999999999`; `nan`, `inf`
/// and `-inf` as TOML writes them.
///
/// ```
/// use kpisim::present::num;
/// assert_eq!(num(0.1 + 0.2), "0.3");
/// assert_eq!(num(450_000_000.0), "450000000");
/// assert_eq!(num(f64::NEG_INFINITY), "-inf");
/// assert_eq!(num(1e200), "1e200");
/// ```
pub fn num(v: f64) -> String {
    if v.is_nan() {
        "nan".into()
    } else if v.is_infinite() {
        if v > 0.0 { "inf".into() } else { "-inf".into() }
    } else {
        let t = tidy(v);
        // Rust writes 1e200 as 201 digits: exponent form outside everyday sizes
        // (a quadrillion and up, or below 1e-5).
        if t != 0.0 && (t.abs() >= 1e15 || t.abs() < 1e-5) {
            format!("{t:e}")
        } else {
            format!("{t}")
        }
    }
}

/// Text for a terminal: every control character but the line break
/// escaped as `\u{1b}`, so that a name from a user's file (a scenario, a
/// stress case, a CSV column) cannot move the cursor, recolour or clear the
/// screen it is shown on.
///
/// ```
/// use kpisim::present::printable;
/// assert_eq!(printable("plan \u{1b}[2J\n"), "plan \\u{1b}[2J\n");
/// assert_eq!(printable("Shandian Live 2016"), "Shandian Live 2016");
/// ```
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(|c| c.is_control() && c != '\n') {
        return std::borrow::Cow::Borrowed(text);
    }
    std::borrow::Cow::Owned(
        text.chars()
            .map(|c| {
                if c.is_control() && c != '\n' {
                    c.escape_unicode().to_string()
                } else {
                    c.to_string()
                }
            })
            .collect(),
    )
}

/// A share as a percentage with one decimal: `54.2%`.
pub fn pct(p: f64) -> String {
    format!("{:.1}%", 100.0 * p)
}

/// A probability from `trials` simulated years, for people: `54.2%`; but
/// `0 of 1,000,000 trials` when no year reached it and `1,000,000 of
/// 1,000,000 trials` when every year did, where a percentage with a
/// standard error of ±0.00 pp would claim a certainty no sample gives.
///
/// ```
/// use kpisim::present::share;
/// assert_eq!(share(0.542, 1_000_000), "54.2%");
/// assert_eq!(share(0.0, 1_000_000), "0 of 1,000,000 trials");
/// assert_eq!(share(1.0, 2_000), "2,000 of 2,000 trials");
/// ```
pub fn share(p: f64, trials: u64) -> String {
    if p <= 0.0 {
        format!("0 of {} trials", thousands(trials))
    } else if p >= 1.0 {
        format!("{} of {} trials", thousands(trials), thousands(trials))
    } else {
        pct(p)
    }
}

/// The standard error beside [`share`]: `±0.05 pp`, or nothing where the
/// share counts the trials.
pub fn share_se(p: f64, se: f64) -> String {
    if p <= 0.0 || p >= 1.0 {
        String::new()
    } else {
        se_pp(se)
    }
}

/// A standard error of a share, in percentage points: `±0.05 pp`.
pub fn se_pp(se: f64) -> String {
    format!("±{:.2} pp", 100.0 * se)
}

/// A change of a share, in signed percentage points: `-16.9 pp`, `+0.4 pp`.
pub fn pp(change: f64) -> String {
    format!("{:+.1} pp", 100.0 * change)
}

/// A size in bytes for people: `96.0 MB`, `2.1 GB` (powers of 1000).
pub fn bytes(n: u64) -> String {
    let x = n as f64;
    if x >= 1e9 {
        format!("{:.1} GB", x / 1e9)
    } else if x >= 1e6 {
        format!("{:.1} MB", x / 1e6)
    } else if x >= 1e3 {
        format!("{:.1} kB", x / 1e3)
    } else {
        format!("{n} bytes")
    }
}

/// A whole number with thousands separators: `1,000,000`.
pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Lays out rows as columns: the first column left-aligned, the rest right.
pub fn columns(rows: &[Vec<String>]) -> String {
    let ncol = rows.iter().map(Vec::len).max().unwrap_or(0);
    let width: Vec<usize> = (0..ncol)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|s| s.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for r in rows {
        let mut line = String::new();
        for (c, cell) in r.iter().enumerate() {
            let pad = width[c] - cell.chars().count();
            if c == 0 {
                line.push_str(cell);
                line.push_str(&" ".repeat(pad));
            } else {
                line.push_str("  ");
                line.push_str(&" ".repeat(pad));
                line.push_str(cell);
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_money_counts_and_shares_for_people() {
        assert_eq!(human(460_780_029.4), "460.8M");
        assert_eq!(human(-1_250_000.0), "-1.25M");
        assert_eq!(human(8_100.0), "8.1k");
        assert_eq!(human(21_700.0), "21.7k");
        assert_eq!(human(1_234_567_890.0), "1.23B");
        assert_eq!(human(800.0), "800");
        assert_eq!(human(0.519), "0.519");
        // A value that rounds up into the next unit is shown in it.
        assert_eq!(human(9_999_999.0), "10.0M");
        assert_eq!(human(-9_999_999.0), "-10.0M");
        assert_eq!(human(999_960.0), "1.00M");
        assert_eq!(human(999_999_999.0), "1.00B");
        assert_eq!(human(999.6), "1.0k");
        assert_eq!(human(99.9996), "100");
        assert_eq!(human(9_940_000.0), "9.94M");
        // One that does not stays in its own.
        assert_eq!(human(997_200.0), "997.2k");
        assert_eq!(human(-997_200.0), "-997.2k");
        assert_eq!(human(9_949_000.0), "9.95M");
        assert_eq!(human(99_940_000.0), "99.9M");
        assert_eq!(human(99.4), "99.400");
        assert_eq!(human(999.4), "999");
        assert_eq!(pct(0.54217), "54.2%");
        assert_eq!(se_pp(0.0005), "±0.05 pp");
        assert_eq!(thousands(1_000_000), "1,000,000");
        assert_eq!(thousands(999), "999");
    }
}
