//! Parsers of option values, with messages in a user's words rather than
//! Rust's ("invalid digit found in string").

/// A count such as `--trials`: `1000000`, `1_000_000`, `1,000,000` or `1e6`.
///
/// ```
/// use kpisim::cli::values::count;
/// assert_eq!(count("1e6"), Ok(1_000_000));
/// assert_eq!(count("1_000_000"), Ok(1_000_000));
/// assert_eq!(count("2.5e5"), Ok(250_000));
/// assert!(count("1.5").is_err());
/// assert!(count("-3").is_err());
/// ```
pub fn count(s: &str) -> Result<u64, String> {
    let clean: String = s.chars().filter(|c| *c != '_' && *c != ',').collect();
    if let Ok(n) = clean.parse::<u64>() {
        return Ok(n);
    }
    let how = "a whole number such as 1000000, 1_000_000 or 1e6";
    match clean.parse::<f64>() {
        Ok(x) if x.is_finite() && x >= 0.0 && x.fract() == 0.0 && x <= u64::MAX as f64 => {
            Ok(x as u64)
        }
        Ok(x) if x < 0.0 => Err(format!("must not be negative; give {how}")),
        Ok(x) if x.is_finite() && x.fract() != 0.0 => {
            Err(format!("is not a whole number; give {how}"))
        }
        _ => Err(format!("is not a number; give {how}")),
    }
}

/// A seed: any whole number from 0 to 2^64 - 1.
pub fn seed(s: &str) -> Result<u64, String> {
    let clean: String = s.chars().filter(|c| *c != '_').collect();
    clean.parse::<u64>().map_err(|_| {
        "a seed is a whole number from 0 to 18446744073709551615, such as 7".to_string()
    })
}

/// A real number, negative and infinite ones included, so that the option
/// itself can say what range it takes.
pub fn number(s: &str) -> Result<f64, String> {
    let clean: String = s.chars().filter(|c| *c != '_').collect();
    clean
        .parse::<f64>()
        .map_err(|_| "is not a number; give a number such as 0.8, -0.5 or 1e6".to_string())
}

/// A shard `K/M`: shard K (from 0) of M, with M from 1 to 65,536.
///
/// ```
/// use kpisim::cli::values::shard;
/// assert_eq!(shard("0/4"), Ok((0, 4)));
/// assert_eq!(shard("3/4"), Ok((3, 4)));
/// assert!(shard("4/4").unwrap_err().contains("from 0 to 3"));
/// assert!(shard("1").is_err());
/// ```
pub fn shard(s: &str) -> Result<(u64, u64), String> {
    let how = "give K/M, shard K (counted from 0) of M shards, such as 0/4";
    let (k, m) = s
        .split_once('/')
        .ok_or_else(|| format!("has no '/'; {how}"))?;
    let (Ok(k), Ok(m)) = (k.trim().parse::<u64>(), m.trim().parse::<u64>()) else {
        return Err(format!("is not two whole numbers; {how}"));
    };
    if m == 0 || m > MAX_SHARDS {
        return Err(format!("M = {m} shards: give from 1 to 65536"));
    }
    if k >= m {
        return Err(format!(
            "shard {k} of {m}: shards are counted from 0, so K runs from 0 to {}",
            m - 1
        ));
    }
    Ok((k, m))
}

/// The most shards a run may be split into.
pub const MAX_SHARDS: u64 = 65_536;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_take_the_forms_people_write() {
        assert_eq!(count("1000000"), Ok(1_000_000));
        assert_eq!(count("1,000,000"), Ok(1_000_000));
        assert_eq!(count("1E6"), Ok(1_000_000));
        assert!(count("abc").unwrap_err().contains("not a number"));
        assert!(count("1e400").is_err());
        assert_eq!(count("18446744073709551615"), Ok(u64::MAX));
    }

    #[test]
    fn seeds_and_numbers_explain_themselves() {
        assert!(seed("-1").unwrap_err().contains("from 0"));
        assert_eq!(number("-0.1"), Ok(-0.1));
        assert_eq!(number("-inf"), Ok(f64::NEG_INFINITY));
        assert!(number("x").is_err());
    }
}
