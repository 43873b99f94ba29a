//! Snapshots of what people read: exact strings of the terminal output and
//! of error messages, so that a change in formatting is a visible decision.

use crate::util::{Dir, default_scenario};

#[test]
fn point_plan_table_snapshot() {
    let dir = Dir::new();
    dir.create("s.toml", &default_scenario());
    let out = dir.run(&["run", "s.toml", "--point"]).ok();
    assert_eq!(out, POINT);
}

#[test]
fn error_message_snapshot() {
    let dir = Dir::new();
    let text = default_scenario().replacen("mean = 0.519, sd = 0.03", "mean = 0.519, sd = 0.6", 1);
    dir.create("bad.toml", &text);
    let run = dir.run(&["check", "bad.toml"]).code(2);
    assert_eq!(
        run.stderr(),
        "kpisim: error: bad.toml:47:49: segments[0].retention.sd = 0.6: a beta sd must be below \
         sqrt(mean × (1 - mean)) = 0.499639 for this mean\n"
    );
}

const POINT: &str = "Shandian Live 2016: point plan (every input at its mean), 12 months

month    registrations  new payers  old payers  payers  ARPU  revenue  marketing   profit
2016-01         405.0k        8.1k       11.3k   19.4k   800    15.5M      2.43M  -783.0k
2016-02         718.3k       14.4k       10.0k   24.4k   800    19.5M      4.31M   -1.45M
2016-03         946.7k       18.9k       12.7k   31.6k   800    25.3M      5.68M   -1.09M
2016-04          1.10M       22.0k       16.4k   38.4k   800    30.7M      6.59M  -381.3k
2016-05          1.18M       23.6k       19.9k   43.5k   800    34.8M      7.07M   365.3k
2016-06          1.20M       24.0k       22.6k   46.6k   800    37.3M      7.20M   975.9k
2016-07          1.21M       24.2k       24.7k   48.9k   850    41.6M      7.27M    2.20M
2016-08          1.22M       24.4k       26.4k   50.8k   880    44.7M      7.33M    3.09M
2016-09          1.23M       24.7k       28.0k   52.6k   910    47.9M      7.40M    3.97M
2016-10          1.25M       24.9k       29.5k   54.4k   940    51.1M      7.47M    4.87M
2016-11          1.25M       25.1k       31.1k   56.2k   970    54.5M      7.53M    5.81M
2016-12          1.27M       25.3k       32.6k   58.0k  1000    58.0M      7.60M    6.79M
year             13.0M      259.6k                       878   460.8M      77.9M    24.4M

year: revenue 460.8M (target 450.0M), profit 24.4M (target 20.0M), marketing 16.9% of revenue
";
