//! The `kg` command: parse the arguments, run, report, exit (0 done, 1 found nothing,
//! 2 error).

use std::process::ExitCode;

fn main() -> ExitCode {
    kg::cli::main()
}
