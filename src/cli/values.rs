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
