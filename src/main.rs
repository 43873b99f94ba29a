//! The `kpisim` binary: parse the command line, run, map the result to an
//! exit code (0 success, 2 usage or invalid scenario, 1 anything else).

use clap::Parser;

fn main() {
    let cli = kpisim::cli::Cli::parse();
    let code = match kpisim::commands::dispatch(cli) {
        Ok(()) => 0,
        // `kpisim run ... | head`: the reader left; nothing is wrong.
        Err(e) if e.is_broken_pipe() => 0,
        Err(e) => {
            for line in e.to_string().lines() {
                // Messages quote the user's files and arguments.
                eprintln!("kpisim: error: {}", kpisim::present::printable(line));
            }
            e.exit_code()
        }
    };
    std::process::exit(code);
}
