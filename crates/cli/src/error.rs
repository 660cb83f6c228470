//! CLI failures and their exit codes: 2 for bad input (files, arguments), 1 for anything else.

use std::path::Path;

use engine::model::FieldError;

#[derive(Debug)]
pub struct CliError {
    pub message: String,
    pub exit_code: u8,
}

impl CliError {
    /// Bad input from the user: exit code 2.
    pub fn input(message: impl Into<String>) -> Self {
        CliError {
            message: message.into(),
            exit_code: 2,
        }
    }

    /// Any other failure: exit code 1.
    pub fn failure(message: impl Into<String>) -> Self {
        CliError {
            message: message.into(),
            exit_code: 1,
        }
    }

    /// A file that does not parse or breaks a range rule, one line per problem.
    pub fn invalid_file(path: &Path, errors: &[FieldError]) -> Self {
        CliError::field_errors(format!("invalid file {}:", path.display()), errors)
    }

    /// Bad input listed field by field: the heading, then `  - problem` on a line of its own
    /// for each problem. Exit code 2.
    pub fn field_errors(heading: impl Into<String>, errors: &[FieldError]) -> Self {
        let mut message = heading.into();
        for error in errors {
            message.push_str("\n  - ");
            message.push_str(&error.to_string());
        }
        CliError::input(message)
    }
}

impl std::fmt::Display for CliError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CliError {}
