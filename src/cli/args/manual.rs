//! The manual page, and clap's errors as one line.

use std::io::{self, Write};

use clap::CommandFactory;

use super::Cli;

/// Writes the manual page: clap_mangen's page of `kg` (name, synopsis, description,
/// options, commands, examples, version), then a section per command with its full
/// help, so that `man kg` holds everything `--help` says.
pub fn man_page(out: &mut dyn Write) -> io::Result<()> {
    let command = Cli::command();
    clap_mangen::Man::new(command.clone()).render(out)?;
    for sub in command.get_subcommands() {
        let mut sub = sub.clone().bin_name(format!("kg {}", sub.get_name()));
        let help = sub.render_long_help().to_string();
        writeln!(out, ".SH \"KG {}\"", sub.get_name().to_uppercase())?;
        writeln!(out, ".nf")?;
        for line in help.lines() {
            let escaped = line.replace('\\', "\\e");
            let safe = if escaped.starts_with(['.', '\'']) {
                format!("\\&{escaped}")
            } else {
                escaped
            };
            writeln!(out, "{safe}")?;
        }
        writeln!(out, ".fi")?;
    }
    Ok(())
}

/// A clap error as one line, as every error: its first paragraph without "error: ".
pub fn clap_error_line(e: &clap::Error) -> String {
    let text = e.render().to_string();
    let first: Vec<&str> = text
        .lines()
        .map(str::trim)
        .take_while(|l| !l.is_empty())
        .collect();
    format!(
        "{} (see kg --help)",
        first.join(" ").trim_start_matches("error: ")
    )
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn the_command_line_definition_is_consistent() {
        super::Cli::command().debug_assert();
    }
}
