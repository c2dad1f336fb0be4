//! The `kg` command: the command line (`cli`) over the `kg` library.

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
